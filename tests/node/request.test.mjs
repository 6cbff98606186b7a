// `client.request(...)`: any endpoint with the typed calls' authentication, retries, error
// classes and exact money (strings in, exact numbers out).
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import Decimal from 'decimal.js';

import {
  ApiError,
  NotFoundError,
  OutcomeUnknownError,
  Sandbox,
  TransportError,
  ValidationError,
} from 'ibanera';
import { rejectsWith } from './helpers.mjs';

const ACCOUNT = '/api/v1/customer/accounts/account';
const LIST_ACCOUNTS = '/api/v1/customer/accounts/list-accounts';
const WITHDRAW = '/api/v1/customer/accounts/crypto/withdraw';
const DESTINATION = 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh';
const SCREENED = 'bc1qscreened0000000000000000000000000000';

let sandbox;
let client;

before(async () => {
  sandbox = await Sandbox.start();
  client = sandbox.client({ maxRetries: 0 });
});
after(() => sandbox.close());
beforeEach(() => sandbox.reset());

test('a GET with a query resolves to the envelope, money as exact strings', async () => {
  const reply = await client.request('get', ACCOUNT, { query: { Id: 1055 } });
  assert.deepEqual(Object.keys(reply).sort(), [
    'details',
    'id',
    'numberOfPages',
    'pageNumber',
    'pageSize',
  ]);
  assert.equal(reply.details.id, 1055);
  assert.equal(reply.details.totalBalance, '100000.000000000000000000');
  assert.equal(reply.details.bSuppressed, false);
});

test('query pairs, left-out nulls and paging fields', async () => {
  const reply = await client.request('GET', LIST_ACCOUNTS, {
    query: [
      ['customersId', 1004],
      ['pageSize', 2n],
      ['asset', null],
    ],
  });
  assert.deepEqual(
    reply.details.map((a) => a.id),
    [1055, 1056],
  );
  assert.equal(reply.pageNumber, 1);
  assert.equal(reply.pageSize, 2);
  assert.ok(reply.numberOfPages >= 2);
});

test('a POST body keeps every digit of a decimal object and runs once', async () => {
  const reply = await client.request('POST', WITHDRAW, {
    body: {
      accountsId: 1057,
      amount: new Decimal('0.010000000000000001'),
      destinationAddress: DESTINATION,
    },
  });
  assert.equal(reply.details.amount.replace('-', ''), '0.010000000000000001');
  assert.deepEqual(sandbox.executions(), { [`POST ${WITHDRAW}`]: 1 });
  const account = await client.request('GET', ACCOUNT, { query: { Id: 1057 } });
  // 2.5 less the amount and the sandbox's BTC network fee of 0.0001.
  assert.equal(account.details.availableBalance, '2.489899999999999999');
});

test('a POST is not re-sent after it may have arrived', async () => {
  sandbox.injectFault(WITHDRAW, { kind: 'dropAfterExecute' });
  const body = { accountsId: 1057, amount: '0.01', destinationAddress: DESTINATION };
  const e = await rejectsWith(
    client.request('POST', WITHDRAW, { body, maxRetries: 5 }),
    OutcomeUnknownError,
  );
  assert.ok(e.cause instanceof TransportError);
  // What was sent, as the call's own values (no typed money here: the body as given).
  assert.deepEqual(e.sent, body);
  assert.equal(e.endpoint, `POST ${WITHDRAW}`);
  assert.deepEqual(sandbox.executions(), { [`POST ${WITHDRAW}`]: 1 });
});

test('API errors have the typed classes', async () => {
  const missing = await rejectsWith(
    client.request('GET', ACCOUNT, { query: { Id: 999999 } }),
    NotFoundError,
  );
  assert.equal(missing.httpStatus, 404);
  const blocked = await rejectsWith(
    client.request('POST', WITHDRAW, {
      body: { accountsId: 1057, amount: '0.01', destinationAddress: SCREENED },
    }),
    ApiError,
  );
  assert.deepEqual(
    blocked.errors.map((e) => e.messageCode),
    ['Transaction_Blocked'],
  );
});

const circular = {};
circular.self = circular;

for (const [what, args, field] of [
  ['an unknown method', ['FETCH', ACCOUNT], 'method'],
  ['a URL for a path', ['GET', 'https://elsewhere.example/api'], 'path'],
  ['a query inside the path', ['GET', `${ACCOUNT}?Id=1`], 'path'],
  ['an object as a query value', ['GET', ACCOUNT, { query: { Id: { nested: 1 } } }], 'query.Id'],
  ['a query that is a number', ['GET', ACCOUNT, { query: 5 }], 'query'],
  ['a float in the body', ['POST', WITHDRAW, { body: { amount: 0.1 } }], 'body.amount'],
  ['NaN in the body', ['POST', WITHDRAW, { body: { amount: Number.NaN } }], 'body.amount'],
  ['a function in a list', ['POST', WITHDRAW, { body: { items: [1, () => 1] } }], 'body.items[1]'],
  ['a non-decimal object', ['POST', WITHDRAW, { body: { at: new Map() } }], 'body.at'],
  ['a cycle', ['POST', WITHDRAW, { body: circular }], `body${'.self'.repeat(65)}`],
  ['an unknown option', ['GET', ACCOUNT, { retries: 1 }], 'options'],
  ['a bad timeout', ['GET', ACCOUNT, { timeoutMs: -1 }], 'timeoutMs'],
]) {
  test(`bad input names the argument and sends nothing: ${what}`, async () => {
    // A fault waits for the next request to each path: still there afterwards means nothing
    // reached the server.
    for (const path of [ACCOUNT, WITHDRAW])
      sandbox.injectFault(path, { kind: 'status', status: 418 });
    const e = await rejectsWith(client.request(...args), ValidationError);
    assert.equal(e.field, field);
    assert.match(e.message, /nothing was sent/);
    if (field === 'options') {
      assert.match(e.rule, /known: query, body, timeoutMs, attemptTimeoutMs, maxRetries/);
    }
    for (const [method, path] of [
      ['GET', ACCOUNT],
      ['POST', WITHDRAW],
    ]) {
      const pending = await client.request(method, path).catch((err) => err);
      assert.equal(pending.httpStatus, 418, `${method} ${path}: the fault was still waiting`);
    }
    assert.deepEqual(sandbox.executions(), {});
  });
}
