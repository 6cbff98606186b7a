// Failure semantics: the deadline bounds the whole call, responses over the size limit end in
// ResponseLimitError (for a POST: an OutcomeUnknownError whose cause is one) without crashing,
// every way a POST can fail after its bytes may have arrived is an OutcomeUnknownError with the
// POST executed exactly once, and a success with error items keeps them as `warnings`.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, beforeEach, test } from 'node:test';

import {
  ApiError,
  Client,
  DecodeError,
  OutcomeUnknownError,
  RateLimitError,
  ResponseLimitError,
  Sandbox,
  TimeoutError,
  TransportError,
} from 'ibanera';
import { rejectsWith } from './helpers.mjs';

const GET = '/api/v1/customer/accounts/account';
const BALANCES = '/api/v1/customer/accounts/balances';
const BUY = '/api/v1/customer/crypto-exchanges/buy';
const KEY_BUY = `POST ${BUY}`;
// A deadline may end later than asked by this much on a busy two-core machine (scheduling,
// the debug build); a call that ignored the deadline would take seconds longer.
const MARGIN_MS = 700;

let sandbox;
let client;

before(async () => {
  sandbox = await Sandbox.start();
  client = sandbox.client({ maxRetries: 3 });
  await client.login();
});
after(() => sandbox.close());
beforeEach(() => sandbox.reset());

const buy = (options) =>
  client.exchanges.buy(
    { customersId: 1004, assetPair: 'BTC/USDC', quantityType: 'Amount', amount: '0.001' },
    options,
  );

async function timed(promise) {
  const started = performance.now();
  try {
    await promise;
  } catch (e) {
    return [e, performance.now() - started];
  }
  assert.fail('the call succeeded');
}

test('timeoutMs is the whole call: retries of slow attempts stop at the deadline', async () => {
  sandbox.injectFault(GET, { kind: 'delay', ms: 3_000 }, 10);
  const [e, ms] = await timed(
    client.accounts.get(1055, { timeoutMs: 1_000, attemptTimeoutMs: 300, maxRetries: 5 }),
  );
  assert.ok(e instanceof TimeoutError, e.message);
  assert.ok(e.attempts >= 2, `${e.attempts} attempts`);
  // At least two attempts of 300 ms; never past the deadline (plus scheduling).
  assert.ok(ms >= 600 && ms < 1_000 + MARGIN_MS, `ended after ${ms} ms`);
});

test('one attempt without attemptTimeoutMs runs until the deadline', async () => {
  sandbox.injectFault(GET, { kind: 'delay', ms: 3_000 }, 1);
  const [e, ms] = await timed(client.accounts.get(1055, { timeoutMs: 500 }));
  assert.ok(e instanceof TimeoutError);
  assert.equal(e.attempts, 1);
  assert.ok(ms < 500 + MARGIN_MS, `ended after ${ms} ms`);
});

test('a Retry-After beyond the deadline is not waited for', async () => {
  sandbox.injectFault(GET, { kind: 'status', status: 429, retryAfter: '30' }, 3);
  const [e, ms] = await timed(client.accounts.get(1055, { timeoutMs: 800 }));
  assert.ok(e instanceof RateLimitError, e.message);
  assert.equal(e.retryAfterMs, 30_000);
  assert.ok(ms < 800 + MARGIN_MS, `ended after ${ms} ms`);
});

test('the client timeoutMs is the default deadline; a call may give its own', async () => {
  const quick = sandbox.client({ timeoutMs: 400, maxRetries: 0 });
  sandbox.injectFault(GET, { kind: 'delay', ms: 1_200 }, 2);
  const [e, ms] = await timed(quick.accounts.get(1055));
  assert.ok(e instanceof TimeoutError);
  assert.ok(ms < 400 + MARGIN_MS, `ended after ${ms} ms`);
  assert.equal((await quick.accounts.get(1055, { timeoutMs: 10_000 })).id, 1055);
});

test('a POST over its deadline: OutcomeUnknownError (TimeoutError), executed once', async () => {
  sandbox.injectFault(BUY, { kind: 'delay', ms: 1_500 }, 1);
  const [e, ms] = await timed(buy({ timeoutMs: 400 }));
  assert.ok(e instanceof OutcomeUnknownError);
  assert.ok(e.cause instanceof TimeoutError);
  assert.ok(ms < 400 + MARGIN_MS, `ended after ${ms} ms`);
  await new Promise((r) => setTimeout(r, 1_400));
  assert.deepEqual(sandbox.executions(), { [KEY_BUY]: 1 });
});

test('an endless body: ResponseLimitError at the limit (per call and by default)', async () => {
  sandbox.injectFault(GET, { kind: 'endlessBody' }, 1);
  const e = await rejectsWith(
    client.accounts.get(1055, { maxResponseBytes: 1 << 20 }),
    ResponseLimitError,
  );
  assert.ok(e instanceof DecodeError);
  assert.equal(e.code, 'response_limit_exceeded');
  assert.equal(e.httpStatus, 200);
  assert.match(e.message, /1048576 bytes/);
  sandbox.injectFault(GET, { kind: 'endlessBody' }, 1);
  const byDefault = await rejectsWith(client.accounts.get(1055), ResponseLimitError);
  assert.match(byDefault.message, /67108864 bytes/);
});

test('a 200 MiB body: ResponseLimitError, and a limit set on the client', async () => {
  sandbox.injectFault(GET, { kind: 'oversizeBody', bytes: 209_715_200 }, 1);
  await rejectsWith(client.accounts.get(1055), ResponseLimitError);
  // A limit on the client: 5,000 bytes pass the default limit, not this one.
  const small = sandbox.client({ maxResponseBytes: 4_096 });
  sandbox.injectFault(BALANCES, { kind: 'oversizeBody', bytes: 5_000 }, 1);
  const e = await rejectsWith(small.accounts.balances(), ResponseLimitError);
  assert.equal(e.endpoint, `GET ${BALANCES}`);
  assert.match(e.message, /4096 bytes/);
  // The limit stopped that response only: the client goes on.
  assert.equal((await small.accounts.balances()).items.length, 4);
  // Under the default limit the same body is read (and is not a page of balances).
  sandbox.injectFault(BALANCES, { kind: 'oversizeBody', bytes: 5_000 }, 1);
  const read = await rejectsWith(client.accounts.balances(), DecodeError);
  assert.ok(!(read instanceof ResponseLimitError));
});

test('JSON nested too deep: ResponseLimitError, the process survives', async () => {
  sandbox.injectFault(GET, { kind: 'deepJson', depth: 100_000 }, 1);
  await rejectsWith(client.accounts.get(1055), ResponseLimitError);
  assert.equal((await client.accounts.get(1055)).id, 1055);
});

for (const [what, fault, Cause] of [
  ['the connection dropped after execution', { kind: 'dropAfterExecute' }, TransportError],
  ['malformed JSON', { kind: 'malformedJson' }, DecodeError],
  ['a body cut short', { kind: 'truncate' }, TransportError],
  ['a gateway 504 page after execution', { kind: 'html', status: 504, execute: true }, DecodeError],
  ['a 200 MiB body', { kind: 'oversizeBody', bytes: 209_715_200 }, ResponseLimitError],
  ['an endless body', { kind: 'endlessBody' }, ResponseLimitError],
]) {
  test(`POST, ${what}: OutcomeUnknownError, executed exactly once`, async () => {
    sandbox.injectFault(BUY, fault, 3);
    const e = await rejectsWith(buy({ maxRetries: 5 }), OutcomeUnknownError);
    assert.ok(e.cause instanceof Cause, `cause ${e.cause.constructor.name}: ${e.cause.message}`);
    assert.equal(e.endpoint, KEY_BUY);
    assert.equal(e.sent.amount, '0.001');
    assert.equal(e.sent.customersId, 1004);
    const json = JSON.parse(JSON.stringify(e));
    assert.equal(json.code, 'outcome_unknown');
    assert.equal(json.cause.code, e.cause.code);
    assert.deepEqual(json.sent, e.sent);
    assert.deepEqual(sandbox.executions(), { [KEY_BUY]: 1 });
    // The recipe: look for the exchange before repeating the buy.
    const recent = await client.exchanges.list({ customersId: 1004, assetPair: 'BTC/USDC' });
    assert.equal(recent.items.length, 1);
    assert.equal(recent.items[0].requestAmount.replace(/0+$/, ''), '0.001');
  });
}

test('a 5xx with the API error items proves the POST did not run: ApiError, not unknown', async () => {
  sandbox.injectFault(BUY, { kind: 'status', status: 503 }, 1);
  const e = await rejectsWith(buy(), ApiError);
  assert.ok(!(e instanceof OutcomeUnknownError));
  assert.deepEqual(sandbox.executions(), {});
});

const WARNING = { errorType: 'Warning', fieldName: 'PageSize', messageCode: 'Capped' };

test('a success with error items keeps them: page.warnings and request warnings', async () => {
  const body = { id: 0, details: [], status: '1', errors: [WARNING] };
  sandbox.injectFault(BALANCES, { kind: 'status', status: 200, body }, 2);
  const page = await client.accounts.balances();
  assert.deepEqual(page.items, []);
  assert.deepEqual(page.warnings, [WARNING]);
  const raw = await client.request('GET', BALANCES);
  assert.deepEqual(raw.warnings, [WARNING]);
  // Without items the key is absent.
  const plain = await client.accounts.balances();
  assert.equal('warnings' in plain, false);
  assert.equal('warnings' in (await client.request('GET', BALANCES)), false);
});

test('proxy: requests go through the given proxy', async () => {
  const connects = [];
  const proxy = http.createServer();
  proxy.on('connect', (req, socket) => {
    connects.push(req.url);
    socket.destroy();
  });
  await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
  try {
    const viaProxy = new Client({
      accessToken: 't',
      totpSecret: sandbox.totpSecret,
      baseUrl: 'https://api.example.invalid',
      proxy: `http://127.0.0.1:${proxy.address().port}`,
      maxRetries: 0,
    });
    await rejectsWith(viaProxy.accounts.get(1055), TransportError);
    assert.deepEqual(connects, ['api.example.invalid:443']);
  } finally {
    proxy.close();
  }
});
