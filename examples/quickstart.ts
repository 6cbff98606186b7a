// A tour of the Node API with its types: `tsc --noEmit --strict` checks this file (make
// test-node). Run it against the sandbox with the export lines `ibanera sandbox` prints.
import {
  AuthenticationError,
  Client,
  IbaneraError,
  NotFoundError,
  OutcomeUnknownError,
  RateLimitError,
  ValidationError,
  type Account,
  type Exchange,
  type Page,
  type SessionInfo,
} from 'ibanera';

async function main(): Promise<void> {
  // IBANERA_USERNAME, IBANERA_PASSWORD, IBANERA_TOTP_SECRET, IBANERA_BASE_URL (or
  // new Client({ username, password, totpSecret }))
  const client = Client.fromEnv({ timeoutMs: 10_000 });

  // Calls log in by themselves; logging in first checks the credentials at start-up.
  const session: SessionInfo = await client.login();
  console.log('session until', session.expiresAt, 'user', session.loginId);

  // One object, exact money strings, ISO 8601 UTC timestamps.
  const account: Account = await client.accounts.get(1055);
  const available: string = account.availableBalance;
  console.log(account.name, available, account.dateAdded);

  // A list call resolves to one page ...
  const page: Page<Account> = await client.accounts.list({ customersId: 1004, pageSize: 10 });
  console.log(`${page.items.length} accounts on page ${page.pageNumber} of ${page.numberOfPages}`);

  // ... and walks every page lazily with for await.
  for await (const tx of client.accounts.transactions({
    accountsId: 1055,
    fromDate: '2024-01-01',
  })) {
    console.log(tx.id, tx.amount, tx.dateTime, tx.pending);
  }

  // Money goes in as a string, bigint, safe integer or decimal object, never a float.
  const quote = await client.exchanges.quote({
    customersId: 1004,
    assetPair: 'BTC/USDC',
    quantityType: 'Price',
    exchangeType: 'Buy',
    price: '250.00',
  });
  console.log(quote.amount, quote.price, quote.fxRateId);

  // A buy moves money: if it fails after it may have reached the server, the error is an
  // OutcomeUnknownError, the one error after which the buy may have executed. Check first.
  const order = {
    customersId: 1004,
    assetPair: 'BTC/USDC',
    quantityType: 'Amount',
    amount: '0.01',
  } as const;
  // Noted before sending: an exchange newer than this one can only be the buy below.
  const afterId = await client.recovery.latestExchangeId({ customersId: 1004 });
  try {
    const exchange: Exchange = await client.exchanges.buy(order, { timeoutMs: 5_000 });
    if (exchange.status === 'WaitingForApproval') console.log('exchange', exchange.id, 'waits');
  } catch (e) {
    if (!(e instanceof OutcomeUnknownError)) throw e; // nothing executed: safe to retry
    console.log('unknown outcome:', e.cause.code, 'sent', e.sent);
    // Did it run? The customer's newer exchanges of that pair and type for exactly that amount.
    const found = await client.recovery.findExchanges({
      customersId: order.customersId,
      assetPair: order.assetPair,
      exchangeType: 'Buy',
      amount: order.amount,
      afterId,
    });
    if (found.length === 0) await client.exchanges.buy(order); // it did not: safe to send again
  }

  try {
    await client.accounts.get(999_999);
  } catch (e) {
    if (e instanceof AuthenticationError) console.log('refused:', e.errors[0]?.messageCode);
    else if (e instanceof NotFoundError)
      console.log(e.code, e.httpStatus, e.errors[0]?.messageCode);
    else if (e instanceof RateLimitError) console.log('retry after', e.retryAfterMs, 'ms');
    else if (e instanceof ValidationError) console.log(e.field, e.rule);
    else if (e instanceof IbaneraError) console.log(e.code, e.message);
    else throw e;
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
