// `new Client({ logger })` and `DEBUG=ibanera` / `NODE_DEBUG=ibanera`: every record of the
// client (attempts, retries, logins, renewals, refusals, unknown outcomes) reaches the logger as
// `logger[level](message, fields)`, nothing a logger does breaks a call or the process, a
// client with a logger never keeps the process alive, and no record holds a secret: the
// password, the TOTP secret, tokens and codes are canary values searched for in everything the
// logger received.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import util from 'node:util';
import { after, before, test } from 'node:test';

import { ConfigError, OutcomeUnknownError, AuthenticationError, Sandbox, Totp } from 'ibanera';
import { debugEnabled, nodeDebugEnabled } from '../../bindings-node/lib/logging.js';
import { LOGIN, ROOT, rejectsWith, sleep } from './helpers.mjs';

const PASSWORD = 'canary-password-3c9e1f7a2b';
// Base32 of the 20 bytes `canary-totp-secret-2`.
const SECRET = 'MNQW4YLSPEWXI33UOAWXGZLDOJSXILJS';
const SECRET_BYTES = 'canary-totp-secret-2';
const ACCOUNT = '/api/v1/customer/accounts/account';
const BUY = '/api/v1/customer/crypto-exchanges/buy';
const FIELDS = ['event', 'method', 'path', 'status', 'attempt', 'elapsedMs', 'reason', 'waitMs'];

let sandbox;

before(async () => {
  sandbox = await Sandbox.start({ password: PASSWORD, totpSecret: SECRET });
});
after(() => sandbox.close());

/** A logger that keeps every call: `{ level, args }`. */
function recorder() {
  const calls = [];
  const method = (level) =>
    function (...args) {
      calls.push({ level, args, self: this });
    };
  return {
    calls,
    logger: {
      debug: method('debug'),
      info: method('info'),
      warn: method('warn'),
      error: method('error'),
    },
  };
}

/** Records cross to the event loop on their own queue: wait (generously) until one is there. */
async function until(calls, predicate, what) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const hit = calls.find(predicate);
    if (hit !== undefined) return hit;
    if (Date.now() > deadline) {
      assert.fail(`no ${what} record; got: ${JSON.stringify(calls.map((c) => c.args))}`);
    }
    await sleep(10);
  }
}

const event =
  (name, extra = () => true) =>
  (c) =>
    c.args[1]?.event === name && extra(c.args[1]);

test('the logger receives each attempt and the login, with structured fields', async () => {
  const { calls, logger } = recorder();
  const client = sandbox.client({ logger });
  const account = await client.accounts.get(1055);
  assert.equal(account.id, 1055);

  const attempt = await until(
    calls,
    event('response', (f) => f.path === ACCOUNT),
    'account response',
  );
  assert.equal(attempt.level, 'debug');
  assert.equal(attempt.self, logger, 'called as a method of the logger');
  const [message, fields] = attempt.args;
  assert.equal(attempt.args.length, 2);
  assert.deepEqual(Object.keys(fields), FIELDS);
  assert.equal(fields.method, 'GET');
  assert.equal(fields.status, 200);
  assert.equal(fields.attempt, 1);
  assert.ok(Number.isFinite(fields.elapsedMs) && fields.elapsedMs >= 0, `${fields.elapsedMs}`);
  assert.equal(fields.reason, null);
  assert.equal(fields.waitMs, null);
  assert.match(
    message,
    /^GET \/api\/v1\/customer\/accounts\/account -> 200 \(attempt 1, [\d.]+ ms\)$/,
  );

  const login = await until(calls, event('login'), 'login');
  assert.equal(login.level, 'info');
  assert.deepEqual(
    { ...login.args[1], elapsedMs: undefined },
    {
      event: 'login',
      method: 'POST',
      path: LOGIN,
      status: 200,
      attempt: 1,
      elapsedMs: undefined,
      reason: 'started',
      waitMs: null,
    },
  );
  assert.match(login.args[0], /session started/);
  // The login's own attempt came first, then the session record, then the call: in order.
  const order = calls.map((c) => `${c.args[1].event} ${c.args[1].path}`);
  assert.deepEqual(order.slice(0, 3), [
    `response ${LOGIN}`,
    `login ${LOGIN}`,
    `response ${ACCOUNT}`,
  ]);
});

test('retries carry their reason and wait; a logger without `error` is fine', async () => {
  const { calls, logger } = recorder();
  delete logger.error;
  const client = sandbox.client({ logger, maxRetries: 2 });
  sandbox.injectFault(ACCOUNT, { kind: 'status', status: 503 }, 1);
  await client.accounts.get(1055);
  const retry = await until(calls, event('retry'), 'retry');
  assert.equal(retry.level, 'info');
  assert.equal(retry.args[1].path, ACCOUNT);
  assert.equal(retry.args[1].attempt, 1);
  assert.ok(retry.args[1].waitMs > 0, `waitMs ${retry.args[1].waitMs}`);
  assert.match(retry.args[1].reason, /503/);
  const second = await until(
    calls,
    event('response', (f) => f.path === ACCOUNT && f.attempt === 2),
    'second attempt',
  );
  assert.equal(second.args[1].status, 200);
  const first = calls.find(event('response', (f) => f.path === ACCOUNT && f.attempt === 1));
  assert.equal(first.args[1].status, 503);
});

test('no record holds the password, the TOTP secret, a token or a code', async () => {
  const started = Date.now();
  const { calls, logger } = recorder();
  const client = sandbox.client({ logger });
  await client.login();
  await client.accounts.get(1055);
  // A renewal after the server dropped the token.
  sandbox.revokeTokens();
  await client.accounts.get(1055);
  // A POST whose answer was lost.
  sandbox.injectFault(BUY, { kind: 'dropAfterExecute' }, 1);
  await rejectsWith(
    client.exchanges.buy({
      customersId: 1004,
      assetPair: 'BTC/USDC',
      quantityType: 'Amount',
      amount: '0.001',
    }),
    OutcomeUnknownError,
  );
  // A refused login, and a client with a real token the sandbox issued (after the revocation).
  const res = await fetch(`${sandbox.baseUrl}${LOGIN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username: sandbox.username,
      password: PASSWORD,
      otp: new Totp(SECRET).now(),
    }),
  });
  const issued = (await res.json()).details.accessToken;
  assert.match(issued, /^[\w-]+\.[\w-]+\.[\w-]+$/);

  const refused = sandbox.client({ logger, password: `${PASSWORD}-wrong` });
  await rejectsWith(refused.accounts.get(1055), AuthenticationError);
  sandbox.unlock();
  await sandbox.client({ logger, accessToken: issued }).accounts.get(1055);

  for (const [name, level] of [
    ['relogin', 'info'],
    ['outcome_unknown', 'warn'],
    ['login_refused', 'warn'],
  ]) {
    assert.equal((await until(calls, event(name), name)).level, level, name);
  }
  await until(
    calls,
    event('response', (f) => f.status === 401),
    'the refused token',
  );

  const text = calls
    .map((c) => `${c.level} ${util.inspect(c.args, { depth: Infinity })} ${JSON.stringify(c.args)}`)
    .join('\n');
  const totp = new Totp(SECRET);
  const codes = new Set();
  for (let t = started / 1000 - 60; t < Date.now() / 1000 + 60; t += 15) codes.add(totp.at(t));
  for (const secret of [PASSWORD, SECRET, SECRET.toLowerCase(), SECRET_BYTES, issued]) {
    assert.ok(!text.includes(secret), `a record holds a secret (${secret.slice(0, 8)}...)`);
  }
  for (const code of codes) {
    assert.doesNotMatch(text, new RegExp(`\\b${code}\\b`), 'a record holds a TOTP code');
  }
  // The search covered what it was meant to: the records are there.
  assert.ok(calls.length >= 10, `${calls.length} records`);
});

test('a logger that throws, or rejects, breaks neither the call nor the process', async () => {
  const warnings = [];
  const onWarning = (w) => warnings.push(w);
  const rejections = [];
  const onRejection = (r) => rejections.push(r);
  process.on('warning', onWarning);
  process.on('unhandledRejection', onRejection);
  try {
    const throwing = () => {
      throw new Error('logger down');
    };
    const client = sandbox.client({
      logger: { debug: throwing, info: throwing, warn: throwing },
    });
    assert.equal((await client.accounts.get(1055)).id, 1055);
    assert.equal((await client.accounts.get(1056)).id, 1056);
    const rejecting = async () => {
      throw new Error('async logger down');
    };
    const other = sandbox.client({
      logger: { debug: rejecting, info: rejecting, warn: rejecting },
    });
    assert.equal((await other.accounts.get(1055)).id, 1055);
    const deadline = Date.now() + 15_000;
    while (warnings.filter((w) => w.code === 'IBANERA_LOGGER_FAILED').length < 2) {
      assert.ok(Date.now() < deadline, `warnings: ${warnings.map((w) => w.message)}`);
      await sleep(10);
    }
    await sleep(50);
    const ours = warnings.filter((w) => w.code === 'IBANERA_LOGGER_FAILED');
    // Once per client, however many records failed.
    assert.equal(ours.length, 2, ours.map((w) => w.message).join('\n'));
    assert.match(ours[0].message, /logger down/);
    assert.deepEqual(rejections, []);
  } finally {
    process.off('warning', onWarning);
    process.off('unhandledRejection', onRejection);
  }
});

test('a logger must have debug, info and warn', () => {
  for (const [logger, missing] of [
    [{}, /`debug`/],
    [{ debug() {}, info() {} }, /`warn`/],
    [{ debug() {}, info() {}, warn() {}, error: 'x' }, /logger\.error/],
    ['console', /must be an object/],
  ]) {
    assert.throws(
      () => sandbox.client({ logger }),
      (e) => e instanceof ConfigError && missing.test(e.message),
    );
  }
  // console is the obvious one.
  assert.equal(sandbox.client({ logger: console }).baseUrl, sandbox.baseUrl);
});

test('DEBUG and NODE_DEBUG are read like the debug package and util.debuglog', () => {
  for (const on of ['ibanera', 'ibanera:*', 'express,ibanera', 'express ibanera:*', '*', 'iban*']) {
    assert.ok(debugEnabled(on), on);
  }
  for (const off of ['', 'express', 'ibanera-other', '*,-ibanera', 'ibanera,-ibanera:*', 'x:*']) {
    assert.ok(!debugEnabled(off), off);
  }
  for (const on of ['ibanera', 'IBANERA', 'http,ibanera', 'iban*']) assert.ok(nodeDebugEnabled(on));
  for (const off of ['', 'http', 'ibanera2']) assert.ok(!nodeDebugEnabled(off), off);
  assert.ok(!debugEnabled(undefined) && !nodeDebugEnabled(undefined));
});

/** Runs a script that starts a sandbox and makes a call, with `env`; its result. */
function child(env, body = '') {
  const script = `
    import { Sandbox } from 'ibanera';
    const sandbox = await Sandbox.start();
    ${body || 'const client = sandbox.client();'}
    await client.accounts.get(1055);
    await sandbox.close();
    console.log('done');
  `;
  const clean = { ...process.env };
  delete clean.DEBUG;
  delete clean.NODE_DEBUG;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...clean, ...env },
    timeout: 60_000,
  });
}

for (const [name, value] of [
  ['DEBUG', 'ibanera'],
  ['NODE_DEBUG', 'ibanera'],
  ['DEBUG', 'express:*,ibanera:*'],
]) {
  test(`${name}=${value} prints the records on stderr`, { timeout: 90_000 }, () => {
    const r = child({ [name]: value });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'done');
    const pid = String(r.pid);
    assert.match(r.stderr, new RegExp(`^IBANERA ${pid}: POST ${LOGIN} -> 200 \\(attempt 1,`, 'm'));
    assert.match(r.stderr, new RegExp(`^IBANERA ${pid}: POST ${LOGIN}: session started`, 'm'));
    assert.match(r.stderr, new RegExp(`^IBANERA ${pid}: GET ${ACCOUNT} -> 200 \\(attempt 1,`, 'm'));
  });
}

test('without DEBUG nothing is printed, and a logger wins over DEBUG', { timeout: 90_000 }, () => {
  const quiet = child({ DEBUG: 'express' });
  assert.equal(quiet.status, 0, quiet.stderr);
  assert.doesNotMatch(quiet.stderr, /IBANERA/);
  const own = child(
    { DEBUG: 'ibanera' },
    `const seen = [];
     const client = sandbox.client({ logger: { debug: (m) => seen.push(m), info: (m) => seen.push(m), warn: (m) => seen.push(m) } });
     process.on('exit', () => console.error('seen ' + seen.length));`,
  );
  assert.equal(own.status, 0, own.stderr);
  assert.doesNotMatch(own.stderr, /IBANERA/);
  assert.match(own.stderr, /seen [1-9]/);
});

test('a client with a logger does not keep the process alive', { timeout: 90_000 }, () => {
  // The script never drops the client: with a strong reference from the native side to the
  // logger, the process would wait forever (the spawn's timeout would kill it).
  const r = child(
    {},
    `globalThis.kept = sandbox.client({ logger: console });
     const client = globalThis.kept;`,
  );
  assert.equal(r.signal, null, 'the process had to be killed');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /done/);
});
