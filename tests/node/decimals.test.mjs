// Decimals digit for digit: money inputs (string, bigint, integer, decimal.js, big.js) reach the
// wire as exact JSON numbers; binary floats are refused before anything is sent; results keep
// every digit the server sent, through JSON.stringify too.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, beforeEach, test } from 'node:test';

import Big from 'big.js';
import Decimal from 'decimal.js';

import { Client, Sandbox, ValidationError } from 'ibanera';
import { parseLossless, rejectsWith } from './helpers.mjs';

let sandbox;
let client;
let echo;
let echoClient;
const bodies = [];

before(async () => {
  sandbox = await Sandbox.start();
  client = sandbox.client();
  // A server that records POST bodies verbatim and answers a valid withdrawal.
  echo = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        '{"id":0,"status":"1","errors":[],"details":{"id":1,"accountsId":1057,"amount":0.000000000000000001,' +
          '"description":"x","dateTime":"2024-09-10T03:58:40.1066667+00:00","bPending":true}}',
      );
    });
  });
  await new Promise((r) => echo.listen(0, '127.0.0.1', r));
  echoClient = new Client({
    accessToken: 'echo-token',
    totpSecret: 'JBSWY3DPEHPK3PXP',
    baseUrl: `http://127.0.0.1:${echo.address().port}`,
  });
});
after(async () => {
  await new Promise((r) => echo.close(r));
  await sandbox.close();
});
beforeEach(() => {
  sandbox.reset();
  bodies.length = 0;
});

async function sentAmount(amount) {
  bodies.length = 0;
  await echoClient.accounts.withdrawCrypto({
    accountsId: 1057,
    amount,
    destinationAddress: 'bc1qx',
  });
  assert.equal(bodies.length, 1);
  return parseLossless(bodies[0]).amount.text;
}

test('money inputs reach the wire as exact JSON numbers', async () => {
  assert.equal(await sentAmount('0.000000010000000000'), '0.000000010000000000');
  assert.equal(await sentAmount('12.50'), '12.50');
  assert.equal(await sentAmount(' 7.25 '), '7.25');
  assert.equal(await sentAmount('1e-7'), '0.0000001');
  assert.equal(await sentAmount(123n), '123');
  assert.equal(await sentAmount(9_007_199_254_740_993n), '9007199254740993');
  assert.equal(await sentAmount(42), '42');
  assert.equal(await sentAmount(new Decimal('0.1').plus('0.2')), '0.3');
  assert.equal(
    await sentAmount(new Decimal('1234567890.123456789012345678')),
    '1234567890.123456789012345678',
  );
  assert.equal(await sentAmount(new Decimal('1e-10')), '0.0000000001');
  assert.equal(await sentAmount(new Big('12.50')), '12.5');
  assert.equal(await sentAmount(new Big('0.000001').times(3)), '0.000003');
  assert.equal(await sentAmount({ toString: () => '99.990' }), '99.990');
});

test('binary floats and non-decimals are refused before anything is sent', async () => {
  const cases = [
    [0.1, /fraction/],
    [0.1 + 0.2, /fraction/],
    [1.5, /fraction/],
    [NaN, /finite/],
    [Infinity, /finite/],
    [-Infinity, /finite/],
    [2 ** 60, /MAX_SAFE_INTEGER/],
    [new Number(2.5), /fraction/],
    [{ toString: () => 'lots' }, /decimal/],
    [{}, /decimal/],
    [[1], /decimal/],
    [true, /decimal/],
    ['1,5', /decimal/],
    ['NaN', /decimal/],
  ];
  for (const [amount, rule] of cases) {
    bodies.length = 0;
    const e = await rejectsWith(
      echoClient.accounts.withdrawCrypto({ accountsId: 1057, amount, destinationAddress: 'bc1qx' }),
      ValidationError,
    );
    assert.equal(e.field, 'amount', String(amount));
    assert.match(e.rule, rule, String(amount));
    assert.equal(bodies.length, 0, `nothing sent for ${String(amount)}`);
  }
  // Non-money numbers with fractions are refused by the core's rules, naming the field.
  const id = await rejectsWith(client.accounts.get(1055.5), ValidationError);
  assert.equal(id.field, 'id');
  const nan = await rejectsWith(client.accounts.list({ customersId: NaN }), ValidationError);
  assert.equal(nan.field, 'customersId');
});

test('results keep every digit: 18 fraction digits, 7-digit timestamps, through JSON.stringify', async () => {
  const w = await echoClient.accounts.withdrawCrypto({
    accountsId: 1057,
    amount: '1',
    destinationAddress: 'bc1qx',
  });
  assert.equal(w.amount, '0.000000000000000001');
  assert.equal(w.dateTime, '2024-09-10T03:58:40.106666700Z');
  assert.equal(JSON.stringify({ amount: w.amount }), '{"amount":"0.000000000000000001"}');
});

test('the sandbox ledger adds up digit for digit', async () => {
  const tx = sandbox.creditDeposit(1055, '0.123456789012345678');
  assert.ok(tx > 0);
  let usd = await client.accounts.get(1055);
  assert.equal(usd.totalBalance, '100000.123456789012345678');
  sandbox.creditDeposit(1055, new Decimal('1234567890.000000000000000001'));
  usd = await client.accounts.get(1055);
  assert.equal(usd.totalBalance, '1234667890.123456789012345679');
  assert.equal((await client.accounts.transaction(tx)).amount, '0.123456789012345678');

  // A buy of 0.000066334991708126 BTC for 10 USDC (the spec's example), booked exactly.
  const buy = await client.exchanges.buy({
    customersId: 1004,
    assetPair: 'BTC/USDC',
    quantityType: 'Price',
    price: 10,
  });
  assert.equal(buy.requestAmount, '0.000066334991708126');
  sandbox.approve(buy.id);
  sandbox.complete(buy.id);
  const [usdc, btc] = await Promise.all([client.accounts.get(1056), client.accounts.get(1057)]);
  assert.equal(usdc.totalBalance, '49990.000000000000000000');
  assert.equal(btc.totalBalance, '2.500066334991708126');
});

test('money from the user reaches the sandbox exactly (decimal.js and bigint inputs)', async () => {
  const w = await client.accounts.withdrawCrypto({
    accountsId: 1058,
    amount: new Decimal('0.000000000000000001'),
    destinationAddress: '0x5a4d000000000000000000000000000000000000',
  });
  assert.equal(w.amount, '0.000000000000000001');
  const eth = await client.accounts.get(1058);
  // 40 - 1e-18 - 0.001 network fee
  assert.equal(eth.totalBalance, '39.998999999999999999');
  const q = await client.exchanges.quote({
    customersId: 1004,
    assetPair: 'USDC/USD',
    quantityType: 'Amount',
    exchangeType: 'Buy',
    amount: 100n,
  });
  assert.equal(q.price, '101.500000000000000000');
});
