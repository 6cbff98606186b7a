// `client.recovery` against a fresh sandbox per test, as tests/python/test_recovery.py runs it
// in Python: after an `OutcomeUnknownError`, a withdrawal or an exchange that executed is found,
// one that did not is not, and what merely looks alike (another amount, account, pair or type,
// an older exchange) is left out. Money is compared digit for digit.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import Decimal from 'decimal.js';
import { DecodeError, OutcomeUnknownError, Recovery, ValidationError } from 'ibanera';
import { useSandbox } from 'ibanera/testing';

import { rejectsWith } from './helpers.mjs';

// The seeded world (sandbox/README.md).
const MANAGER = 1004;
const BTC = 1057;
const ETH = 1058;
const ADDRESS = 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh';
const WITHDRAW = '/api/v1/customer/accounts/crypto/withdraw';
const BUY = '/api/v1/customer/crypto-exchanges/buy';

const withdraw = (client, amount = '0.01', accountsId = BTC) =>
  client.accounts.withdrawCrypto({ accountsId, amount, destinationAddress: ADDRESS });

const buy = (client, extra = {}) =>
  client.exchanges.buy({
    customersId: MANAGER,
    assetPair: 'BTC/USDC',
    quantityType: 'Amount',
    amount: '0.02',
    ...extra,
  });

const findBuys = (client, afterId, extra = {}) =>
  client.recovery.findExchanges({
    customersId: MANAGER,
    assetPair: 'BTC/USDC',
    exchangeType: 'Buy',
    amount: '0.02',
    afterId,
    ...extra,
  });

test('a withdrawal that executed before its answer was lost is found', async (t) => {
  const { sandbox, client } = await useSandbox(t);
  assert.ok(client.recovery instanceof Recovery);
  const startedAt = new Date();
  sandbox.injectFault(WITHDRAW, { kind: 'dropAfterExecute' }, 1);
  await rejectsWith(withdraw(client), OutcomeUnknownError);
  assert.deepEqual(sandbox.executions(), { [`POST ${WITHDRAW}`]: 1 });

  const found = await client.recovery.findWithdrawals({
    accountsId: BTC,
    amount: '0.01',
    startedAt,
  });
  assert.equal(found.length, 1);
  assert.equal(found[0].amount, '-0.010000000000000000');
  assert.equal(found[0].accountsId, BTC);
  // The same question with the other forms the arguments take: a decimal object, ISO text, a
  // bigint id.
  const again = await client.recovery.findWithdrawals({
    accountsId: BigInt(BTC),
    amount: new Decimal('0.010'),
    startedAt: startedAt.toISOString(),
  });
  assert.deepEqual(
    again.map((x) => x.id),
    [found[0].id],
  );
});

test('a withdrawal dropped before it executed is not found and can be sent again', async (t) => {
  const { sandbox, client } = await useSandbox(t);
  const startedAt = new Date();
  sandbox.injectFault(WITHDRAW, { kind: 'dropBeforeExecute' }, 1);
  await rejectsWith(withdraw(client), OutcomeUnknownError);
  assert.deepEqual(sandbox.executions(), {});
  const args = { accountsId: BTC, amount: '0.01', startedAt };
  assert.deepEqual(await client.recovery.findWithdrawals(args), []);

  await withdraw(client); // safe: it had not run
  assert.equal((await client.recovery.findWithdrawals(args)).length, 1);
  assert.deepEqual(sandbox.executions(), { [`POST ${WITHDRAW}`]: 1 });
});

test('withdrawals of another amount or account do not match', async (t) => {
  const { sandbox, client } = await useSandbox(t);
  const startedAt = new Date();
  await withdraw(client);
  await client.accounts.withdrawCrypto({
    accountsId: ETH,
    amount: '0.01',
    destinationAddress: '0x52908400098527886E0F7030069857D2E4169EE7',
  });
  sandbox.creditDeposit(BTC, '0.01'); // a credit of the same amount is no withdrawal
  const other = await client.recovery.findWithdrawals({
    accountsId: BTC,
    amount: '0.02',
    startedAt,
  });
  assert.deepEqual(other, []);
  const found = await client.recovery.findWithdrawals({
    accountsId: BTC,
    amount: '0.01',
    startedAt,
  });
  assert.deepEqual(
    found.map((x) => [x.accountsId, x.amount]),
    [[BTC, '-0.010000000000000000']],
  );
});

test('an exchange that executed before its answer was garbled is found', async (t) => {
  const { sandbox, client } = await useSandbox(t);
  const before = await client.recovery.latestExchangeId({ customersId: MANAGER });
  sandbox.injectFault(BUY, { kind: 'malformedJson' }, 1);
  const e = await rejectsWith(buy(client), OutcomeUnknownError);
  assert.ok(e.cause instanceof DecodeError, String(e.cause));
  assert.deepEqual(sandbox.executions(), { [`POST ${BUY}`]: 1 });

  const found = await findBuys(client, before);
  assert.equal(found.length, 1);
  assert.equal(found[0].requestAmount, '0.020000000000000000');
  assert.equal(found[0].exchangeType, 'Buy');
  assert.equal(found[0].assetPair, 'BTC/USDC');
  assert.ok(before === null || found[0].id > before);
  assert.equal(await client.recovery.latestExchangeId({ customersId: MANAGER }), found[0].id);
});

test('an exchange dropped before it executed is not found', async (t) => {
  const { sandbox, client } = await useSandbox(t);
  const before = await client.recovery.latestExchangeId({ customersId: MANAGER });
  sandbox.injectFault(BUY, { kind: 'dropBeforeExecute' }, 1);
  await rejectsWith(buy(client), OutcomeUnknownError);
  assert.deepEqual(sandbox.executions(), {});
  assert.deepEqual(await findBuys(client, before), []);
});

test('exchanges are matched on pair, type, amount or price, and a newer id', async (t) => {
  const { client } = await useSandbox(t);
  const first = await buy(client);
  const second = await buy(client);
  const byPrice = await buy(client, { quantityType: 'Price', amount: null, price: '100' });
  await client.exchanges.sell({
    customersId: MANAGER,
    assetPair: 'BTC/USDC',
    quantityType: 'Amount',
    amount: '0.02',
  });
  const ids = (xs) => xs.map((x) => x.id);

  assert.deepEqual(ids(await findBuys(client, null)), [second.id, first.id]);
  assert.deepEqual(ids(await findBuys(client, first.id)), [second.id]);
  assert.deepEqual(await findBuys(client, second.id), []);
  assert.deepEqual(await findBuys(client, null, { amount: '0.03' }), []);
  assert.deepEqual(await findBuys(client, null, { assetPair: 'BTC/USD' }), []);
  const sells = await findBuys(client, null, { exchangeType: 'Sell' });
  assert.deepEqual(
    sells.map((x) => x.exchangeType),
    ['Sell'],
  );
  const priced = await findBuys(client, null, { amount: undefined, price: new Decimal('100') });
  assert.deepEqual(ids(priced), [byPrice.id]);
});

test('latestExchangeId is null for a customer without exchanges', async (t) => {
  const { client } = await useSandbox(t);
  assert.equal(await client.recovery.latestExchangeId({ customersId: 1005 }), null);
});

test('bad arguments are refused before anything is sent, naming the argument', async (t) => {
  const { sandbox } = await useSandbox(t);
  const defaults = {
    findWithdrawals: { accountsId: BTC, amount: '0.01', startedAt: new Date() },
    findExchanges: {
      customersId: MANAGER,
      assetPair: 'BTC/USDC',
      exchangeType: 'Buy',
      amount: '0.02',
    },
    latestExchangeId: { customersId: MANAGER },
  };
  const cases = [
    ['findWithdrawals', { accountsId: '1057' }, 'accountsId'],
    ['findWithdrawals', { accountsId: true }, 'accountsId'],
    ['findWithdrawals', { amount: 0.01 }, 'amount'],
    ['findWithdrawals', { amount: '1e-40' }, 'amount'],
    ['findWithdrawals', { amount: Buffer.from('1') }, 'amount'],
    ['findWithdrawals', { startedAt: '2026-12-01' }, 'startedAt'],
    ['findWithdrawals', { startedAt: 'yesterday' }, 'startedAt'],
    ['findWithdrawals', { startedAt: new Date(Number.NaN) }, 'startedAt'],
    ['findWithdrawals', { startedAt: undefined }, 'startedAt'],
    ['findWithdrawals', { destination: ADDRESS }, 'arguments'],
    ['findExchanges', { price: '100' }, 'amount'],
    ['findExchanges', { amount: null }, 'price'],
    ['findExchanges', { exchangeType: 3 }, 'exchangeType'],
    ['findExchanges', { exchangeType: 'Swap' }, 'exchangeType'],
    ['findExchanges', { assetPair: ' ' }, 'assetPair'],
    ['findExchanges', { afterId: 1.5 }, 'afterId'],
    ['findExchanges', { afterId: () => 1 }, 'afterId'],
    ['latestExchangeId', { customersId: '1004' }, 'customersId'],
  ];
  // A client that never logged in: still without a session afterwards, so nothing was sent.
  const client = sandbox.client();
  for (const [helper, args, field] of cases) {
    const e = await rejectsWith(
      client.recovery[helper]({ ...defaults[helper], ...args }),
      ValidationError,
    );
    assert.equal(e.field, field, `${helper} ${JSON.stringify(args)}: ${e.message}`);
    assert.doesNotMatch(e.message, /yesterday|bc1qxy2/, e.message);
  }
  await rejectsWith(client.recovery.findWithdrawals(), ValidationError);
  await rejectsWith(
    client.recovery.findWithdrawals(defaults.findWithdrawals, { timeoutMs: -1 }),
    ValidationError,
  );
  assert.equal(client.session, null);
  assert.equal(sandbox.authStats().loginsSucceeded, 0);
});
