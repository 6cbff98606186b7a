// Every error class from a real case against the sandbox: class, `instanceof` chain, stable
// `code`, `httpStatus`, `errors`, `endpoint`, and the class-specific fields.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, beforeEach, test } from 'node:test';

import {
  ApiError,
  AuthenticationError,
  Client,
  ConfigError,
  DecodeError,
  IbaneraError,
  NotFoundError,
  RateLimitError,
  Sandbox,
  SandboxError,
  TimeoutError,
  TransportError,
  ValidationError,
} from 'ibanera';
import { rejectsWith } from './helpers.mjs';

const GET = '/api/v1/customer/accounts/account';
const BUY = '/api/v1/customer/crypto-exchanges/buy';

let sandbox;
let client;

before(async () => {
  sandbox = await Sandbox.start();
  client = sandbox.client({ maxRetries: 0 });
});
after(() => sandbox.close());
beforeEach(() => sandbox.reset());

function common(e, Class, code) {
  assert.ok(e instanceof Class);
  assert.ok(e instanceof IbaneraError);
  assert.ok(e instanceof Error);
  assert.equal(e.code, code);
  assert.equal(e.name, Class.name);
  assert.ok(Array.isArray(e.errors));
  assert.equal(typeof e.message, 'string');
  assert.ok(e.stack.includes(Class.name));
  const json = JSON.parse(JSON.stringify(e));
  assert.equal(json.code, code);
  assert.equal(json.name, Class.name);
  assert.equal(json.message, e.message);
}

test('AuthenticationError: a wrong password (the login refused, HTTP 400)', async () => {
  const wrong = sandbox.client({ password: 'wrong-password' });
  const e = await rejectsWith(wrong.accounts.get(1055), AuthenticationError);
  common(e, AuthenticationError, 'authentication_error');
  assert.ok(e instanceof ApiError);
  assert.equal(e.httpStatus, 400);
  assert.deepEqual(e.errors, [
    {
      errorType: 'BadRequest',
      fieldName: 'Username',
      messageCode: 'Username_Or_Password_Incorrect',
    },
  ]);
  assert.equal(e.endpoint, 'POST /api/v1/public/auth/login');
  sandbox.unlock();
});

test('AuthenticationError: a token the server does not know (HTTP 401 naming Authorization)', async () => {
  const wrong = sandbox.client({ accessToken: 'not-a-token' });
  const e = await rejectsWith(wrong.accounts.get(1055), AuthenticationError);
  assert.equal(e.httpStatus, 401);
  assert.deepEqual(e.errors, [
    { errorType: 'Unauthorized', fieldName: 'Authorization', messageCode: 'Invalid' },
  ]);
  assert.equal(e.endpoint, `GET ${GET}`);
});

test(
  'AuthenticationError: a wrong TOTP secret (the login refused naming Otp)',
  { timeout: 90_000 },
  async () => {
    const wrong = sandbox.client({ totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' });
    // The runner waits: the core may try once more at the next 30 s step.
    const e = await rejectsWith(wrong.accounts.get(1055), AuthenticationError);
    assert.equal(e.httpStatus, 400);
    assert.deepEqual(e.errors, [
      { errorType: 'BadRequest', fieldName: 'Otp', messageCode: 'Invalid' },
    ]);
    sandbox.unlock();
  },
);

test('NotFoundError: an unknown account (HTTP 404)', async () => {
  const e = await rejectsWith(client.accounts.get(999_999), NotFoundError);
  common(e, NotFoundError, 'not_found');
  assert.ok(e instanceof ApiError);
  assert.equal(e.httpStatus, 404);
  assert.deepEqual(e.errors, [
    { errorType: 'NotFound', fieldName: 'Id', messageCode: 'Not_Found' },
  ]);
});

test('ApiError: business rules refused with HTTP 400', async () => {
  const kyc = await rejectsWith(
    client.exchanges.buy({
      customersId: 1006,
      assetPair: 'BTC/USDC',
      quantityType: 'Amount',
      amount: '0.1',
    }),
    ApiError,
  );
  common(kyc, ApiError, 'api_error');
  assert.ok(!(kyc instanceof NotFoundError));
  assert.equal(kyc.httpStatus, 400);
  assert.deepEqual(kyc.errors, [
    { errorType: 'BadRequest', fieldName: 'CustomersId', messageCode: 'Documents_Not_Verified' },
  ]);
  assert.equal(kyc.endpoint, `POST ${BUY}`);

  const blocked = await rejectsWith(
    client.accounts.withdrawCrypto({
      accountsId: 1057,
      amount: '0.1',
      destinationAddress: 'bc1qscreened0000000000000000000000000000',
    }),
    ApiError,
  );
  assert.equal(blocked.httpStatus, 400);
  assert.equal(blocked.errors[0].messageCode, 'Transaction_Blocked');
  assert.equal((await client.accounts.get(1057)).totalBalance, '2.500000000000000000');
});

test('ApiError: HTTP 200 with status 0', async () => {
  sandbox.injectFault(GET, { kind: 'statusZero' });
  const e = await rejectsWith(client.accounts.get(1055), ApiError);
  assert.equal(e.code, 'api_error');
  assert.equal(e.httpStatus, 200);
  assert.deepEqual(e.errors, [
    { errorType: 'InternalError', fieldName: '', messageCode: 'Sandbox_Fault' },
  ]);
});

test('RateLimitError: injected 429 with Retry-After', async () => {
  sandbox.injectFault(GET, { kind: 'status', status: 429, retryAfter: '2' }, 1);
  const e = await rejectsWith(client.accounts.get(1055), RateLimitError);
  common(e, RateLimitError, 'rate_limited');
  assert.ok(e instanceof ApiError);
  assert.equal(e.httpStatus, 429);
  assert.equal(e.retryAfterMs, 2000);

  // With retries allowed, a GET waits as told and succeeds.
  sandbox.injectFault(GET, { kind: 'status', status: 429, retryAfter: '0.2' }, 2);
  const started = Date.now();
  const account = await sandbox.client({ maxRetries: 2 }).accounts.get(1055);
  assert.equal(account.id, 1055);
  assert.ok(Date.now() - started >= 350, 'waited Retry-After twice');
});

test('ValidationError: from the wrapper (a float) and from the core (a rule), nothing sent', async () => {
  const float = await rejectsWith(
    client.exchanges.buy({
      customersId: 1004,
      assetPair: 'BTC/USDC',
      quantityType: 'Price',
      price: 250.5,
    }),
    ValidationError,
  );
  common(float, ValidationError, 'validation_error');
  assert.equal(float.field, 'price');
  assert.match(float.rule, /fraction/);
  assert.equal(float.httpStatus, null);
  assert.equal(float.endpoint, `POST ${BUY}`);

  const rule = await rejectsWith(
    client.exchanges.buy({
      customersId: 1004,
      assetPair: 'BTC/USDC',
      quantityType: 'Amount',
      price: '250',
    }),
    ValidationError,
  );
  assert.equal(rule.field, 'amount');
  assert.match(rule.message, /quantityType/, 'argument names in the rule are camelCase');
  assert.doesNotMatch(rule.message, /quantity_type/);

  const unknown = await rejectsWith(client.accounts.list({ customerId: 1004 }), ValidationError);
  assert.equal(unknown.field, 'arguments');
  assert.match(unknown.rule, /customerId/);

  const missing = await rejectsWith(
    client.accounts.create({ customersId: 1004, name: 'x' }),
    ValidationError,
  );
  assert.equal(missing.field, 'asset');

  const badOption = await rejectsWith(
    client.accounts.get(1055, { timeoutMs: -1 }),
    ValidationError,
  );
  assert.equal(badOption.field, 'timeoutMs');

  const notObject = await rejectsWith(client.accounts.list('1004'), ValidationError);
  assert.equal(notObject.field, 'arguments');
  assert.deepEqual(sandbox.executions(), {});
});

test('TransportError: a dropped connection', async () => {
  sandbox.injectFault(GET, { kind: 'dropBeforeExecute' }, 1);
  const e = await rejectsWith(client.accounts.get(1055), TransportError);
  common(e, TransportError, 'transport_error');
  assert.ok(!(e instanceof TimeoutError));
  assert.equal(e.httpStatus, null);
  assert.equal(e.attempts, 1);
  assert.equal(e.endpoint, `GET ${GET}`);
});

test('TransportError: connection refused, retried (nothing can have been sent)', async () => {
  const port = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  const closed = new Client({
    accessToken: 't',
    totpSecret: 'JBSWY3DPEHPK3PXP',
    baseUrl: `http://127.0.0.1:${port}`,
    maxRetries: 1,
  });
  const e = await rejectsWith(
    closed.exchanges.buy({
      customersId: 1004,
      assetPair: 'BTC/USDC',
      quantityType: 'Amount',
      amount: '1',
    }),
    TransportError,
  );
  assert.equal(e.attempts, 2);
});

test('TimeoutError: an injected delay longer than the timeout', async () => {
  sandbox.injectFault(GET, { kind: 'delay', ms: 1500 }, 1);
  const started = Date.now();
  const e = await rejectsWith(client.accounts.get(1055, { timeoutMs: 200 }), TimeoutError);
  common(e, TimeoutError, 'timeout');
  assert.ok(e instanceof TransportError);
  assert.ok(Date.now() - started < 1400);
  assert.match(e.message, /timed out after 200ms/);
});

test('DecodeError: malformed JSON, and an HTML error page', async () => {
  sandbox.injectFault(GET, { kind: 'malformedJson' }, 1);
  const e = await rejectsWith(client.accounts.get(1055), DecodeError);
  common(e, DecodeError, 'decode_error');
  assert.equal(e.httpStatus, 200);

  sandbox.injectFault(GET, { kind: 'html', status: 502 }, 1);
  const html = await rejectsWith(client.accounts.get(1055), DecodeError);
  assert.equal(html.httpStatus, 502);
});

test('ConfigError: missing credentials, bad secret, insecure URL, bad option types', () => {
  const T = 'JBSWY3DPEHPK3PXP';
  const login = { username: 'u', password: 'p', totpSecret: T };
  const cases = [
    [{ totpSecret: T }, /no credentials: pass `username`, `password` and `totpSecret`/],
    [{ username: 'u', totpSecret: T }, /no password: pass `password`/],
    [{ password: 'p', totpSecret: T }, /no username: pass `username`/],
    [{ ...login, accessToken: 't' }, /either `username` and `password`, or `accessToken`/],
    [{ username: 'u', password: 'p' }, /no TOTP secret: pass `totpSecret`/],
    [{ ...login, totpSecret: 'not base32 !!' }, /base32|TOTP/],
    [{ ...login, baseUrl: 'http://api.example.com' }, /`allowInsecureHttp`/],
    [{ ...login, baseUrl: 'http://127.0.0.1:9', proxy: 'http://proxy.example:3128' }, /`proxy`/],
    [{ ...login, timeoutMs: 0 }, /timeoutMs/],
    [{ ...login, maxResponseBytes: 1.5 }, /maxResponseBytes/],
    [{ username: 42, password: 'p', totpSecret: T }, /username/],
    [{ ...login, retries: 3 }, /not a client option/],
    // A leftover API key: the core's message says what to pass instead, in camelCase.
    [{ apiKey: 'k', totpSecret: T }, /`apiKey` is no longer used.*`username`, `password`/],
    [{ ...login, apiKey: 'k' }, /`apiKey` is no longer used/],
  ];
  for (const [options, message] of cases) {
    assert.throws(
      () => new Client(options),
      (e) => {
        common(e, ConfigError, 'config_error');
        assert.match(e.message, message);
        assert.doesNotMatch(e.message, /totp_secret|api_key|access_token|allow_insecure_http/);
        return true;
      },
    );
  }
});

test('SandboxError: a control call the sandbox refuses', () => {
  assert.throws(
    () => sandbox.approve(99_999),
    (e) => {
      common(e, SandboxError, 'sandbox_error');
      assert.match(e.message, /not found/);
      return true;
    },
  );
  assert.throws(() => sandbox.injectFault('/x', { kind: 'explode' }), SandboxError);
});

test('users can construct and subclass the errors (stable codes)', () => {
  const e = new NotFoundError('custom', { httpStatus: 404 });
  assert.equal(e.code, 'not_found');
  assert.equal(e.httpStatus, 404);
  assert.deepEqual(e.errors, []);
  class Mine extends ApiError {}
  assert.equal(new Mine('x').code, 'api_error');
  assert.equal(new IbaneraError('x').code, 'ibanera_error');
});
