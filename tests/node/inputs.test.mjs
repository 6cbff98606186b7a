// Values that cannot be encoded exactly are refused with a ValidationError naming the argument
// (in camelCase), and nothing is sent: counted by a proxy in front of the sandbox and by the
// sandbox's executions. `JSON.stringify` would have dropped a function or a Symbol without a
// word (a sell with `payeesId: payee.getId` went out without a payee), read a Buffer's bytes
// as a decimal, or turned a Date into text.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import { Sandbox, ValidationError } from 'ibanera';
import { countingProxy, rejectsWith } from './helpers.mjs';

let sandbox;
let proxy;
let client;
let requests = 0;

before(async () => {
  sandbox = await Sandbox.start();
  proxy = await countingProxy(sandbox.baseUrl);
  client = sandbox.client({ baseUrl: proxy.baseUrl, maxRetries: 0 });
  await client.login();
});
after(async () => {
  await proxy.close();
  await sandbox.close();
});
beforeEach(() => {
  sandbox.reset();
  proxy.reset();
});

const PATHS = [
  '/api/v1/public/auth/login',
  '/api/v1/customer/accounts/account',
  '/api/v1/customer/accounts/list-accounts',
  '/api/v1/customer/accounts/transactions',
  '/api/v1/customer/accounts/crypto/withdraw',
  '/api/v1/customer/crypto-exchanges/sell',
  '/api/v1/customer/crypto-exchanges/buy',
  '/api/v1/customer/crypto-exchanges/quote',
  '/api/v1/customer/payees/add',
];
const sent = () => PATHS.reduce((n, p) => n + proxy.count(p), 0);

const sell = {
  customersId: 1004,
  assetPair: 'BTC/USD',
  quantityType: 'Amount',
  amount: '0.01',
  payeesId: 1011,
  transferType: 'Wire',
};
const buy = { customersId: 1004, assetPair: 'BTC/USDC', quantityType: 'Amount', amount: '0.001' };
const withdraw = { accountsId: 1057, amount: '0.1', destinationAddress: 'bc1qdest0000' };

class Payee {
  getId() {
    return 1011;
  }
}
const payee = new Payee();
const revocable = Proxy.revocable({}, {});
revocable.revoke();
const withProto = (args) =>
  JSON.parse(`{"__proto__": {"payeesId": 1011}, ${JSON.stringify(args).slice(1)}`);

// [what, call, field, rule pattern]
const cases = [
  [
    'a method passed without calling it (payeesId: payee.getId)',
    () => client.exchanges.sell({ ...sell, payeesId: payee.getId }),
    'payeesId',
    /is a function \(`getId`\), not a value: was a method passed without calling it\?/,
  ],
  [
    'an arrow function for an id',
    () => client.accounts.get(() => 1055),
    'arguments',
    /got a function/,
  ],
  [
    'a Symbol for text',
    () => client.exchanges.buy({ ...buy, assetPair: Symbol('BTC') }),
    'assetPair',
    /Symbol/,
  ],
  ['a Symbol for a positional id', () => client.accounts.get(Symbol('id')), 'id', /Symbol/],
  [
    'a Symbol for an unknown key',
    () => client.exchanges.buy({ ...buy, note: Symbol('x') }),
    'note',
    /Symbol/,
  ],
  [
    'a function for an unknown key',
    () => client.exchanges.sell({ ...sell, payeeId: payee.getId }),
    'payeeId',
    /function/,
  ],
  [
    'a Proxy for the arguments',
    () => client.exchanges.buy(new Proxy(buy, {})),
    'arguments',
    /Proxy/,
  ],
  [
    'a Proxy for money',
    () => client.exchanges.buy({ ...buy, amount: new Proxy({ toString: () => '1' }, {}) }),
    'amount',
    /Proxy/,
  ],
  [
    'a revoked Proxy for an id',
    () => client.exchanges.buy({ ...buy, customersId: revocable.proxy }),
    'customersId',
    /Proxy/,
  ],
  [
    'a Buffer for money',
    () => client.accounts.withdrawCrypto({ ...withdraw, amount: Buffer.from('0.5') }),
    'amount',
    /bytes/,
  ],
  [
    'a Uint8Array for money',
    () => client.exchanges.buy({ ...buy, amount: new Uint8Array([0x31]) }),
    'amount',
    /bytes/,
  ],
  [
    'a Float64Array for money',
    () => client.exchanges.buy({ ...buy, amount: new Float64Array([0.5]) }),
    'amount',
    /bytes/,
  ],
  [
    'an ArrayBuffer for money',
    () => client.exchanges.buy({ ...buy, amount: new ArrayBuffer(2) }),
    'amount',
    /bytes/,
  ],
  [
    'a DataView for money',
    () => client.exchanges.buy({ ...buy, amount: new DataView(new ArrayBuffer(1)) }),
    'amount',
    /bytes/,
  ],
  [
    'a boolean for money',
    () => client.exchanges.buy({ ...buy, amount: true }),
    'amount',
    /boolean/,
  ],
  [
    'a Date for money',
    () => client.exchanges.buy({ ...buy, amount: new Date() }),
    'amount',
    /Date/,
  ],
  [
    'a Date for text',
    () => client.exchanges.buy({ ...buy, assetPair: new Date() }),
    'assetPair',
    /must be a string, got a Date/,
  ],
  [
    'a Date for an id',
    () => client.accounts.get({ id: new Date() }),
    'id',
    /must be an integer, got a Date/,
  ],
  [
    'an object for text',
    () => client.accounts.list({ customersId: 1004, asset: { code: 'USD' } }),
    'asset',
    /must be a string, got an object/,
  ],
  ['an own __proto__ key', () => client.exchanges.sell(withProto(sell)), 'arguments', /__proto__/],
  [
    'a bigint beyond 64 bits for an id',
    () => client.exchanges.buy({ ...buy, customersId: 2n ** 63n }),
    'customersId',
    /64-bit/,
  ],
  [
    'a negative bigint beyond 64 bits',
    () => client.accounts.get(-(2n ** 63n) - 1n),
    'id',
    /64-bit/,
  ],
  ['an unsafe integer for an id', () => client.accounts.get(2 ** 53 + 2), 'id', /MAX_SAFE_INTEGER/],
  ['NaN for an id', () => client.accounts.get(Number.NaN), 'id', /finite/],
  [
    'Infinity for a count',
    () => client.accounts.transactions({ accountsId: 1055, pageSize: Infinity }),
    'pageSize',
    /finite/,
  ],
  [
    '-Infinity for money',
    () => client.exchanges.buy({ ...buy, amount: -Infinity }),
    'amount',
    /finite/,
  ],
  [
    'NaN for money',
    () => client.accounts.withdrawCrypto({ ...withdraw, amount: Number.NaN }),
    'amount',
    /finite/,
  ],
  ['a fraction for an id (the core)', () => client.accounts.get(1055.5), 'id', /integer/],
  [
    'a numeric string for an id (the core)',
    () => client.exchanges.sell({ ...sell, payeesId: '1011' }),
    'payeesId',
    /must be an integer that fits 64 bits, got a string of 4 characters/,
  ],
  ['a numeric string for a positional id', () => client.accounts.get('1055'), 'id', /integer/],
  [
    'a numeric string for a count',
    () => client.accounts.list({ customersId: 1004, pageSize: '10' }),
    'pageSize',
    /integer/,
  ],
  [
    'money beyond 28 digits (the core)',
    () => client.exchanges.buy({ ...buy, amount: '0.00000000000000000000000000001' }),
    'amount',
    /./,
  ],
  [
    'a function in a raw body',
    () => client.request('POST', '/api/v1/customer/payees/add', { body: { id: payee.getId } }),
    'body.id',
    /function/,
  ],
  [
    'a Buffer in a raw body',
    () =>
      client.request('POST', '/api/v1/customer/payees/add', { body: { amount: Buffer.from('1') } }),
    'body.amount',
    /bytes/,
  ],
  [
    'a Proxy in a raw body',
    () => client.request('POST', '/api/v1/customer/payees/add', { body: new Proxy({ a: 1 }, {}) }),
    'body',
    /Proxy/,
  ],
  [
    'a Number object with a fraction in a raw body',
    () =>
      client.request('POST', '/api/v1/customer/payees/add', { body: { amount: new Number(0.1) } }),
    'body.amount',
    /fraction/,
  ],
  [
    'an own __proto__ key in a raw body',
    () =>
      client.request('POST', '/api/v1/customer/payees/add', {
        body: JSON.parse('{"__proto__": {"x": 1}}'),
      }),
    'body',
    /__proto__/,
  ],
  [
    'a Symbol in a raw query',
    () =>
      client.request('GET', '/api/v1/customer/accounts/account', { query: { Id: Symbol('x') } }),
    'query.Id',
    /Symbol/,
  ],
];

for (const [what, call, field, rule] of cases) {
  test(`refused, nothing sent: ${what}`, async () => {
    const e = await rejectsWith(call(), ValidationError);
    assert.equal(e.field, field, e.message);
    assert.match(e.rule, rule);
    assert.match(e.message, /nothing was sent/);
    assert.equal(e.httpStatus, null);
    assert.equal(sent(), 0, 'nothing reached the server');
    assert.deepEqual(sandbox.executions(), {});
  });
}

test('what the wrapper accepts still goes through exactly', async () => {
  assert.equal((await client.accounts.get(1055n)).id, 1055);
  assert.equal((await client.accounts.get({ id: 1055n })).id, 1055);
  const withPayee = await client.exchanges.sell({ ...sell, payeesId: payee.getId() });
  assert.equal(withPayee.payeesId, 1011);
  const viaDate = await client.accounts.transactions({
    accountsId: 1055,
    fromDate: new Date('2024-01-01T00:00:00Z'),
  });
  assert.ok(viaDate.items.length >= 1);
  // A prototype's keys are not the caller's arguments: only own keys count.
  const inherited = Object.assign(Object.create({ payeesId: 1011 }), sell, { payeesId: undefined });
  const noPayee = await client.exchanges.sell({ ...inherited, transferType: undefined });
  assert.equal(noPayee.payeesId, null);
  assert.deepEqual(sandbox.executions(), { 'POST /api/v1/customer/crypto-exchanges/sell': 2 });
});

test('the counting check can fail: a request that is sent is counted', async () => {
  requests = sent();
  await client.accounts.get(1055);
  assert.equal(sent(), requests + 1);
});
