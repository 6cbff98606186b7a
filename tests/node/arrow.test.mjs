// `page.toArrowIPC()` against the sandbox: 100,000 seeded transactions plus varied ones
// (deposits of every scale, withdrawals with fees, exchanges in several states), read back with
// the `apache-arrow` package (a devDependency) and compared with the objects of the same pages:
// every amount digit for digit, every timestamp to the microsecond, ids, flags, text, enums.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';

import { tableFromIPC } from 'apache-arrow';
import { Sandbox } from 'ibanera';
import { ROOT } from './helpers.mjs';

// The core's operation table, as the package reads it.
const { OPERATIONS } = createRequire(import.meta.url)('../../bindings-node/lib/client.js');

const SEEDED = 100_000;
const PAGE = 1000;

let sandbox;
let client;

/** Deposits of every scale from 0 to 18 places (under 10^9: sandbox balances stay < 10^13). */
function variedAmounts() {
  let seed = 17;
  const next = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const out = ['0.000000000000000001', '99999999.999999999999999999', '1', '0.1'];
  for (let k = 0; k < 200; k++) {
    const places = k % 19;
    const whole = String(next(1_000_000_000));
    let frac = '';
    for (let i = 0; i < places; i++) frac += String(next(10));
    const text = places ? `${whole}.${frac}` : whole;
    if (/[1-9]/.test(text)) out.push(text);
  }
  return out;
}

before(async () => {
  sandbox = await Sandbox.start();
  client = sandbox.client({ maxRetries: 0 });
  const accounts = [1055, 1056, 1057, 1058, 1060, 1061];
  variedAmounts().forEach((amount, k) =>
    sandbox.creditDeposit(accounts[k % accounts.length], amount),
  );
  for (let k = 1; k <= 3; k++) {
    await client.accounts.withdrawCrypto({
      accountsId: 1057,
      amount: `0.00${k}1`,
      destinationAddress: 'bc1qexternal0001',
    });
  }
  for (let k = 0; k < 6; k++) {
    const buy = await client.exchanges.buy({
      customersId: 1004,
      assetPair: 'BTC/USDC',
      quantityType: 'Amount',
      amount: `0.0${k + 1}`,
    });
    if (k % 3 >= 1) sandbox.approve(buy.id);
    if (k % 3 === 2) sandbox.complete(buy.id);
  }
  await sandbox.seedTransactions(1056, SEEDED);
});
after(async () => {
  await sandbox.close();
});

/** Decimal text without trailing fractional zeros (`2.500` -> `2.5`, `3.000` -> `3`). */
function trimmed(text) {
  if (!text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}

/** The unscaled 128-bit integer of a decimal128 cell (little-endian 32-bit words). */
function decimalText(words, offset, scale) {
  let v = 0n;
  for (let i = 3; i >= 0; i--) v = (v << 32n) | BigInt(words[offset + i]);
  if (v >> 127n) v -= 1n << 128n;
  const negative = v < 0n;
  const digits = (negative ? -v : v).toString().padStart(scale + 1, '0');
  const text = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return trimmed(negative ? `-${text}` : text);
}

/** Microseconds since the epoch of an RFC 3339 UTC string (fraction of up to 9 digits). */
function micros(text) {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(text);
  assert.ok(m, text);
  const seconds = BigInt(Date.parse(`${m[1]}Z`)) / 1000n;
  const fraction = BigInt((m[2] ?? '').slice(0, 6).padEnd(6, '0'));
  return seconds * 1_000_000n + fraction;
}

/** Every cell of a column as a comparable value, read from the raw buffers. */
function cells(table, name) {
  const field = table.schema.fields.find((f) => f.name === name);
  const out = [];
  for (const data of table.getChild(name).data) {
    for (let i = 0; i < data.length; i++) {
      const valid = data.nullBitmap && data.nullBitmap.length ? data.getValid(i) : true;
      if (!valid) {
        out.push(null);
        continue;
      }
      const j = data.offset + i;
      switch (field.type.typeId) {
        case 7: // Decimal
          out.push(decimalText(data.values, j * 4, field.type.scale));
          break;
        case 10: // Timestamp
          out.push(data.values[j]);
          break;
        case 2: // Int
          out.push(data.values[j]);
          break;
        default:
          out.push(table.getChild(name).get(out.length));
      }
    }
  }
  return out;
}

/** Every cell equals the objects' field, guided by the column's type; returns the count. */
function assertEqual(table, objects, fields = table.schema.fields) {
  assert.equal(table.numRows, objects.length);
  let count = 0;
  for (const field of fields) {
    const got = cells(table, field.name);
    objects.forEach((o, row) => {
      const want = o[field.name];
      let expected = want;
      if (want === null || want === undefined) expected = null;
      else if (field.type.typeId === 7) expected = trimmed(want);
      else if (field.type.typeId === 10) expected = micros(want);
      else if (field.type.typeId === 2) expected = BigInt(want);
      else if (field.type.typeId === 5 && typeof want === 'object') {
        // A field kept as received (`raw`) is its JSON text in a column of strings.
        assert.deepEqual(JSON.parse(got[row]), want, `row ${row}, ${field.name}`);
        count++;
        return;
      }
      assert.equal(got[row], expected, `row ${row}, ${field.name}`);
      count++;
    });
  }
  return count;
}

async function every(query) {
  const out = [];
  for await (const item of client.accounts.transactions(query)) out.push(item);
  return out;
}

test('the column types follow the model', async () => {
  const table = tableFromIPC(
    await (await client.accounts.transactions({ pageSize: 5 })).toArrowIPC(),
  );
  const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
  assert.equal(types.id, 'Int64');
  assert.equal(types.amount, 'Decimal[38e+18]');
  assert.equal(types.dateTime, 'Timestamp<MICROSECOND, UTC>');
  assert.equal(types.pending, 'Bool');
  assert.deepEqual(
    table.schema.fields.map((f) => f.name),
    Object.keys((await client.accounts.transactions({ pageSize: 1 })).items[0]),
  );
  const exchanges = tableFromIPC(await (await client.exchanges.list({})).toArrowIPC());
  const status = exchanges.schema.fields.find((f) => f.name === 'status');
  assert.equal(status.type.typeId, -1, 'a dictionary');
});

test('one page equals its objects', async () => {
  const first = await client.accounts.transactions({ pageSize: PAGE });
  assert.ok(first.numberOfPages * PAGE >= SEEDED);
  const last = await client.accounts.transactions({
    pageSize: PAGE,
    pageNumber: first.numberOfPages,
  });
  assert.ok(
    new Set(last.items.map((t) => trimmed(t.amount).split('.')[1]?.length ?? 0)).size >= 15,
  );
  for (const page of [first, last]) {
    const table = tableFromIPC(await page.toArrowIPC());
    assert.equal(assertEqual(table, page.items), page.items.length * table.schema.fields.length);
  }
  // The page stays plain data.
  assert.deepEqual(Object.keys(first).sort(), ['items', 'numberOfPages', 'pageNumber', 'pageSize']);
  assert.equal(JSON.parse(JSON.stringify(first)).toArrowIPC, undefined);
});

test('every page, from the first or from a later one, equals the objects', async () => {
  const first = await client.accounts.transactions({ pageSize: PAGE });
  const table = tableFromIPC(await first.toArrowIPC({ allPages: true }));
  const objects = await every({ pageSize: PAGE });
  assert.ok(objects.length > SEEDED);
  assert.ok(objects.some((t) => t.pending));
  assert.equal(assertEqual(table, objects), objects.length * table.schema.fields.length);
  const third = await client.accounts.transactions({ pageSize: PAGE, pageNumber: 3 });
  assert.equal(
    tableFromIPC(await third.toArrowIPC({ allPages: true })).numRows,
    objects.length - 2 * PAGE,
  );
});

test('every list operation of the table exports every page of its model', async () => {
  // Something in every list: an information request (the cards are seeded; the exchanges
  // were made above), opened through the sandbox's control endpoint.
  const opened = await fetch(`${sandbox.baseUrl}/_sandbox/information-requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ CustomersId: 1004 }),
  });
  assert.equal(opened.status, 200);
  const camel = (s) => s.replace(/_(.)/g, (_, c) => c.toUpperCase());
  const paged = OPERATIONS.filter((op) => op.returns === 'page');
  assert.ok(paged.length > 0);
  for (const op of paged) {
    const list = (args) => client[camel(op.area)][camel(op.method)](args);
    // Small pages (the transactions: large ones), so every walk crosses pages.
    const pageSize = op.name === 'accounts.transactions' ? PAGE : 1;
    const table = tableFromIPC(await (await list({ pageSize })).toArrowIPC({ allPages: true }));
    const objects = [];
    for await (const item of list({ pageSize })) objects.push(item);
    assert.ok(objects.length > 0, `${op.name}: the sandbox lists nothing`);
    assert.equal(table.numRows, objects.length, op.name);
    const columns = table.schema.fields.map((f) => f.name);
    for (const o of objects) {
      for (const key of Object.keys(o)) assert.ok(columns.includes(key), `${op.name}: ${key}`);
    }
    // Top-level values compared cell by cell (nested objects and lists are the core's tests').
    const flat = table.schema.fields.filter((f) => ![12, 13].includes(f.type.typeId));
    const cellsCompared = assertEqual(table, objects, flat);
    assert.equal(cellsCompared, objects.length * flat.length, op.name);
  }
});

test('bad options are refused before anything is fetched', async () => {
  const page = await client.accounts.balances({});
  await assert.rejects(page.toArrowIPC('all'), TypeError);
  await assert.rejects(page.toArrowIPC({ allPages: 'yes' }), TypeError);
  assert.ok(Buffer.isBuffer(await page.toArrowIPC({})));
});

test('examples/arrow_export.mjs runs', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [
    join(ROOT, 'examples', 'arrow_export.mjs'),
  ]);
  assert.match(stdout, /^10\d{3} transactions, columns:/);
  assert.match(stdout, /amount: Decimal\[38e\+18\]/);
});
