// Every transaction as Arrow columns in Node: `page.toArrowIPC({ allPages: true })` gives Arrow
// IPC stream bytes built by the SDK's Rust core (money decimal128(38, 18), exact), which the
// `apache-arrow` package (npm install apache-arrow) reads without parsing JSON per item.
//
//   node examples/arrow_export.mjs
import { tableFromIPC } from 'apache-arrow';
import { Sandbox } from 'ibanera';

const sandbox = await Sandbox.start();
try {
  await sandbox.seedTransactions(1056, 10_000);
  const client = sandbox.client();
  const page = await client.accounts.transactions({ pageSize: 1000 });
  const table = tableFromIPC(await page.toArrowIPC({ allPages: true }));
  console.log(`${table.numRows} transactions, columns:`);
  for (const field of table.schema.fields) console.log(`  ${field.name}: ${field.type}`);
  const newest = table.get(0).toJSON();
  console.log('newest:', newest.id, newest.description);
} finally {
  await sandbox.close();
}
