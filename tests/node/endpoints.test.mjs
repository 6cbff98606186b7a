// All 16 endpoints against the in-process Sandbox, with the seeded world's exact values
// (sandbox/README.md): results are plain objects, camelCase, money as exact strings,
// timestamps ISO 8601 UTC.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { Client, ConfigError, Sandbox } from 'ibanera';

let sandbox;
let client;

before(async () => {
  sandbox = await Sandbox.start();
  client = sandbox.client();
});
after(() => sandbox.close());
beforeEach(() => sandbox.reset());

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3}|\.\d{6}|\.\d{9})?Z$/;

function assertPlain(value) {
  assert.equal(
    Object.getPrototypeOf(value),
    Array.isArray(value) ? Array.prototype : Object.prototype,
  );
  for (const v of Object.values(value)) {
    if (v !== null && typeof v === 'object') assertPlain(v);
  }
  assert.deepEqual(JSON.parse(JSON.stringify(value)), value);
}

describe('accounts', () => {
  test('create', async () => {
    const created = await client.accounts.create({
      customersId: 1004,
      name: 'Ops USD',
      asset: 'USD',
    });
    assertPlain(created);
    assert.equal(created.customersId, 1004);
    assert.equal(created.customersReference, 'CST1004');
    assert.equal(created.accounts.length, 1);
    const [account] = created.accounts;
    assert.equal(account.id, 3000);
    assert.equal(account.name, 'Ops USD');
    assert.equal(account.asset, 'USD');
    assert.equal(account.accountNumber, '357900003000');
    assert.equal(account.totalBalance, '0.000000000000000000');
    assert.equal((await client.accounts.get(3000)).name, 'Ops USD');
  });

  test('get (positional id and options object)', async () => {
    const account = await client.accounts.get(1055);
    assertPlain(account);
    assert.deepEqual(await client.accounts.get({ id: 1055 }), account);
    assert.equal(account.id, 1055);
    assert.equal(account.customersId, 1004);
    assert.equal(account.asset, 'USD');
    assert.equal(account.routingNumber, '021214891');
    assert.equal(account.accountNumber, '357900001055');
    assert.equal(account.reference, 'REF1055');
    assert.equal(account.totalBalance, '100000.000000000000000000');
    assert.equal(account.availableBalance, '100000.000000000000000000');
    assert.equal(account.pendingBalance, '0.000000000000000000');
    assert.equal(account.suppressed, false);
    assert.equal(account.dateAdded, '2024-01-15T09:30:00Z');
    assert.ok(!('bSuppressed' in account));
  });

  test('balances', async () => {
    const page = await client.accounts.balances();
    assertPlain(page);
    assert.deepEqual(
      page.items.map((b) => [b.id, b.asset, b.totalBalance]),
      [
        [1055, 'USD', '100000.000000000000000000'],
        [1056, 'USDC', '50000.000000000000000000'],
        [1057, 'BTC', '2.500000000000000000'],
        [1058, 'ETH', '40.000000000000000000'],
      ],
    );
    assert.equal(page.pageNumber, 1);
    assert.equal(page.numberOfPages, 1);
  });

  test('list', async () => {
    const page = await client.accounts.list({ customersId: 1005 });
    assert.deepEqual(
      page.items.map((a) => [a.id, a.asset, a.availableBalance]),
      [
        [1060, 'USD', '2500.000000000000000000'],
        [1061, 'USDC', '1000.000000000000000000'],
      ],
    );
    const usdc = await client.accounts.list({ customersId: 1004, asset: 'USDC' });
    assert.deepEqual(
      usdc.items.map((a) => a.id),
      [1056],
    );
  });

  test('transactions', async () => {
    const page = await client.accounts.transactions({
      accountsId: 1055,
      fromDate: '2024-01-15',
      toDate: new Date('2024-01-16T00:00:00Z'),
    });
    assertPlain(page);
    assert.equal(page.items.length, 1);
    const [tx] = page.items;
    assert.equal(tx.id, 10000);
    assert.equal(tx.amount, '100000.000000000000000000');
    assert.equal(tx.dateTime, '2024-01-15T10:00:00Z');
    assert.equal(tx.pending, false);
    assert.equal(tx.cancellable, false);
    const none = await client.accounts.transactions({ accountsId: 1055, toDate: '2023-12-31' });
    assert.deepEqual(none.items, []);
  });

  test('transaction', async () => {
    const tx = await client.accounts.transaction(10000);
    assertPlain(tx);
    assert.equal(tx.transactionId, 10000);
    assert.equal(tx.amount, '100000.000000000000000000');
    assert.equal(tx.asset, 'USD');
    assert.equal(tx.assetClass, 'Currency');
    assert.equal(tx.transactionStatus, 'Completed');
    assert.equal(tx.timestamp, '2024-01-15T10:00:00Z');
    assert.equal(tx.achTransferDetails.receiverRoutingNumber, '021214891');
    assert.equal(tx.walletTransferDetails, null);
    assert.equal(tx.eligibleForReversal, false);
  });

  test('withdrawCrypto moves exactly amount + network fee', async () => {
    const w = await client.accounts.withdrawCrypto({
      accountsId: 1057,
      amount: '0.1',
      destinationAddress: 'bc1qexampledestination0000000000000000000',
    });
    assertPlain(w);
    assert.equal(w.accountsId, 1057);
    assert.equal(w.amount, '0.100000000000000000');
    assert.equal(w.pending, false);
    assert.match(w.dateTime, ISO_UTC);
    const btc = await client.accounts.get(1057);
    assert.equal(btc.totalBalance, '2.399900000000000000');
    const details = await client.accounts.transaction(w.id);
    assert.equal(details.feeTransactionAmount, '-0.000100000000000000');
  });

  test('depositAddress', async () => {
    assert.deepEqual(await client.accounts.depositAddress(1057), {
      address: 'bc1qsandbox000000000000000000000000001057',
    });
    assert.deepEqual(await client.accounts.depositAddress({ accountsId: 1058 }), {
      address: `0x5a4d${(1058).toString(16).padStart(36, '0')}`,
    });
  });
});

describe('exchanges', () => {
  test('pairs', async () => {
    const pairs = await client.exchanges.pairs();
    assert.ok(Array.isArray(pairs));
    assert.deepEqual(
      pairs.map((p) => p.assetPair),
      ['BTC/USDC', 'ETH/USD', 'USDC/USD', 'BTC/USD'],
    );
    const btc = pairs[0];
    assert.equal(btc.baseAsset, 'BTC');
    assert.equal(btc.quoteAsset, 'USDC');
    assert.equal(btc.minimumAmount, '0.000010000000000000');
    assert.equal(btc.maximumAmount, '100.000000000000000000');
  });

  test('quote (the spec example: buy BTC/USDC for 10)', async () => {
    const q = await client.exchanges.quote({
      customersId: 1004,
      assetPair: 'BTC/USDC',
      quantityType: 'Price',
      exchangeType: 'Buy',
      price: '10',
    });
    assertPlain(q);
    assert.equal(q.amount, '0.000066334991708126');
    assert.equal(q.price, '10.000000000000000000');
    assert.equal(q.commissionFee, '0.019900497512440000');
    assert.equal(q.networkFee, '6.000000000000000000');
    assert.equal(q.netPrice, '3.980099502487560000');
    assert.equal(q.fxRateId, 7000);
    assert.match(q.fxRateExpiryDate, ISO_UTC);
  });

  test('buy (amount 0.1 BTC at 60000)', async () => {
    const e = await client.exchanges.buy({
      customersId: 1004,
      assetPair: 'BTC/USDC',
      quantityType: 'Amount',
      amount: '0.1',
    });
    assertPlain(e);
    assert.equal(e.id, 23000);
    assert.equal(e.exchangeType, 'Buy');
    assert.equal(e.status, 'WaitingForApproval');
    assert.equal(e.requestAmount, '0.100000000000000000');
    assert.equal(e.requestPrice, '6036.000000000000000000');
    assert.equal(e.commissionFee, '30.000000000000000000');
    const usdc = await client.accounts.get(1056);
    assert.equal(usdc.availableBalance, '43964.000000000000000000');
    assert.equal(usdc.pendingBalance, '6036.000000000000000000');
  });

  test('buy by price', async () => {
    const e = await client.exchanges.buy({
      customersId: 1004,
      assetPair: 'ETH/USD',
      quantityType: 'Price',
      price: 3018n,
    });
    assert.equal(e.requestAmount, '1.000000000000000000');
    assert.equal(e.commissionFee, '15.000000000000000000');
  });

  test('sell, then the quote-based sell with fxRateId', async () => {
    const s = await client.exchanges.sell({
      customersId: 1004,
      assetPair: 'BTC/USD',
      quantityType: 'Amount',
      amount: '0.05',
    });
    assert.equal(s.exchangeType, 'Sell');
    assert.equal(s.requestPrice, '3000.000000000000000000');
    assert.equal(s.commissionFee, '15.000000000000000000');
    const q = await client.exchanges.quote({
      customersId: 1004,
      assetPair: 'ETH/USD',
      quantityType: 'Amount',
      exchangeType: 'Sell',
      amount: '2',
    });
    const viaQuote = await client.exchanges.sell({
      customersId: 1004,
      assetPair: 'ETH/USD',
      fxRateId: q.fxRateId,
    });
    assert.equal(viaQuote.requestAmount, '2.000000000000000000');
    assert.equal(viaQuote.requestPrice, '6000.000000000000000000');
  });

  test('list with filters', async () => {
    await client.exchanges.buy({
      customersId: 1004,
      assetPair: 'BTC/USDC',
      quantityType: 'Amount',
      amount: '0.1',
    });
    await client.exchanges.sell({
      customersId: 1004,
      assetPair: 'BTC/USD',
      quantityType: 'Amount',
      amount: '0.05',
    });
    const all = await client.exchanges.list({ customersId: 1004 });
    assert.deepEqual(
      all.items.map((e) => e.id),
      [23001, 23000],
    );
    const sells = await client.exchanges.list({ customersId: 1004, exchangeType: 'Sell' });
    assert.deepEqual(
      sells.items.map((e) => e.id),
      [23001],
    );
    const waiting = await client.exchanges.list({
      status: 'WaitingForApproval',
      assetPair: 'BTC/USDC',
    });
    assert.deepEqual(
      waiting.items.map((e) => e.id),
      [23000],
    );
  });

  test('reviewQuote and confirmSell after a price move', async () => {
    const s = await client.exchanges.sell({
      customersId: 1004,
      assetPair: 'BTC/USD',
      quantityType: 'Amount',
      amount: '0.05',
    });
    sandbox.setPrice('BTC/USD', '61000');
    assert.equal(sandbox.approve(s.id), 'WaitingForConfirmation');
    const review = await client.exchanges.reviewQuote({ exchangesId: s.id });
    assertPlain(review);
    assert.equal(review.previousPrice, '3000.000000000000000000');
    assert.equal(review.price, '3050.000000000000000000');
    assert.equal(review.amount, '0.050000000000000000');
    assert.equal(review.netPrice, '3028.650000000000000000');
    const confirmed = await client.exchanges.confirmSell({
      exchangesId: s.id,
      amount: review.amount,
      price: review.price,
    });
    assert.equal(confirmed.status, 'Pending');
    assert.equal(confirmed.requestPrice, '3050.000000000000000000');
    assert.equal(sandbox.complete(s.id), 'Completed');
    const usd = await client.accounts.get(1055);
    assert.equal(usd.totalBalance, '103028.650000000000000000');
  });

  test('cancel a sell waiting for confirmation', async () => {
    const s = await client.exchanges.sell({
      customersId: 1004,
      assetPair: 'BTC/USD',
      quantityType: 'Amount',
      amount: '0.05',
    });
    sandbox.setPrice('BTC/USD', '59000');
    sandbox.approve(s.id);
    const cancelled = await client.exchanges.cancel({ exchangesId: s.id });
    assert.equal(cancelled.status, 'Failed');
    const btc = await client.accounts.get(1057);
    assert.equal(btc.availableBalance, '2.500000000000000000');
  });
});

test('every operation of the core is a method, usable detached', async () => {
  const { get } = client.accounts;
  assert.equal((await get(1055)).id, 1055);
  assert.deepEqual(Object.keys(client.accounts), []);
  const methods = (o) => Object.getOwnPropertyNames(o).sort();
  assert.deepEqual(methods(client.accounts), [
    'balances',
    'create',
    'depositAddress',
    'get',
    'list',
    'transaction',
    'transactions',
    'withdrawCrypto',
  ]);
  assert.deepEqual(methods(client.exchanges), [
    'buy',
    'cancel',
    'confirmSell',
    'list',
    'pairs',
    'quote',
    'reviewQuote',
    'sell',
  ]);
});

describe('sandbox control helpers and Client.fromEnv', () => {
  test('reject, fail, price, strict OTP', async () => {
    const buy = () =>
      client.exchanges.buy({
        customersId: 1004,
        assetPair: 'BTC/USDC',
        quantityType: 'Amount',
        amount: '0.01',
      });
    const a = await buy();
    assert.equal(sandbox.reject(a.id), 'Rejected');
    const b = await buy();
    assert.equal(sandbox.approve(b.id), 'Pending');
    assert.equal(sandbox.fail(b.id), 'Failed');
    assert.equal((await client.accounts.get(1056)).availableBalance, '50000.000000000000000000');
    assert.equal(sandbox.price('BTC/USDC'), '60000');
    sandbox.setPrice('BTC/USDC', 61000n);
    assert.match(sandbox.price('BTC/USDC'), /^61000/);
    assert.equal(sandbox.strictOtp, false);
    sandbox.setStrictOtp(true);
    assert.equal(sandbox.strictOtp, true);
    sandbox.setStrictOtp(false);
    assert.equal(sandbox.creditDeposit(1055, '0.5') > 0, true);
  });

  test('Client.fromEnv reads IBANERA_* (overrides win)', async () => {
    const names = [
      'IBANERA_USERNAME',
      'IBANERA_PASSWORD',
      'IBANERA_TOTP_SECRET',
      'IBANERA_ACCESS_TOKEN',
      'IBANERA_BASE_URL',
      'IBANERA_API_KEY',
    ];
    const saved = { ...process.env };
    try {
      for (const k of names) delete process.env[k];
      // The lines the sandbox prints for a shell, read as a shell would.
      const lines = sandbox.envLines().trim().split('\n');
      assert.deepEqual(lines.map((l) => /^export (\w+)=/.exec(l)[1]).sort(), [
        'IBANERA_BASE_URL',
        'IBANERA_PASSWORD',
        'IBANERA_TOTP_SECRET',
        'IBANERA_USERNAME',
      ]);
      process.env.IBANERA_USERNAME = sandbox.username;
      process.env.IBANERA_PASSWORD = sandbox.password;
      process.env.IBANERA_TOTP_SECRET = sandbox.totpSecret;
      process.env.IBANERA_BASE_URL = sandbox.baseUrl;
      const fromEnv = Client.fromEnv();
      assert.equal(fromEnv.baseUrl, sandbox.baseUrl);
      assert.equal((await fromEnv.accounts.get(1055)).id, 1055);
      const overridden = Client.fromEnv({ baseUrl: 'http://127.0.0.1:9' });
      assert.equal(overridden.baseUrl, 'http://127.0.0.1:9');
      // A token from the environment instead of a password.
      delete process.env.IBANERA_USERNAME;
      delete process.env.IBANERA_PASSWORD;
      process.env.IBANERA_ACCESS_TOKEN = 'env-token';
      // A given token: the client holds it, but nothing is known about it.
      assert.deepEqual(Client.fromEnv().session, {
        expiresAt: null,
        expiresInMs: null,
        loginId: null,
      });
      delete process.env.IBANERA_ACCESS_TOKEN;
      assert.throws(
        () => Client.fromEnv(),
        (e) => {
          assert.ok(e instanceof ConfigError);
          assert.match(e.message, /IBANERA_USERNAME/);
          assert.match(e.message, /`totpSecret`/);
          return true;
        },
      );
      // Only the old variable set: the core says what to set instead.
      process.env.IBANERA_API_KEY = 'old-key';
      assert.throws(
        () => Client.fromEnv(),
        (e) => {
          assert.ok(e instanceof ConfigError);
          assert.match(e.message, /IBANERA_API_KEY is no longer used/);
          assert.match(e.message, /IBANERA_PASSWORD/);
          assert.doesNotMatch(e.message, /old-key/);
          return true;
        },
      );
    } finally {
      for (const k of names) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });

  test('the user agent names both layers', () => {
    assert.match(client.userAgent, /^ibanera-rust\/\d+\.\d+\.\d+ ibanera-node\/\d+\.\d+\.\d+$/);
  });
});
