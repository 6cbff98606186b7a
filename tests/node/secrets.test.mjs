// No secret in util.inspect, JSON, String(), error text or anything a process prints: the
// password, the TOTP secret and access tokens are canary values, searched for (and the current
// TOTP code) in everything the package prints.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import util from 'node:util';
import { after, before, test } from 'node:test';

import { Client, ConfigError, Sandbox, Totp } from 'ibanera';
import { ROOT } from './helpers.mjs';

const PASSWORD = 'canary-password-5f1d9e7b3a';
// Base32 of the 20 bytes `canary-totp-secret-1`; also looked for decoded and lower-cased.
const SECRET = 'MNQW4YLSPEWXI33UOAWXGZLDOJSXILJR';
const SECRET_BYTES = 'canary-totp-secret-1';
const TOKEN = 'canary-token-0a9b8c7d6e5f';

let sandbox;
// The token the sandbox issued for a real login (used as an access token below).
let issued;
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
  if (e.cause) errorViews(`${label} cause`, e.cause);
}

before(async () => {
  sandbox = await Sandbox.start({ password: PASSWORD, totpSecret: SECRET });
  const login = await fetch(`${sandbox.baseUrl}/api/v1/public/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username: sandbox.username,
      password: PASSWORD,
      otp: new Totp(SECRET).now(),
    }),
  });
  issued = (await login.json()).details.accessToken;
  assert.match(issued, /^[\w-]+\.[\w-]+\.[\w-]+$/);
});
after(() => sandbox.close());

test('the canary values are really in use', async () => {
  assert.equal(sandbox.password, PASSWORD);
  assert.equal(sandbox.totpSecret, SECRET);
  const client = sandbox.client();
  assert.equal((await client.accounts.get(1055)).id, 1055);
  assert.equal((await sandbox.client({ accessToken: issued }).accounts.get(1055)).id, 1055);
});

test('clients, sessions, areas, pages, sandbox and Totp print no secret', async () => {
  const client = sandbox.client();
  const session = await client.login();
  views('session', session);
  views('client.session', client.session);
  views('client', client);
  views('client.accounts', client.accounts);
  views('client.exchanges', client.exchanges);
  views(
    'fromEnv client',
    Client.fromEnv({
      username: sandbox.username,
      password: PASSWORD,
      totpSecret: SECRET,
      baseUrl: sandbox.baseUrl,
    }),
  );
  const tokenClient = sandbox.client({ accessToken: issued });
  views('token client', tokenClient);
  tokenClient.setAccessToken(TOKEN);
  views('token client after setAccessToken', tokenClient);
  client.setCredentials({ username: sandbox.username, password: PASSWORD });
  views('client after setCredentials', client);
  views('sandbox', sandbox);
  views('totp', new Totp(SECRET));
  const pending = client.accounts.list({ customersId: 1004 });
  views('page promise', pending);
  views('page', await pending);
  assert.equal(
    JSON.stringify(client),
    JSON.stringify({ baseUrl: sandbox.baseUrl, userAgent: client.userAgent }),
  );
  assert.deepEqual(Object.keys(session).sort(), ['expiresAt', 'expiresInMs', 'loginId']);
});

test('errors of every kind print no secret', async () => {
  const client = sandbox.client({ maxRetries: 0 });
  const buy = {
    customersId: 1004,
    assetPair: 'BTC/USDC',
    quantityType: 'Amount',
    amount: '0.001',
  };
  const failures = [
    client.accounts.get(999_999),
    client.exchanges.buy({ ...buy, customersId: 1006 }),
    client.exchanges.buy({ ...buy, amount: 0.5 }),
    client.accounts.get(1055, { timeoutMs: 0.5 }),
    // The password given where the username goes, and as an amount: refused, never echoed.
    client.exchanges.buy({ ...buy, assetPair: PASSWORD }),
    client.exchanges.buy({ ...buy, amount: PASSWORD }),
    client.accounts.create({ customersId: 1004, name: 'x', asset: `${PASSWORD}\0` }),
    sandbox.client({ password: `${PASSWORD}-wrong` }).accounts.get(1055),
    sandbox.client({ username: PASSWORD, password: PASSWORD }).accounts.get(1055),
    sandbox.client({ accessToken: TOKEN }).accounts.get(1055),
    sandbox.client({ accessToken: TOKEN }).login(),
    client.request('POST', '/api/v1/customer/payees/create', { body: { password: PASSWORD } }),
  ];
  // The faults go in once the calls above have settled: a fault is taken by the first request
  // to its path, and the buy refused above must not take the one meant for the buy below.
  const refused = await Promise.allSettled(failures.splice(0));
  sandbox.injectFault('/api/v1/customer/accounts/transactions', { kind: 'delay', ms: 500 }, 1);
  failures.push(client.accounts.transactions({ accountsId: 1055 }, { timeoutMs: 50 }));
  sandbox.injectFault('/api/v1/customer/accounts/balances', { kind: 'malformedJson' }, 1);
  failures.push(client.accounts.balances());
  sandbox.injectFault('/api/v1/customer/accounts/balances', { kind: 'dropBeforeExecute' }, 1);
  failures.push(client.accounts.balances());
  // Outcome unknown: the error carries the body sent (secret-looking keys hidden).
  sandbox.injectFault('/api/v1/customer/crypto-exchanges/buy', { kind: 'dropAfterExecute' }, 1);
  failures.push(client.exchanges.buy(buy));
  sandbox.injectFault('/api/v1/customer/payees/add', { kind: 'dropAfterExecute' }, 1);
  failures.push(
    client.request('POST', '/api/v1/customer/payees/add', {
      body: { name: 'x', password: PASSWORD, accessToken: TOKEN },
    }),
  );
  const results = [...refused, ...(await Promise.allSettled(failures))];
  for (const [n, r] of results.entries()) {
    assert.equal(r.status, 'rejected', `failure ${n} failed`);
    errorViews(`call error ${n}`, r.reason);
  }
  const last = results.at(-1).reason;
  assert.equal(last.code, 'outcome_unknown');
  assert.deepEqual(last.sent, { name: 'x', password: '***', accessToken: '***' });

  const T = SECRET;
  const configs = [
    { username: 'u', password: PASSWORD, totpSecret: `${T}!` },
    { username: 'u', password: PASSWORD, totpSecret: T, baseUrl: 'http://api.example.com' },
    { username: 'u', password: PASSWORD, totpSecret: T, baseUrl: `https://u:${PASSWORD}@x.com` },
    { accessToken: `${TOKEN}\nX-Injected: 1`, totpSecret: T },
    { username: 'u', password: 12345, totpSecret: T },
    { username: 'u', password: PASSWORD, totpSecret: T.slice(0, 8) },
    { username: 'u', password: PASSWORD, totpSecret: { secret: T } },
    { username: 'u', password: PASSWORD, totpSecret: T, timeoutMs: PASSWORD },
    { username: 'u', password: PASSWORD, accessToken: TOKEN, totpSecret: T },
    { apiKey: PASSWORD, totpSecret: T },
    { username: 'u', password: PASSWORD, totpSecret: T, proxy: `ftp://u:${PASSWORD}@p:1` },
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
  for (const [n, f] of [
    () => client.setAccessToken(`${TOKEN}\r\nX-Injected: 1`),
    () => client.setCredentials({ username: 'u', password: 42 }),
    () => client.setCredentials({ username: 'u', password: PASSWORD, token: TOKEN }),
    () => new Totp(`${SECRET}0`),
  ].entries()) {
    try {
      f();
      assert.fail(`setter ${n} was accepted`);
    } catch (e) {
      assert.ok(e instanceof ConfigError, `setter ${n}: ${e}`);
      errorViews(`setter error ${n}`, e);
    }
  }
});

test('a process that logs in, fails and prints its errors prints no secret', () => {
  // Everything the process writes (stdout, stderr, native output included), as an app that
  // logs its errors with console.error would.
  const script = `
    import { Sandbox } from 'ibanera';
    const sandbox = await Sandbox.start({ password: ${JSON.stringify(PASSWORD)},
                                          totpSecret: ${JSON.stringify(SECRET)} });
    const client = sandbox.client({ maxRetries: 0 });
    console.log(await client.login(), client, sandbox);
    console.log(await client.accounts.balances());
    for (const c of [sandbox.client({ password: 'x' + ${JSON.stringify(PASSWORD)} }),
                     sandbox.client({ accessToken: ${JSON.stringify(TOKEN)} })]) {
      await c.accounts.get(1055).catch((e) => console.error(e));
    }
    sandbox.injectFault('/api/v1/customer/crypto-exchanges/buy', { kind: 'truncate' });
    await client.exchanges.buy({ customersId: 1004, assetPair: 'BTC/USDC',
      quantityType: 'Amount', amount: '0.001' }).catch((e) => console.error(e));
    await sandbox.close();
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, RUST_LOG: 'trace', RUST_BACKTRACE: '1' },
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /AuthenticationError/);
  assert.match(r.stderr, /OutcomeUnknownError/);
  record('child stdout', r.stdout);
  record('child stderr', r.stderr);
});

test('nothing recorded contains a canary or the current code', () => {
  const code = new Totp(SECRET).now();
  const needles = [
    PASSWORD,
    SECRET,
    SECRET.toLowerCase(),
    SECRET.slice(0, 16),
    SECRET_BYTES,
    TOKEN,
    issued,
    code,
  ];
  assert.ok(texts.length > 150, `${texts.length} texts recorded`);
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
    // A bearer token given directly: the server answers every request, so no login.
    const client = new Client({
      accessToken: 'card-test-token',
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
