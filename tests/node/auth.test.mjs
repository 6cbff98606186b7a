// Signing in as the real service requires: username + password + TOTP code buy a bearer token
// at the login endpoint; every call carries the token and a fresh code. Sessions are the
// core's (lazy login, renewal before expiry, single flight, one re-login after a refused token,
// refused logins remembered); these tests hold the Node package to them, counting logins and
// executions on the sandbox.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';

import { AuthenticationError, Client, ConfigError, Sandbox, Totp } from 'ibanera';
import { LOGIN, countingProxy, rejectsWith, sleep } from './helpers.mjs';

const BALANCES = '/api/v1/customer/accounts/balances';
const BUY = '/api/v1/customer/crypto-exchanges/buy';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('the login request, as a local server records it', () => {
  let server;
  const seen = [];

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const path = new URL(req.url, 'http://x').pathname;
        seen.push({ method: req.method, path, headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          path === LOGIN
            ? '{"id":1004,"details":{"accessToken":"recorded-token-1","expiresIn":3600,' +
                '"refreshToken":"r","refreshTokenExpiresIn":86400},"status":"1","errors":[]}'
            : '{"id":0,"details":[],"status":"1","errors":[]}',
        );
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
  });
  after(() => new Promise((r) => server.close(r)));

  test('POST login with {"username","password","otp"} in that order, then Bearer + otp', async () => {
    seen.length = 0;
    const client = new Client({
      username: 'api-user',
      password: 'pa"ss\\word',
      totpSecret: SECRET,
      baseUrl: `http://127.0.0.1:${server.address().port}`,
    });
    assert.equal(client.session, null, 'no login before the first call');
    const page = await client.accounts.balances();
    assert.deepEqual(page.items, []);
    assert.equal(seen.length, 2);
    const [login, call] = seen;

    assert.equal(login.method, 'POST');
    assert.equal(login.path, LOGIN);
    assert.equal(login.headers['content-type'], 'application/json');
    assert.equal(login.headers.authorization, undefined, 'no Authorization on the login');
    const text = login.body.toString('utf8');
    const otp = JSON.parse(text).otp;
    assert.equal(text, JSON.stringify({ username: 'api-user', password: 'pa"ss\\word', otp }));
    assert.match(otp, /^\d{6}$/);
    assert.ok(new Totp(SECRET).verify(otp), 'the login carries a valid TOTP code');

    assert.equal(call.method, 'GET');
    assert.equal(call.path, BALANCES);
    assert.equal(call.headers.authorization, 'Bearer recorded-token-1');
    assert.match(call.headers.otp, /^\d{6}$/);
    assert.ok(new Totp(SECRET).verify(call.headers.otp));

    const session = client.session;
    assert.deepEqual(Object.keys(session), ['expiresAt', 'expiresInMs', 'loginId']);
    assert.equal(session.expiresInMs, 3_600_000);
    assert.equal(session.loginId, 1004);
    assert.match(session.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const left = Date.parse(session.expiresAt) - Date.now();
    assert.ok(left > 3_500_000 && left <= 3_600_000, `${left} ms left`);
  });

  test('login() logs in now (again), and resolves to the session without the token', async () => {
    seen.length = 0;
    const client = new Client({
      username: 'api-user',
      password: 'p',
      totpSecret: SECRET,
      baseUrl: `http://127.0.0.1:${server.address().port}`,
    });
    const first = await client.login();
    const second = await client.login();
    assert.equal(seen.filter((r) => r.path === LOGIN).length, 2);
    assert.equal(first.loginId, 1004);
    assert.deepEqual(client.session, second);
    assert.ok(!JSON.stringify(second).includes('recorded-token'));
    assert.ok(Object.isFrozen(second));
  });

  test('an access-token client sends the token as given and cannot log in', async () => {
    seen.length = 0;
    const client = new Client({
      accessToken: 'given-token',
      totpSecret: SECRET,
      baseUrl: `http://127.0.0.1:${server.address().port}`,
    });
    await client.accounts.balances();
    assert.deepEqual(
      seen.map((r) => [r.path, r.headers.authorization]),
      [[BALANCES, 'Bearer given-token']],
    );
    const e = await rejectsWith(client.login(), ConfigError);
    assert.match(e.message, /access token/);
    client.setAccessToken('another-token');
    await client.accounts.balances();
    assert.equal(seen.at(-1).headers.authorization, 'Bearer another-token');
  });
});

describe('sessions against the sandbox', () => {
  let sandbox;
  let proxy;

  before(async () => {
    sandbox = await Sandbox.start({ tokenTtl: 2 });
    proxy = await countingProxy(sandbox.baseUrl);
  });
  after(async () => {
    await proxy.close();
    await sandbox.close();
  });
  beforeEach(() => {
    sandbox.reset();
    sandbox.setTokenTtl(2);
    proxy.reset();
  });
  afterEach(() => sandbox.unlock());

  const buy = (client) =>
    client.exchanges.buy({
      customersId: 1004,
      assetPair: 'BTC/USDC',
      quantityType: 'Amount',
      amount: '0.0001',
    });

  test('tokens living 2 s: calls across several seconds renew the session, none fails', async () => {
    const client = sandbox.client({ baseUrl: proxy.baseUrl, maxRetries: 0 });
    const started = Date.now();
    let calls = 0;
    while (Date.now() - started < 5_500) {
      const page = await client.accounts.balances();
      assert.equal(page.items.length, 4);
      calls++;
      await sleep(100);
    }
    const stats = sandbox.authStats();
    assert.ok(calls >= 10, `${calls} calls`);
    // At least one login per token lifetime: the session was renewed, never given up.
    assert.ok(stats.loginsSucceeded >= 3, `${stats.loginsSucceeded} logins`);
    assert.equal(stats.loginsFailed, 0);
    assert.equal(proxy.count(BALANCES), calls + proxy.status(401));
    console.log(
      `# ${calls} calls over 5.5 s, ${stats.loginsSucceeded} logins, ` +
        `${proxy.status(401)} token refusals recovered`,
    );
  });

  test('64 calls in flight when the token has expired: exactly one login', async () => {
    const client = sandbox.client();
    await client.login();
    assert.equal(sandbox.authStats().loginsSucceeded, 1);
    await sleep(2_300); // the token (2 s) has expired
    const results = await Promise.all(Array.from({ length: 64 }, () => client.accounts.get(1055)));
    assert.equal(results.length, 64);
    assert.ok(results.every((a) => a.id === 1055));
    assert.equal(sandbox.authStats().loginsSucceeded, 2);
  });

  test('a token revoked mid-run: one re-login, and the refused POST executed exactly once', async () => {
    sandbox.setTokenTtl(3600);
    const client = sandbox.client({ baseUrl: proxy.baseUrl });
    for (let i = 0; i < 6; i++) {
      if (i === 3) sandbox.revokeTokens();
      const exchange = await buy(client);
      assert.equal(exchange.status, 'WaitingForApproval');
    }
    assert.deepEqual(sandbox.executions(), { [`POST ${BUY}`]: 6 });
    assert.equal(sandbox.authStats().loginsSucceeded, 2);
    // The refused POST was sent twice (a 401 proves it did not run), executed once.
    assert.equal(proxy.count(BUY), 7);
    assert.equal(proxy.status(401), 1);

    // Revoked under 32 POSTs in flight: still one login for all of them.
    await client.accounts.get(1055);
    sandbox.revokeTokens();
    const many = await Promise.all(Array.from({ length: 32 }, () => buy(client)));
    assert.equal(many.length, 32);
    assert.deepEqual(sandbox.executions(), { [`POST ${BUY}`]: 38 });
    assert.equal(sandbox.authStats().loginsSucceeded, 3);
  });

  test('a wrong password: one login attempt, then nothing is sent until new credentials', async () => {
    const client = sandbox.client({ baseUrl: proxy.baseUrl, password: 'not-the-password' });
    const e = await rejectsWith(client.accounts.get(1055), AuthenticationError);
    assert.equal(e.code, 'authentication_error');
    assert.equal(e.errors[0].messageCode, 'Username_Or_Password_Incorrect');
    assert.equal(e.httpStatus, 400);
    assert.equal(sandbox.authStats().loginsFailed, 1);
    assert.equal(proxy.count(LOGIN), 1);

    const again = await rejectsWith(client.exchanges.pairs(), AuthenticationError);
    assert.equal(again.errors[0].messageCode, 'Username_Or_Password_Incorrect');
    assert.match(again.message, /nothing was sent/);
    await rejectsWith(client.login(), AuthenticationError);
    assert.equal(proxy.count(LOGIN), 1, 'the second and third calls sent nothing');
    assert.equal(proxy.count('/api/v1/customer/crypto-exchanges/pairs'), 0);
    assert.equal(sandbox.authStats().loginsFailed, 1);

    client.setCredentials({ username: sandbox.username, password: sandbox.password });
    assert.equal((await client.accounts.get(1055)).id, 1055);
    assert.equal(proxy.count(LOGIN), 2);
  });

  test('5 wrong logins from 5 clients lock the user; unlock() restores', async () => {
    for (let i = 0; i < 5; i++) {
      const wrong = sandbox.client({ password: `wrong-${i}` });
      const e = await rejectsWith(wrong.accounts.get(1055), AuthenticationError);
      assert.equal(e.errors[0].messageCode, 'Username_Or_Password_Incorrect');
    }
    assert.deepEqual(sandbox.authStats().lockedUsers, [sandbox.username]);
    const right = sandbox.client();
    const locked = await rejectsWith(right.accounts.get(1055), AuthenticationError);
    assert.equal(locked.errors[0].messageCode, 'Account_Locked');
    assert.equal(locked.errors[0].fieldName, 'Username');
    sandbox.unlock();
    assert.deepEqual(sandbox.authStats().lockedUsers, []);
    // The refusal is remembered by that client: new credentials (the same ones) clear it.
    right.setCredentials({ username: sandbox.username, password: sandbox.password });
    assert.equal((await right.accounts.get(1055)).id, 1055);
  });

  test('unverified and suppressed users surface their codes', async () => {
    for (const [username, code] of [
      ['sandbox-unverified', 'Account_Not_Verified'],
      ['sandbox-suppressed', 'Account_Suppressed'],
    ]) {
      const e = await rejectsWith(
        sandbox.client({ username }).accounts.get(1055),
        AuthenticationError,
      );
      assert.equal(e.errors[0].messageCode, code, username);
      assert.equal(e.endpoint, `POST ${LOGIN}`);
    }
    assert.deepEqual(sandbox.authStats().lockedUsers, []);
  });

  test('sandbox settings and counters', async () => {
    const stats = sandbox.authStats();
    assert.deepEqual(Object.keys(stats).sort(), [
      'activeTokens',
      'lockedUsers',
      'loginsFailed',
      'loginsSucceeded',
    ]);
    const client = sandbox.client();
    await client.login();
    assert.ok(sandbox.authStats().activeTokens >= 1);
    sandbox.revokeTokens();
    assert.equal(sandbox.authStats().activeTokens, 0);
    assert.throws(() => sandbox.setTokenTtl(0), ConfigError);
    assert.throws(() => sandbox.setIdleTimeout(-1), ConfigError);
    sandbox.setIdleTimeout(30_000);
    await assert.rejects(Sandbox.start({ tokenTtl: 'long' }), ConfigError);
    await assert.rejects(Sandbox.start({ apiKey: 'k' }), /not a sandbox option/);
  });
});
