// Injected faults: GETs recover by retrying; a POST (money moves) is never executed twice,
// whatever the fault and however many retries the client may make, and every failure after
// its bytes may have arrived is an OutcomeUnknownError carrying its cause. The sandbox's
// `executions()` counts every executed POST.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import {
  ApiError,
  DecodeError,
  IbaneraError,
  OutcomeUnknownError,
  Sandbox,
  TimeoutError,
  TransportError,
} from 'ibanera';
import { countingProxy, rejectsWith, sleep } from './helpers.mjs';

const GET = '/api/v1/customer/accounts/account';
const BUY = '/api/v1/customer/crypto-exchanges/buy';
const WITHDRAW = '/api/v1/customer/accounts/crypto/withdraw';
const KEY_BUY = `POST ${BUY}`;

let sandbox;
let client;

before(async () => {
  sandbox = await Sandbox.start();
  // Generous retries: the point is that a POST still goes out at most once.
  client = sandbox.client({ maxRetries: 3, timeoutMs: 5_000 });
});
after(() => sandbox.close());
beforeEach(() => sandbox.reset());

// 0.001 BTC at 60000 reserves 60.36 USDC: the 50000 USDC account funds many of them.
const buy = (options) =>
  client.exchanges.buy(
    { customersId: 1004, assetPair: 'BTC/USDC', quantityType: 'Amount', amount: '0.001' },
    options,
  );

test('GET: 503s with Retry-After, dropped and cut-short connections are retried', async () => {
  sandbox.injectFault(GET, { kind: 'status', status: 503, retryAfter: '0' }, 2);
  assert.equal((await client.accounts.get(1055)).id, 1055);
  sandbox.injectFault(GET, { kind: 'dropAfterExecute' }, 1);
  assert.equal((await client.accounts.get(1055)).id, 1055);
  sandbox.injectFault(GET, { kind: 'truncate' }, 1);
  assert.equal((await client.accounts.get(1055)).id, 1055);
  sandbox.injectFault(GET, { kind: 'html', status: 502 }, 1);
  assert.equal((await client.accounts.get(1055)).id, 1055);
});

test('GET: the retry budget is respected (maxRetries per call)', async () => {
  const proxy = await countingProxy(sandbox.baseUrl);
  try {
    const viaProxy = sandbox.client({ baseUrl: proxy.baseUrl });
    await viaProxy.login();
    sandbox.injectFault(GET, { kind: 'status', status: 503, retryAfter: '0' }, 5);
    const e = await rejectsWith(viaProxy.accounts.get(1055, { maxRetries: 1 }), ApiError);
    assert.equal(e.httpStatus, 503);
    assert.equal(proxy.count(GET), 2);
  } finally {
    sandbox.clearFaults();
    await proxy.close();
  }
});

/** An OutcomeUnknownError whose cause is a `Cause`, about the buy, carrying what was sent. */
async function unknownOutcome(promise, Cause, endpoint = `POST ${BUY}`) {
  const e = await rejectsWith(promise, OutcomeUnknownError);
  assert.equal(e.code, 'outcome_unknown');
  assert.ok(e instanceof IbaneraError);
  assert.ok(
    e.cause instanceof Cause,
    `cause: expected ${Cause.name}, got ${e.cause && e.cause.constructor.name}`,
  );
  assert.equal(e.endpoint, endpoint);
  assert.match(e.message, /may have executed/);
  return e;
}

test('POST: connection dropped after execution -> OutcomeUnknownError, executed once, not re-sent', async () => {
  sandbox.injectFault(BUY, { kind: 'dropAfterExecute' }, 3);
  const e = await unknownOutcome(buy(), TransportError);
  assert.equal(e.attempts, 1);
  assert.deepEqual(e.sent, {
    customersId: 1004,
    assetPair: 'BTC/USDC',
    quantityType: 'Amount',
    amount: '0.001',
    price: null,
  });
  assert.deepEqual(sandbox.executions(), { [KEY_BUY]: 1 });
});

test('POST: response slower than the deadline -> OutcomeUnknownError (TimeoutError), executed once', async () => {
  sandbox.injectFault(BUY, { kind: 'delay', ms: 1_000 }, 3);
  const e = await unknownOutcome(buy({ timeoutMs: 200 }), TimeoutError);
  assert.equal(e.attempts, 1);
  await sleep(1_200); // the sandbox finishes the delayed request
  assert.deepEqual(sandbox.executions(), { [KEY_BUY]: 1 });
  const list = await client.exchanges.list({ customersId: 1004 });
  assert.equal(list.items.length, 1, 'exactly one exchange exists');
});

test('POST: body cut short, malformed JSON -> OutcomeUnknownError; each executed once', async () => {
  sandbox.injectFault(BUY, { kind: 'truncate' }, 3);
  await unknownOutcome(buy(), TransportError);
  assert.deepEqual(sandbox.executions(), { [KEY_BUY]: 1 });
  sandbox.clearFaults();
  sandbox.injectFault(BUY, { kind: 'malformedJson' }, 3);
  const d = await unknownOutcome(buy(), DecodeError);
  assert.equal(d.httpStatus, 200);
  assert.equal(d.cause.httpStatus, 200);
  assert.deepEqual(sandbox.executions(), { [KEY_BUY]: 2 });
});

test('POST: a 503 with the API error items proves nothing ran; a drop before execution may have', async () => {
  sandbox.injectFault(BUY, { kind: 'status', status: 503, retryAfter: '0' }, 1);
  const e = await rejectsWith(buy(), ApiError);
  assert.equal(e.httpStatus, 503);
  assert.ok(!(e instanceof OutcomeUnknownError));
  // The client cannot tell this drop from one after execution: the bytes were sent.
  sandbox.injectFault(BUY, { kind: 'dropBeforeExecute' }, 1);
  await unknownOutcome(buy(), TransportError);
  assert.deepEqual(sandbox.executions(), {});
  // Faults used up: the next buy executes, once.
  const ok = await buy();
  assert.equal(ok.status, 'WaitingForApproval');
  assert.deepEqual(sandbox.executions(), { [KEY_BUY]: 1 });
});

test('POST: a withdrawal under faults moves the money at most once', async () => {
  sandbox.injectFault(WITHDRAW, { kind: 'dropAfterExecute' }, 1);
  const e = await unknownOutcome(
    client.accounts.withdrawCrypto({
      accountsId: 1057,
      amount: '0.5',
      destinationAddress: 'bc1qdestination000000000000000000000000',
    }),
    TransportError,
    `POST ${WITHDRAW}`,
  );
  assert.equal(e.sent.amount, '0.5');
  assert.deepEqual(sandbox.executions(), { [`POST ${WITHDRAW}`]: 1 });
  // 2.5 - 0.5 - 0.0001 network fee: debited exactly once.
  assert.equal((await client.accounts.get(1057)).totalBalance, '1.999900000000000000');
});

test('many concurrent POSTs under faults: each executed exactly as often as it succeeded or was cut', async () => {
  sandbox.injectFault(BUY, { kind: 'dropAfterExecute' }, 5);
  sandbox.injectFault(BUY, { kind: 'status', status: 503 }, 5);
  const results = await Promise.allSettled(Array.from({ length: 30 }, () => buy()));
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  const failed = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
  const unknown = failed.filter((e) => e instanceof OutcomeUnknownError);
  const refused = failed.filter((e) => e.httpStatus === 503 && !(e instanceof OutcomeUnknownError));
  assert.equal(unknown.length, 5);
  assert.equal(refused.length, 5);
  assert.equal(ok, 20);
  // 20 successes + 5 executed-then-dropped; the 503s never executed; nothing twice.
  assert.deepEqual(sandbox.executions(), { [KEY_BUY]: 25 });
  const all = [];
  for await (const e of client.exchanges.list({ customersId: 1004, pageSize: 100 })) all.push(e.id);
  assert.equal(all.length, 25);
});
