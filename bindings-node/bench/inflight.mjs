// Quick measurement (not a test): calls per second with N calls in flight, the package's client
// against `fetch` + a TOTP code per request, both against one sandbox in another process.
//
//   npm run build && node bindings-node/bench/inflight.mjs [inflight=64] [calls=20000]
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

import { Client } from 'ibanera';

const INFLIGHT = Number(process.argv[2] ?? 64);
const CALLS = Number(process.argv[3] ?? 20_000);

const child = spawn(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    `import { Sandbox } from 'ibanera';
     const s = await Sandbox.start();
     console.log(JSON.stringify({ baseUrl: s.baseUrl, username: s.username, password: s.password, totpSecret: s.totpSecret }));
     process.stdin.resume(); process.stdin.on('end', () => s.close().then(() => process.exit(0)));`,
  ],
  { cwd: new URL('../..', import.meta.url).pathname, stdio: ['pipe', 'pipe', 'inherit'] },
);
const [line] = await once(createInterface({ input: child.stdout }), 'line');
const sandbox = JSON.parse(line);

function base32(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of s.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}
const key = base32(sandbox.totpSecret);
function totp() {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[19] & 15;
  const n = (h.readUInt32BE(o) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, '0');
}

const client = new Client({
  username: sandbox.username,
  password: sandbox.password,
  totpSecret: sandbox.totpSecret,
  baseUrl: sandbox.baseUrl,
});
// fetch logs in once, as the client does, then sends the token and a fresh code per call.
const login = await fetch(`${sandbox.baseUrl}/api/v1/public/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: sandbox.username, password: sandbox.password, otp: totp() }),
});
const token = (await login.json()).details.accessToken;
const url = `${sandbox.baseUrl}/api/v1/customer/accounts/account?Id=1055`;

const contenders = {
  ibanera: () => client.accounts.get(1055),
  'fetch+totp': async () => {
    const r = await fetch(url, {
      headers: { Authorization: `Bearer ${token}`, otp: totp(), Accept: 'application/json' },
    });
    const body = await r.json();
    if (body.status !== '1' && body.status !== 1) throw new Error('failed');
    return body.details;
  },
};

async function run(fn, calls) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: INFLIGHT }, async () => {
      while (next++ < calls) await fn();
    }),
  );
  return calls / ((performance.now() - t0) / 1000);
}

for (const [name, fn] of Object.entries(contenders)) await run(fn, 2_000); // warm up
const results = {};
for (let round = 0; round < 3; round++) {
  for (const [name, fn] of Object.entries(contenders)) {
    const rate = await run(fn, CALLS);
    results[name] = Math.max(results[name] ?? 0, rate);
  }
}
for (const [name, rate] of Object.entries(results))
  console.log(`${name.padEnd(12)} ${rate.toFixed(0)} calls/s (${INFLIGHT} in flight, best of 3)`);
console.log(`ratio ibanera / fetch+totp: ${(results.ibanera / results['fetch+totp']).toFixed(2)}x`);
child.stdin.end();
