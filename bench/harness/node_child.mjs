// One Node measurement in a fresh process; prints one JSON object. Started by bench/run.py.
//
//   node node_child.mjs async --impl ibanera|fetch|undici --count N --concurrency C [--warmup W]
//                             --base-url URL --username U --password P --totp-secret B32
//
// Every implementation is driven by the same loop: C workers pulling from one counter, each
// awaiting get-account for account 1055. The start is the same for all and not timed: one
// login (`client.login()`), then warm-up calls (which open the connections).
import { performance } from 'node:perf_hooks';

const IMPLS = {
  ibanera: '../sdk/ibanera_sdk.mjs',
  fetch: '../baselines/fetch.mjs',
  undici: '../baselines/undici.mjs',
};
const ACCOUNT_ID = 1055;

function parseArgs(argv) {
  const args = { scenario: argv[0], count: 1000, warmup: 200, concurrency: 64 };
  for (let i = 1; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    args[key] = argv[i + 1];
  }
  for (const k of ['count', 'warmup', 'concurrency']) args[k] = Number(args[k]);
  return args;
}

async function inFlight(getAccount, count, concurrency) {
  let next = 0;
  let last;
  const worker = async () => {
    while (next++ < count) last = await getAccount(ACCOUNT_ID);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return last;
}

function checkAccount(a) {
  // Money is an exact string; the balance is 100000 with the wire's 18 fractional digits or fewer.
  if (
    a.id !== ACCOUNT_ID ||
    typeof a.totalBalance !== 'string' ||
    Number(a.totalBalance) !== 100000
  ) {
    throw new Error(`unexpected account: ${JSON.stringify(a)}`);
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.scenario !== 'async') throw new Error('scenario: async');
  const path = IMPLS[args.impl];
  if (!path) throw new Error(`--impl: one of ${Object.keys(IMPLS).join(', ')}`);
  const { makeClient } = await import(new URL(path, import.meta.url));
  const client = await makeClient({
    username: args.username,
    password: args.password,
    totpSecret: args.totpSecret,
    baseUrl: args.baseUrl,
  });
  await client.login();
  const get = client.getAccount;
  await inFlight(get, args.warmup, args.concurrency);
  const started = performance.now();
  const last = await inFlight(get, args.count, args.concurrency);
  const seconds = (performance.now() - started) / 1000;
  checkAccount(last);
  await client.close();
  process.stdout.write(
    JSON.stringify({
      scenario: 'node',
      impl: args.impl,
      requests: args.count,
      concurrency: args.concurrency,
      seconds,
      ops_per_s: args.count / seconds,
      mean_us: (seconds * 1e6) / args.count,
      peak_rss_kb: process.resourceUsage().maxRSS,
    }) + '\n',
  );
}

main().catch((e) => {
  console.error(e?.stack ?? String(e));
  process.exit(1);
});
