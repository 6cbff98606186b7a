// Compile-time checks of the published types (`tsc --noEmit --strict`, run by make test-node):
// every `@ts-expect-error` must be an error, everything else must compile.
import ibanera, {
  Client,
  Recovery,
  Sandbox,
  SensitiveCardDetails,
  Totp,
  ApiError,
  AuthenticationError,
  IbaneraError,
  OutcomeUnknownError,
  ResponseLimitError,
  DecodeError,
  TimeoutError,
  TransportError,
  ValidationError,
  SignatureVerificationError,
  webhooks,
  type WebhookEvent,
  type QuickBuyEvent,
  type SandboxDelivery,
  type Account,
  type Balance,
  type CallOptions,
  type CardTransfer,
  type CustomerCards,
  type Exchange,
  type ExchangeStatus,
  type Page,
  type PagePromise,
  type Quote,
  type RawResponse,
  type SessionInfo,
  type AuthStats,
  type Transaction,
  type TransactionDetails,
} from 'ibanera';

declare const client: Client;

export async function checks(): Promise<void> {
  const account = await client.accounts.get(1055);
  const same: Account = await client.accounts.get({ id: 1055 });
  const money: string = account.totalBalance;
  // @ts-expect-error money is a string, never a number
  const asNumber: number = account.totalBalance;
  const nullable: string | null = account.dateAdded;
  // @ts-expect-error nullable fields say so
  const notNull: string = account.dateAdded;
  const suppressed: boolean = account.suppressed;
  // @ts-expect-error wire `b` prefixes are dropped
  account.bSuppressed;

  const balances: PagePromise<Balance> = client.accounts.balances();
  const page: Page<Balance> = await balances;
  for await (const b of client.accounts.balances({ pageSize: 2 })) {
    const available: string = b.availableBalance;
  }
  for await (const p of client.accounts.list({ customersId: 1004 }).pages()) {
    const items: Account[] = p.items;
  }

  const q: Quote = await client.exchanges.quote({
    customersId: 1004,
    assetPair: 'BTC/USDC',
    quantityType: 'Price',
    exchangeType: 'Buy',
    price: 10n,
  });
  const fx: number | string | null = q.fxRateId;
  await client.exchanges.sell({
    customersId: 1004,
    assetPair: 'BTC/USDC',
    fxRateId: q.fxRateId ?? 0,
  });
  // @ts-expect-error required arguments are required
  await client.exchanges.buy({ customersId: 1004, assetPair: 'BTC/USDC' });
  // @ts-expect-error argument enums are exact
  await client.exchanges.buy({ customersId: 1004, assetPair: 'BTC/USDC', quantityType: 'Volume' });
  // @ts-expect-error unknown arguments are refused
  await client.accounts.list({ customerId: 1004 });
  // @ts-expect-error a method takes one options object, not positional pairs
  await client.accounts.withdrawCrypto(1057, '0.1', 'bc1q');
  await client.accounts.withdrawCrypto({
    accountsId: 1057,
    amount: '0.1',
    destinationAddress: 'bc1q',
  });
  const decimalLike = { toFixed: (dp?: number) => '1.5', toString: () => '1.5' };
  await client.accounts.withdrawCrypto({
    accountsId: 1057,
    amount: decimalLike,
    destinationAddress: 'x',
  });
  await client.accounts.transactions({
    accountsId: 1055,
    fromDate: new Date(),
    toDate: '2024-12-31',
  });
  const pairs = await client.exchanges.pairs();
  const min: string | null | undefined = pairs[0]?.minimumAmount;

  const ex: Exchange = await client.exchanges.cancel({ exchangesId: 23000 });
  const status: ExchangeStatus = ex.status;
  const known = status === 'WaitingForApproval';
  const future: ExchangeStatus = 'SomeFutureStatus';
  const details: TransactionDetails = await client.accounts.transaction(10000);
  const fee: string | null = details.feeTransactionAmount;

  // The exchange's id first, the other arguments after it; or everything in one object.
  const sold: Exchange = await client.exchanges.confirmSell(23000, {
    amount: '0.05',
    price: 3050n,
  });
  await client.exchanges.confirmSell({ exchangesId: 23000, amount: '0.05', price: '3050' }, {});
  // @ts-expect-error the id is not also an argument of the object after it
  await client.exchanges.confirmSell(23000, { exchangesId: 1, amount: '0.05', price: '3050' });
  // @ts-expect-error the other arguments are required
  await client.exchanges.confirmSell(23000);

  // The newer areas.
  const transfer: CardTransfer = await client.cards.transferFunds({
    transferType: 'TopUpCard',
    amount: '10',
    currencyType: 'USD',
    customersId: 16221,
    destinationCardId: 1749,
    customerAssetAccountId: 8204,
  });
  const transferFee: string | null | undefined = transfer.feeAmount;
  await client.cards.transferFunds({
    // @ts-expect-error only the documented transfer types
    transferType: 'TopUp',
    amount: '1',
    currencyType: 'USD',
    customersId: 1,
  });
  await client.cards.create({
    customersId: 14387,
    currency: 'USD',
    cardReferenceId: 'CARD-REF-001',
    shippingMethod: 'Standard',
    cardProgramId: 1002,
    shippingAddress: {
      shippingAddressLine1: 'Suite 500',
      shippingAddressCity: 'New York',
      shippingAddressState: 'NY',
      shippingAddressPostcode: '10001',
      shippingAddressCountry: 'USA',
      shippingAddressLine2: 'a key the documentation does not list',
    },
    personalReviewDetails: { occupation: 'Engineer' },
  });
  await client.cards.create({
    customersId: 1,
    currency: 'USD',
    cardReferenceId: 'r',
    shippingMethod: 'Standard',
    cardProgramId: 1,
    shippingAddress: {
      // @ts-expect-error the documented keys of an object argument are typed
      shippingAddressLine1: 5,
      shippingAddressCity: 'c',
      shippingAddressState: 's',
      shippingAddressPostcode: 'p',
      shippingAddressCountry: 'US',
    },
  });
  const cardSecret: SensitiveCardDetails = await client.cards.sensitiveDetails(1749);
  const keys: string[] = cardSecret.keys();
  const values: Record<string, unknown> = cardSecret.expose();
  const nothing: void = await client.simulations.payin({
    destinationAccountId: 1055,
    transferType: 'ACH',
    amount: 5n,
  });
  const cards: CustomerCards[] = await client.cards.byCustomer({ customersId: 11057 });
  for await (const balance of client.cards.balances()) {
    const total: string | null | undefined = balance.totalBalance;
  }
  const rfi = await client.informationRequests.get(1013);
  const rfiId: number | null | undefined = rfi.id;
  const eligible: boolean = (await client.transactions.cancellationEligibility(1864)).cancellable;
  await client.transactions.cancellationEligibility(1864, { customersId: 1005 }, { maxRetries: 0 });
  const fxPairs: unknown[] = (await client.fx.pairs()).map((p) => p.raw);

  const options: CallOptions = {
    timeoutMs: 500,
    attemptTimeoutMs: 200,
    maxRetries: 0,
    maxResponseBytes: 1 << 20,
  };
  const warned = (await client.accounts.balances()).warnings?.[0]?.messageCode;
  await client.accounts.get(1055, options);
  // @ts-expect-error unknown call options are refused
  await client.accounts.get(1055, { timeout: 500 });

  try {
    await client.accounts.get(1);
  } catch (e) {
    if (e instanceof ApiError) {
      const status: number | null = e.httpStatus;
      const code: string | null = e.errors[0]?.fieldName ?? null;
    }
    if (e instanceof ValidationError) {
      const field: string | null = e.field;
    }
    if (e instanceof TransportError && !(e instanceof TimeoutError)) {
      const attempts: number | null = e.attempts;
    }
    if (e instanceof AuthenticationError) {
      const c: 'authentication_error' = e.code;
    }
    if (e instanceof OutcomeUnknownError) {
      const cause: IbaneraError = e.cause;
      const sent = e.sent;
      const c: 'outcome_unknown' = e.code;
      void [cause, sent, c];
    }
    if (e instanceof ResponseLimitError) {
      const asDecode: DecodeError = e;
      const c: 'response_limit_exceeded' = e.code;
      void [asDecode, c];
    }
    if (e instanceof IbaneraError) {
      const json = JSON.stringify(e);
    }
  }

  // Credentials: username + password + TOTP secret, or an access token.
  const byPassword = new Client({ username: 'u', password: 'p', totpSecret: 'JBSWY3DPEHPK3PXP' });
  new Client({ accessToken: 't', totpSecret: 'JBSWY3DPEHPK3PXP', proxy: 'http://p:3128' });
  // @ts-expect-error a raw API key is not how the API authenticates
  new Client({ apiKey: 'k', totpSecret: 'JBSWY3DPEHPK3PXP' });
  const session: SessionInfo = await byPassword.login();
  const expiresAt: string | null = session.expiresAt;
  const expiresInMs: number | null = session.expiresInMs;
  const current: SessionInfo | null = byPassword.session;
  // @ts-expect-error the token is never exposed
  session.accessToken;
  byPassword.setCredentials({ username: 'u', password: 'p2' });
  // @ts-expect-error both are needed
  byPassword.setCredentials({ password: 'p2' });
  byPassword.setAccessToken('t2');

  const sandbox = await Sandbox.start({
    strictOtp: false,
    tokenTtl: 2,
    idleTimeoutMs: 300,
    username: 'me',
    password: 'pw',
  });
  const creds: [string, string, string] = [sandbox.username, sandbox.password, sandbox.totpSecret];
  const stats: AuthStats = sandbox.authStats();
  const locked: string[] = stats.lockedUsers;
  sandbox.revokeTokens();
  sandbox.unlock();
  sandbox.setTokenTtl(0.5);
  sandbox.setIdleTimeout(500);
  const lines: string = sandbox.envLines();
  sandbox.client({ password: 'wrong', timeoutMs: 1000 });
  // @ts-expect-error the sandbox has no API key
  sandbox.apiKey;
  void [expiresAt, expiresInMs, current, creds, locked, lines, warned];
  new Client({
    username: 'u',
    password: 'p',
    totpSecret: 'JBSWY3DPEHPK3PXP',
    timeoutMs: 30_000,
    attemptTimeoutMs: 5_000,
    poolIdleTimeoutMs: 2_000,
    maxResponseBytes: 1 << 24,
  });
  sandbox.injectFault('/x', { kind: 'oversizeBody', bytes: 209_715_200 });
  sandbox.injectFault('/x', { kind: 'html', status: 504, execute: true });
  await Sandbox.start({ holdWithdrawals: true });
  sandbox.setHoldWithdrawals(true);
  const held: boolean = sandbox.holdWithdrawals;
  const pendingIds: number[] = sandbox.pendingTransactions();
  sandbox.settleTransaction(pendingIds[0]);
  sandbox.failTransaction(pendingIds[0]);
  const opened: number = sandbox.openInformationRequest(1004, { transactionsId: 10006 });
  const fees: string = sandbox.cardFeesCollected();
  // @ts-expect-error money is a string: exact digits
  const feesAsNumber: number = sandbox.cardFeesCollected();
  void [held, opened, fees, feesAsNumber];

  // Callbacks: a union on `type`, narrowed after isKnown; money as exact strings.
  const body: Buffer = Buffer.from('{}');
  const headers: import('node:http').IncomingHttpHeaders = { 'webhook-signature': 'x' };
  const event: WebhookEvent = webhooks.constructEvent(body, headers, 'secret');
  if (webhooks.isKnown(event)) {
    switch (event.type) {
      case 'EXCHANGE_STATUS_UPDATED': {
        const price: string | null = event.data.executedPrice;
        const status: ExchangeStatus | null = event.data.status;
        void [price, status];
        break;
      }
      case 'CRYPTO_DEPOSIT_CREATED': {
        const amount: string | null | undefined = event.data.amount?.amount;
        // @ts-expect-error a crypto transfer has no exchange fields
        event.data.executedPrice;
        void amount;
        break;
      }
      default:
        break;
    }
  } else {
    const raw: unknown = event.data;
    const type: string = event.type;
    void [raw, type];
  }
  webhooks.constructEvent('{}', 'sig', 'secret');
  webhooks.constructEvent(new Uint8Array(), new Headers(), 'secret');
  webhooks.constructEvent(body, ['webhook-signature', 'sig'], 'secret');
  // @ts-expect-error a parsed body is not the raw bytes
  webhooks.constructEvent({ Id: 'x' }, 'sig', 'secret');
  const qb: QuickBuyEvent = webhooks.constructQuickBuyEvent(body, headers, 'secret');
  if (qb.kind === 'widget') {
    const reference: string = qb.data.transactionReference;
    void reference;
  }
  const knownTypes: readonly string[] = webhooks.EVENT_TYPES;
  const headerName: 'webhook-signature' = webhooks.SIGNATURE_HEADER;
  const secret: string = sandbox.registerWebhook('http://127.0.0.1:1/x', { secret: 's' });
  const attempts: SandboxDelivery[] = sandbox.deliveries();
  const idle: boolean = await sandbox.waitForDeliveries(1000);
  const sentEvent = sandbox.triggerWebhook('EXCHANGE_STATUS_UPDATED', { Status: 'Completed' });
  const fromStart: string | null = sandbox.webhookSecret;
  void [knownTypes, headerName, secret, attempts, idle, sentEvent.id, fromStart];
  try {
    webhooks.constructEvent(body, headers, 'secret');
  } catch (e) {
    if (e instanceof SignatureVerificationError) {
      const c: 'signature_verification_error' = e.code;
      void c;
    }
  }
  const c2: Client = sandbox.client({ maxRetries: 0 });
  sandbox.injectFault(
    '/api/v1/customer/crypto-exchanges/buy',
    { kind: 'status', status: 503, retryAfter: '1' },
    2,
  );
  // @ts-expect-error faults are typed
  sandbox.injectFault('/x', { kind: 'explode' });
  const runs: Record<string, number> = sandbox.executions();
  sandbox.setPrice('BTC/USDC', '61000');
  await sandbox.close();

  const raw: RawResponse<{ totalBalance: string }> = await c2.request<{ totalBalance: string }>(
    'GET',
    '/api/v1/customer/accounts/account',
    { query: { Id: 1055 }, timeoutMs: 5000 },
  );
  const rawBalance: string = raw.details.totalBalance;
  const rawPages: number | null = raw.numberOfPages;
  await c2.request('POST', '/x', { query: [['a', 1n]], body: { amount: '1.5' } });
  // @ts-expect-error a query value cannot be an array
  await c2.request('GET', '/x', { query: { a: [1] } });
  // The recovery helpers: typed results, exactly one of price and amount.
  const recovery: Recovery = c2.recovery;
  const withdrawn: Transaction[] = await recovery.findWithdrawals({
    accountsId: 1057,
    amount: '0.01',
    startedAt: new Date(),
  });
  const newest: number | null = await recovery.latestExchangeId({ customersId: 1004 });
  const bought: Exchange[] = await recovery.findExchanges(
    {
      customersId: 1004,
      assetPair: 'BTC/USDC',
      exchangeType: 'Buy',
      amount: '0.02',
      afterId: newest,
    },
    { timeoutMs: 5000 },
  );
  await recovery.findExchanges({
    customersId: 1004,
    assetPair: 'BTC/USDC',
    exchangeType: 'Sell',
    price: 100n,
  });
  const pair = { customersId: 1004, assetPair: 'BTC/USDC' } as const;
  const both = { ...pair, exchangeType: 'Buy', amount: '1', price: '2' } as const;
  // @ts-expect-error price and amount together: the one the exchange was sent with
  await recovery.findExchanges(both);
  const misspelt = { ...pair, exchangeType: 'buy', amount: '1' } as const;
  // @ts-expect-error a misspelt exchange type
  await recovery.findExchanges(misspelt);
  // @ts-expect-error startedAt is required
  await recovery.findWithdrawals({ accountsId: 1057, amount: '0.01' });
  void [withdrawn, bought];
  const code: string = new Totp('JBSWY3DPEHPK3PXP').now();
  const left: number = new Totp('JBSWY3DPEHPK3PXP').secondsLeft();
  const viaDefault: typeof Client = ibanera.Client;
  void [same, money, asNumber, nullable, notNull, suppressed, page, fx, min, known, future, fee];
  void [c2, runs, code, left, viaDefault, rawBalance, rawPages];
}
