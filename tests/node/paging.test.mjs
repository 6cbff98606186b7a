// Paging: a list call resolves to one page; `for await` walks every page lazily, one request
// per page and only when the loop gets there.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import { ApiError, Client, PagePromise, Sandbox, ValidationError } from 'ibanera';
import { countingProxy, rejectsWith } from './helpers.mjs';

const TX = '/api/v1/customer/accounts/transactions';

let sandbox;
let proxy;
let client;

before(async () => {
  sandbox = await Sandbox.start();
  proxy = await countingProxy(sandbox.baseUrl);
  client = sandbox.client({ baseUrl: proxy.baseUrl, maxRetries: 0 });
});
after(async () => {
  await proxy.close();
  await sandbox.close();
});
beforeEach(async () => {
  sandbox.reset();
  // 25 deposits of 1 unit on the USD account, besides its seed deposit: 26 transactions.
  await sandbox.seedTransactions(1055, 25);
  proxy.reset();
});

test('a list call resolves to one page with its paging fields', async () => {
  const p = client.accounts.transactions({ accountsId: 1055, pageSize: 10 });
  assert.ok(p instanceof Promise);
  assert.ok(p instanceof PagePromise);
  const page = await p;
  assert.equal(page.items.length, 10);
  assert.equal(page.pageNumber, 1);
  assert.equal(page.pageSize, 10);
  assert.equal(page.numberOfPages, 3);
  assert.deepEqual(Object.keys(page).sort(), ['items', 'numberOfPages', 'pageNumber', 'pageSize']);
  assert.equal(proxy.count(TX), 1);
  const third = await client.accounts.transactions({
    accountsId: 1055,
    pageSize: 10,
    pageNumber: 3,
  });
  assert.equal(third.items.length, 6);
  assert.equal(third.pageNumber, 3);
});

test('for await walks every item of every page, one request per page', async () => {
  const ids = [];
  for await (const tx of client.accounts.transactions({ accountsId: 1055, pageSize: 10 })) {
    ids.push(tx.id);
    assert.equal(typeof tx.amount, 'string');
  }
  assert.equal(ids.length, 26);
  assert.equal(new Set(ids).size, 26);
  assert.ok(ids.includes(10000));
  assert.equal(proxy.count(TX), 3);
});

test('pages are fetched lazily: nothing before the loop needs them, nothing after a break', async () => {
  const it = client.accounts
    .transactions({ accountsId: 1055, pageSize: 10 })
    [Symbol.asyncIterator]();
  for (let i = 0; i < 10; i++) {
    const { value, done } = await it.next();
    assert.equal(done, false);
    assert.ok(value.id > 0);
  }
  assert.equal(proxy.count(TX), 1, 'only the first page so far');
  // The 11th item needs page 2, fetched now: a fault injected now hits it.
  sandbox.injectFault(TX, { kind: 'status', status: 500 }, 1);
  const e = await rejectsWith(it.next(), ApiError);
  assert.equal(e.httpStatus, 500);
  assert.equal(proxy.count(TX), 2);

  proxy.reset();
  for await (const tx of client.accounts.transactions({ accountsId: 1055, pageSize: 5 })) {
    if (tx) break;
  }
  assert.equal(proxy.count(TX), 1, 'break stops the walk');
});

test('awaiting then iterating the same call does not fetch the first page twice', async () => {
  const call = client.accounts.transactions({ accountsId: 1055, pageSize: 20 });
  const first = await call;
  assert.equal(first.items.length, 20);
  let n = 0;
  for await (const tx of call) {
    assert.ok(tx);
    n++;
  }
  assert.equal(n, 26);
  assert.equal(proxy.count(TX), 2);
  // A second walk starts over.
  let again = 0;
  for await (const tx of call) {
    assert.ok(tx);
    again++;
  }
  assert.equal(again, 26);
  assert.equal(proxy.count(TX), 4);
});

test('pages() yields whole pages in order', async () => {
  const numbers = [];
  for await (const page of client.accounts
    .transactions({ accountsId: 1055, pageSize: 10 })
    .pages()) {
    numbers.push([page.pageNumber, page.items.length]);
  }
  assert.deepEqual(numbers, [
    [1, 10],
    [2, 10],
    [3, 6],
  ]);
});

test('a walk can start at a later page and keeps every filter', async () => {
  const ids = [];
  for await (const tx of client.accounts.transactions({
    accountsId: 1055,
    pageSize: 10,
    pageNumber: 2,
  })) {
    ids.push(tx.id);
  }
  assert.equal(ids.length, 16);
  const none = [];
  for await (const tx of client.accounts.transactions({ accountsId: 1055, toDate: '2023-01-01' })) {
    none.push(tx);
  }
  assert.deepEqual(none, []);
  const exchanges = [];
  for await (const e of client.exchanges.list({ customersId: 1004, status: 'Completed' }))
    exchanges.push(e);
  assert.deepEqual(exchanges, []);
});

test('balances without paging arguments: everything on one page', async () => {
  const items = [];
  for await (const b of client.accounts.balances()) items.push(b.id);
  assert.deepEqual(items, [1055, 1056, 1057, 1058]);
  for await (const b of client.accounts.balances({ pageSize: 3 })) items.push(b.id);
  assert.equal(items.length, 8);
});

test('a 10,000-transaction account walks to the end with exact amounts', async () => {
  await sandbox.seedTransactions(1056, 10_000);
  let n = 0;
  let ones = 0;
  for await (const tx of client.accounts.transactions({ accountsId: 1056, pageSize: 1000 })) {
    n++;
    if (tx.amount === '1.000000000000000000') ones++;
  }
  assert.equal(n, 10_001);
  assert.equal(ones, 10_000);
  const big = await client.accounts.transactions({ accountsId: 1056, pageSize: 1000 });
  assert.equal(big.numberOfPages, 11);
});

test('invalid paging arguments fail the call and the walk before anything is sent', async () => {
  const e = await rejectsWith(
    client.accounts.transactions({ accountsId: 1055, pageSize: 0 }),
    ValidationError,
  );
  assert.equal(e.field, 'pageSize');
  await rejectsWith(
    (async () => {
      for await (const tx of client.accounts.transactions({ accountsId: 1055, pageNumber: 0 })) {
        assert.fail(`got ${tx}`);
      }
    })(),
    ValidationError,
  );
  assert.equal(proxy.count(TX), 0);
});

test('a walk over an unknown account fails with the API error', async () => {
  const e = await rejectsWith(
    (async () => {
      for await (const tx of client.accounts.transactions({ accountsId: 999_999 }))
        assert.fail(`${tx}`);
    })(),
    ApiError,
  );
  assert.equal(e.httpStatus, 404);
});
