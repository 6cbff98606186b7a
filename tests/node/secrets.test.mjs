// No secret in util.inspect, JSON, String() or error text: the API key and the TOTP secret are
// canary values, searched for (and the current TOTP code) in everything the package prints.
import assert from 'node:assert/strict';
import util from 'node:util';
import { after, before, test } from 'node:test';

import { Client, ConfigError, Sandbox, Totp } from 'ibanera';

const API_KEY = 'canary-apikey-5f1d9e7b3a';
// Base32 of the 20 bytes `canary-totp-secret-1`; also looked for decoded and lower-cased.
const SECRET = 'MNQW4YLSPEWXI33UOAWXGZLDOJSXILJR';
const SECRET_BYTES = 'canary-totp-secret-1';

let sandbox;
const texts = [];

function record(label, value) {
  texts.push([label, value]);
}

function views(label, value) {
  record(
    `${label} inspect`,
    util.inspect(value, { showHidden: true, depth: Infinity, getters: true }),
  );
  record(`${label} inspect plain`, util.inspect(value));
  record(`${label} JSON`, JSON.stringify(value) ?? '');
  record(`${label} String`, String(value));
  record(`${label} format`, util.format('%s %o %O %j', value, value, value, value));
}

function errorViews(label, e) {
  views(label, e);
  record(`${label} message`, e.message);
  record(`${label} stack`, e.stack);
}

before(async () => {
  sandbox = await Sandbox.start({ apiKey: API_KEY, totpSecret: SECRET });
});
after(() => sandbox.close());

test('the canary values are really in use', async () => {
  assert.equal(sandbox.apiKey, API_KEY);
  assert.equal(sandbox.totpSecret, SECRET);
  const account = await sandbox.client().accounts.get(1055);
  assert.equal(account.id, 1055);
});

test('clients, areas, pages, sandbox and Totp print no secret', async () => {
  const client = sandbox.client();
  views('client', client);
  views('client.accounts', client.accounts);
  views('client.exchanges', client.exchanges);
  views(
    'fromEnv client',
    Client.fromEnv({ apiKey: API_KEY, totpSecret: SECRET, baseUrl: sandbox.baseUrl }),
  );
  views('sandbox', sandbox);
  views('totp', new Totp(SECRET));
  const pending = client.accounts.list({ customersId: 1004 });
  views('page promise', pending);
  views('page', await pending);
  assert.equal(
    JSON.stringify(client),
    JSON.stringify({ baseUrl: sandbox.baseUrl, userAgent: client.userAgent }),
  );
});

test('errors of every kind print no secret', async () => {
  const client = sandbox.client({ maxRetries: 0 });
  const failures = [
    client.accounts.get(999_999),
    client.exchanges.buy({
      customersId: 1006,
      assetPair: 'BTC/USDC',
      quantityType: 'Amount',
      amount: '1',
    }),
    client.exchanges.buy({
      customersId: 1004,
      assetPair: 'BTC/USDC',
      quantityType: 'Amount',
      amount: 0.5,
    }),
    client.accounts.get(1055, { timeoutMs: 0.5 }),
    new Client({ apiKey: 'wrong', totpSecret: SECRET, baseUrl: sandbox.baseUrl }).accounts.get(
      1055,
    ),
  ];
  sandbox.injectFault('/api/v1/customer/accounts/transactions', { kind: 'delay', ms: 500 }, 1);
  failures.push(client.accounts.transactions({ accountsId: 1055 }, { timeoutMs: 50 }));
  sandbox.injectFault('/api/v1/customer/accounts/balances', { kind: 'malformedJson' }, 1);
  failures.push(client.accounts.balances());
  sandbox.injectFault('/api/v1/customer/accounts/balances', { kind: 'dropBeforeExecute' }, 1);
  failures.push(client.accounts.balances());
  for (const [n, r] of (await Promise.allSettled(failures)).entries()) {
    assert.equal(r.status, 'rejected', `failure ${n} failed`);
    errorViews(`call error ${n}`, r.reason);
  }
  const configs = [
    { apiKey: API_KEY, totpSecret: `${SECRET}!` },
    { apiKey: API_KEY, totpSecret: SECRET, baseUrl: 'http://api.example.com' },
    { apiKey: API_KEY, totpSecret: SECRET, baseUrl: `https://user:${API_KEY}@example.com` },
    { apiKey: `${API_KEY}\nX-Injected: 1`, totpSecret: SECRET },
    { apiKey: 12345, totpSecret: SECRET },
    { apiKey: API_KEY, totpSecret: SECRET.slice(0, 8) },
    { apiKey: API_KEY, totpSecret: { secret: SECRET } },
    { apiKey: API_KEY, totpSecret: SECRET, timeoutMs: API_KEY },
  ];
  for (const [n, options] of configs.entries()) {
    try {
      new Client(options);
      assert.fail(`config ${n} was accepted`);
    } catch (e) {
      assert.ok(e instanceof ConfigError, `config ${n}: ${e}`);
      errorViews(`config error ${n}`, e);
    }
  }
  try {
    new Totp(`${SECRET}0`);
    assert.fail('bad secret accepted');
  } catch (e) {
    errorViews('totp error', e);
  }
});

test('nothing recorded contains a canary or the current code', () => {
  const code = new Totp(SECRET).now();
  const needles = [API_KEY, SECRET, SECRET.toLowerCase(), SECRET.slice(0, 16), SECRET_BYTES, code];
  assert.ok(texts.length > 50, `${texts.length} texts recorded`);
  for (const [label, text] of texts) {
    for (const needle of needles) {
      assert.ok(
        !text.includes(needle),
        `${label} contains ${needle === code ? 'the TOTP code' : 'a canary'}: ${text}`,
      );
    }
  }
});

test('sensitive card details print their keys, never their values', async () => {
  const { default: http } = await import('node:http');
  const { SensitiveCardDetails } = await import('ibanera');
  const number = '4111111111119876';
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`{"id":0,"details":{"cardNumber":"${number}","cvc":"731"},"status":"1","errors":[]}`);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const client = new Client({
      apiKey: 'k',
      totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      baseUrl: `http://127.0.0.1:${server.address().port}`,
      maxRetries: 0,
    });
    const details = await client.cards.sensitiveDetails(1749);
    assert.ok(details instanceof SensitiveCardDetails);
    const shown = [
      String(details),
      `${details}`,
      util.inspect(details),
      util.inspect({ details }, { depth: 5 }),
      util.format('%o %O %j', details, details, details),
      JSON.stringify(details),
      JSON.stringify({ details }),
      Object.keys(details).join(','),
    ].join('\n');
    assert.ok(!shown.includes(number) && !shown.includes('731'), shown);
    assert.equal(String(details), 'SensitiveCardDetails { keys: [cardNumber, cvc] }');
    assert.deepEqual(details.keys(), ['cardNumber', 'cvc']);
    assert.deepEqual(JSON.parse(JSON.stringify(details)), { cardNumber: '***', cvc: '***' });
    // Only the explicit accessor gives the values (a copy: changing it changes nothing).
    const values = details.expose();
    assert.deepEqual(values, { cardNumber: number, cvc: '731' });
    values.cvc = 'x';
    assert.equal(details.expose().cvc, '731');
  } finally {
    await new Promise((r) => server.close(r));
  }
});
