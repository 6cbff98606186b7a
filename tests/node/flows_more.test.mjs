// The newer endpoints (cards, simulated pay-ins, information requests, cancellation
// eligibility) as flows against a fresh sandbox per test, as sandbox/tests/client_flows_more.rs
// runs them in Rust: a card topped up from an account and back, card to card, refusals with the
// ledger conserved, a pay-in pending then settled, RFIs listed and read, eligibility before and
// after a withdrawal settles. Money is compared digit for digit, as the strings received.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import Decimal from 'decimal.js';
import { ApiError, ConfigError, SandboxError, ValidationError } from 'ibanera';
import { useSandbox } from 'ibanera/testing';

import { rejectsWith } from './helpers.mjs';

// The seeded world (sandbox/README.md).
const MANAGER = 1004;
const MANAGER_USD = 1055;
const MANAGER_BTC = 1057;
const MANAGEE_USD = 1060;
const UNVERIFIED_USD = 1062;
const MANAGER_CARD = 1201;
const MANAGEE_CARD = 1203;
const SCREENED_ADDRESS = 'bc1qscreened0000000000000000000000000000';

/** Balances come with 18 places: an expected value written the way the API writes it. */
const money = (value) => new Decimal(value).toFixed(18);

const transfer = (transferType, amount, ids) => ({
  transferType,
  amount,
  currencyType: 'USD',
  customersId: MANAGER,
  reference: 'flow test',
  ...ids,
});

/**
 * Every USD account's and card's total balance plus the card fees collected: constant while
 * money only moves between them.
 */
async function ledger(client, sandbox) {
  let sum = new Decimal(sandbox.cardFeesCollected());
  for (const id of [MANAGER_USD, MANAGEE_USD, UNVERIFIED_USD]) {
    sum = sum.plus((await client.accounts.get(id)).totalBalance);
  }
  const page = await client.cards.list({ pageSize: 100 });
  assert.equal(page.numberOfPages, 1);
  for (const customer of page.items) {
    for (const card of customer.cards) sum = sum.plus(card.totalBalance ?? 0);
  }
  return sum.toFixed();
}

const cardBalance = async (client, card) => (await client.cards.get(card)).availableBalance;

test('a card topped up from an account and back, then card to card', async (t) => {
  const { sandbox, client } = await useSandbox(t);
  const total = await ledger(client, sandbox);
  const card = await cardBalance(client, MANAGER_CARD);
  const account = (await client.accounts.get(MANAGER_USD)).availableBalance;

  // Account -> card: 100.00, the fee (1%, at least 1.00) comes out of it.
  const up = await client.cards.transferFunds(
    transfer('TopUpCard', '100.00', {
      destinationCardId: MANAGER_CARD,
      customerAssetAccountId: MANAGER_USD,
    }),
  );
  assert.equal(up.feeAmount, '1.000000000000000000');
  assert.equal(await cardBalance(client, MANAGER_CARD), money(new Decimal(card).plus('99.00')));
  assert.equal(
    (await client.accounts.get(MANAGER_USD)).availableBalance,
    money(new Decimal(account).minus('100.00')),
  );
  assert.equal(await ledger(client, sandbox), total, 'money is conserved');

  // Card -> account: free.
  await client.cards.transferFunds(
    transfer('TopUpAccount', '50.00', {
      sourceCardId: MANAGER_CARD,
      customerAssetAccountId: MANAGER_USD,
    }),
  );
  assert.equal(await cardBalance(client, MANAGER_CARD), money(new Decimal(card).plus('49.00')));
  assert.equal(
    (await client.accounts.get(MANAGER_USD)).availableBalance,
    money(new Decimal(account).minus('50.00')),
  );
  assert.equal(await ledger(client, sandbox), total);

  // Card -> the managee's card.
  const managee = await cardBalance(client, MANAGEE_CARD);
  const moved = await client.cards.transferFunds(
    transfer('CardToCard', '20.00', {
      sourceCardId: MANAGER_CARD,
      destinationCardId: MANAGEE_CARD,
    }),
  );
  assert.equal(
    await cardBalance(client, MANAGEE_CARD),
    money(new Decimal(managee).plus('20.00').minus(moved.feeAmount)),
  );
  assert.equal(await cardBalance(client, MANAGER_CARD), money(new Decimal(card).plus('29.00')));
  assert.equal(await ledger(client, sandbox), total);
  const history = await client.cards.transactions({ cardsId: MANAGER_CARD });
  assert.ok(history.items.length >= 3, JSON.stringify(history.items));
});

test('refusals move nothing: the ledger is conserved', async (t) => {
  const { sandbox, client } = await useSandbox(t, { client: { maxRetries: 0 } });
  const total = await ledger(client, sandbox);
  const card = await cardBalance(client, MANAGER_CARD);

  // More than the card holds.
  let e = await rejectsWith(
    client.cards.transferFunds(
      transfer('TopUpAccount', '1000000.00', {
        sourceCardId: MANAGER_CARD,
        customerAssetAccountId: MANAGER_USD,
      }),
    ),
    ApiError,
  );
  assert.equal(e.errors[0].messageCode, 'Insufficient_Funds');
  // Less than the fee.
  e = await rejectsWith(
    client.cards.transferFunds(
      transfer('TopUpCard', '0.50', {
        destinationCardId: MANAGER_CARD,
        customerAssetAccountId: MANAGER_USD,
      }),
    ),
    ApiError,
  );
  assert.equal(e.errors[0].messageCode, 'Amout_Less_Than_Fee');
  // A field this transfer type does not take: refused here, nothing sent.
  const before = sandbox.executions();
  e = await rejectsWith(
    client.cards.transferFunds(
      transfer('CardToCard', '5.00', {
        sourceCardId: MANAGER_CARD,
        destinationCardId: MANAGEE_CARD,
        customerAssetAccountId: MANAGER_USD,
      }),
    ),
    ValidationError,
  );
  assert.equal(e.field, 'customerAssetAccountId');
  assert.deepEqual(sandbox.executions(), before, 'nothing was sent');

  assert.equal(await cardBalance(client, MANAGER_CARD), card);
  assert.equal(sandbox.cardFeesCollected(), '0', 'no fee was collected');
  assert.equal(await ledger(client, sandbox), total);
});

test('a simulated pay-in is pending, then settles', async (t) => {
  const { sandbox, client } = await useSandbox(t);
  const before = await client.accounts.get(MANAGER_USD);
  assert.equal(
    await client.simulations.payin({
      destinationAccountId: MANAGER_USD,
      transferType: 'ACH',
      amount: '25.50',
      name: 'Flow Test',
    }),
    undefined,
  );
  const pending = await client.accounts.get(MANAGER_USD);
  assert.equal(pending.totalBalance, money(new Decimal(before.totalBalance).plus('25.50')));
  assert.equal(pending.pendingBalance, money(new Decimal(before.pendingBalance).plus('25.50')));
  assert.equal(pending.availableBalance, before.availableBalance);

  const ids = sandbox.pendingTransactions();
  assert.equal(ids.length, 1, JSON.stringify(ids));
  const tx = await client.accounts.transaction(ids[0]);
  assert.equal(tx.transactionStatus, 'Pending');
  assert.equal(tx.amount, '25.500000000000000000');
  assert.equal(tx.achTransferDetails?.paymentType, 'ACH');
  sandbox.settleTransaction(ids[0]);
  assert.deepEqual(sandbox.pendingTransactions(), []);
  assert.equal((await client.accounts.transaction(ids[0])).transactionStatus, 'Completed');

  const settled = await client.accounts.get(MANAGER_USD);
  assert.equal(settled.availableBalance, money(new Decimal(before.availableBalance).plus('25.50')));
  assert.equal(settled.pendingBalance, before.pendingBalance);
  assert.equal(settled.totalBalance, pending.totalBalance);
  // Settled once: a second settle is refused.
  assert.throws(() => sandbox.settleTransaction(ids[0]), SandboxError);
});

test('a failed pay-in is never credited', async (t) => {
  const { sandbox, client } = await useSandbox(t);
  const before = await client.accounts.get(MANAGER_USD);
  await client.simulations.payin({
    destinationAccountId: MANAGER_USD,
    transferType: 'WIRE',
    amount: '7.25',
  });
  const [id] = sandbox.pendingTransactions();
  // Ids are integers, as everywhere (a numeric string is refused before the sandbox sees it).
  assert.throws(() => sandbox.failTransaction(String(id)), ConfigError);
  sandbox.failTransaction(id);
  assert.equal((await client.accounts.transaction(id)).transactionStatus, 'Failed');
  assert.deepEqual(sandbox.pendingTransactions(), []);
  const after = await client.accounts.get(MANAGER_USD);
  assert.equal(after.totalBalance, before.totalBalance);
  assert.equal(after.availableBalance, before.availableBalance);
  assert.equal(after.pendingBalance, before.pendingBalance);
});

test('information requests are listed and read', async (t) => {
  const { sandbox, client } = await useSandbox(t, { client: { maxRetries: 0 } });
  const opened = sandbox.openInformationRequest(MANAGER);
  // A withdrawal to a screened address opens one too.
  const e = await rejectsWith(
    client.accounts.withdrawCrypto(MANAGER_BTC, {
      amount: '0.001',
      destinationAddress: SCREENED_ADDRESS,
    }),
    ApiError,
  );
  assert.equal(e.errors[0].messageCode, 'Transaction_Blocked');
  const page = await client.informationRequests.list({ customersId: MANAGER });
  const ids = page.items.map((r) => r.id).filter((id) => id !== null);
  assert.equal(ids.length, 2, JSON.stringify(ids));
  assert.ok(ids.includes(opened));
  const one = await client.informationRequests.get(opened);
  assert.equal(one.id, opened);
  assert.equal(one.raw.customersId, MANAGER);
  // One about a transaction carries it.
  const deposit = sandbox.creditDeposit(MANAGER_USD, '1');
  const about = sandbox.openInformationRequest(MANAGER, { transactionsId: deposit });
  assert.ok(!ids.includes(about));
  assert.equal((await client.informationRequests.get(about)).raw.transactionsId, deposit);
  assert.equal((await client.informationRequests.list({ customersId: MANAGER })).items.length, 3);
  assert.throws(
    () => sandbox.openInformationRequest(MANAGER, { transactionsId: 999_999 }),
    SandboxError,
  );
});

test('a held withdrawal is cancellable until it settles', async (t) => {
  const { sandbox, client } = await useSandbox(t, { holdWithdrawals: true });
  assert.equal(sandbox.holdWithdrawals, true);
  const w = await client.accounts.withdrawCrypto(MANAGER_BTC, {
    amount: '0.002',
    destinationAddress: 'bc1qcancellationflow',
  });
  assert.ok(sandbox.pendingTransactions().includes(w.id));
  const before = await client.transactions.cancellationEligibility(w.id);
  assert.equal(before.cancellable, true);
  sandbox.settleTransaction(w.id);
  const after = await client.transactions.cancellationEligibility({ transactionsId: w.id });
  assert.equal(after.cancellable, false);
  // An incoming deposit is never cancellable.
  const deposit = sandbox.creditDeposit(MANAGER_USD, '1');
  assert.equal((await client.transactions.cancellationEligibility(deposit)).cancellable, false);
  // Without the hold, a withdrawal completes at once: nothing left to cancel.
  sandbox.setHoldWithdrawals(false);
  assert.equal(sandbox.holdWithdrawals, false);
  const now = await client.accounts.withdrawCrypto(MANAGER_BTC, {
    amount: '0.001',
    destinationAddress: 'bc1qcancellationflow',
  });
  assert.ok(!sandbox.pendingTransactions().includes(now.id));
  assert.equal((await client.transactions.cancellationEligibility(now.id)).cancellable, false);
});

test('an information request resolved by compliance, once', async (t) => {
  const { sandbox, client } = await useSandbox(t);
  const opened = sandbox.openInformationRequest(MANAGER);
  assert.equal((await client.informationRequests.get(opened)).raw.status, 'Open');
  sandbox.resolveInformationRequest(opened, 'MoreInformationRequired');
  assert.equal(
    (await client.informationRequests.get(opened)).raw.status,
    'MoreInformationRequired',
  );
  sandbox.resolveInformationRequest(opened, 'Accepted');
  assert.equal((await client.informationRequests.get(opened)).raw.status, 'Accepted');
  // A final one cannot be decided again; a status that is not one of the three is refused.
  assert.throws(() => sandbox.resolveInformationRequest(opened, 'Rejected'), SandboxError);
  const other = sandbox.openInformationRequest(MANAGER);
  assert.throws(() => sandbox.resolveInformationRequest(other, 'Maybe'), SandboxError);
  assert.throws(() => sandbox.resolveInformationRequest(other, 1), ConfigError);
  assert.throws(() => sandbox.resolveInformationRequest('x', 'Accepted'), ConfigError);
});

test('a deactivated card takes no transfer until it is activated', async (t) => {
  const { sandbox, client } = await useSandbox(t, { client: { maxRetries: 0 } });
  const DEACTIVATED_CARD = 1202; // the manager's, seeded Deactivated
  const topUp = () =>
    client.cards.transferFunds(
      transfer('TopUpCard', '5.00', {
        destinationCardId: DEACTIVATED_CARD,
        customerAssetAccountId: MANAGER_USD,
      }),
    );
  const e = await rejectsWith(topUp(), ApiError);
  assert.deepEqual(
    [e.errors[0].fieldName, e.errors[0].messageCode],
    ['DestinationCardId', 'Invalid'],
  );
  const before = await cardBalance(client, DEACTIVATED_CARD);

  sandbox.activateCard(DEACTIVATED_CARD);
  assert.equal((await client.cards.get(DEACTIVATED_CARD)).status, 'Active');
  await topUp();
  const after = await cardBalance(client, DEACTIVATED_CARD);
  assert.ok(new Decimal(after).gt(before), `${before} -> ${after}`);

  sandbox.deactivateCard(DEACTIVATED_CARD);
  assert.equal((await client.cards.get(DEACTIVATED_CARD)).status, 'Deactivated');
  await rejectsWith(topUp(), ApiError);
  assert.equal(await cardBalance(client, DEACTIVATED_CARD), after);
  assert.throws(() => sandbox.activateCard(999_999), SandboxError);
  assert.throws(() => sandbox.activateCard(-1), ConfigError);
});
