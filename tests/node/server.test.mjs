// examples/server.mjs started against the sandbox (as a separate process, configured through
// the environment like any deployment) and fetched from.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';

import { Sandbox } from 'ibanera';
import { ROOT } from './helpers.mjs';

let sandbox;
let server;
let base;

before(async () => {
  sandbox = await Sandbox.start();
  server = spawn(process.execPath, [join(ROOT, 'examples', 'server.mjs')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      IBANERA_BASE_URL: sandbox.baseUrl,
      IBANERA_USERNAME: sandbox.username,
      IBANERA_PASSWORD: sandbox.password,
      IBANERA_TOTP_SECRET: sandbox.totpSecret,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: server.stdout });
  const [line] = await Promise.race([
    once(lines, 'line'),
    once(server, 'exit').then(([code]) => {
      throw new Error(`examples/server.mjs exited with ${code}`);
    }),
  ]);
  const m = /listening on (http:\/\/\S+)/.exec(line);
  assert.ok(m, line);
  base = m[1];
});

after(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
  await sandbox.close();
});

async function get(path) {
  const res = await fetch(`${base}${path}`);
  return [res.status, res.headers.get('content-type'), await res.json()];
}

test('GET /balances: every balance as JSON, money as exact strings', async () => {
  const [status, type, body] = await get('/balances');
  assert.equal(status, 200);
  assert.match(type, /application\/json/);
  assert.deepEqual(
    body.balances.map((b) => [b.id, b.asset, b.availableBalance]),
    [
      [1055, 'USD', '100000.000000000000000000'],
      [1056, 'USDC', '50000.000000000000000000'],
      [1057, 'BTC', '2.500000000000000000'],
      [1058, 'ETH', '40.000000000000000000'],
    ],
  );
});

test('GET /quote: a quote as JSON', async () => {
  const [status, , quote] = await get('/quote?pair=BTC/USDC&side=Buy&price=10');
  assert.equal(status, 200);
  assert.equal(quote.amount, '0.000066334991708126');
  assert.equal(quote.netPrice, '3.980099502487560000');
  assert.equal(quote.quantityType, 'Price');
  assert.equal(typeof quote.fxRateId, 'number');
  assert.match(quote.fxRateExpiryDate, /Z$/);
  const [s2, , byAmount] = await get('/quote?pair=ETH/USD&side=Sell&amount=2');
  assert.equal(s2, 200);
  assert.equal(byAmount.price, '6000.000000000000000000');
});

test('errors become HTTP statuses with the SDK error code', async () => {
  const [s1, , bad] = await get('/quote?price=ten');
  assert.equal(s1, 400);
  assert.equal(bad.error.code, 'validation_error');
  assert.equal(bad.error.field, 'price');
  const [s2, , missing] = await get('/accounts/999999');
  assert.equal(s2, 404);
  assert.equal(missing.error.code, 'not_found');
  const [s3, , kyc] = await get('/quote?customer=1006&price=100');
  assert.equal(s3, 422);
  assert.equal(kyc.error.errors[0].messageCode, 'Documents_Not_Verified');
  const [s4, , none] = await get('/nothing');
  assert.equal(s4, 404);
  assert.equal(none.error.code, 'no_route');
});

test('one shared client serves many concurrent requests', async () => {
  const results = await Promise.all(
    Array.from({ length: 100 }, (_, i) => get(i % 2 ? '/balances' : '/accounts/1055')),
  );
  for (const [status, , body] of results) {
    assert.equal(status, 200);
    assert.ok(body.balances || body.id === 1055);
  }
});
