// Types of the npm package `ibanera`. Models, arguments and the per-area method signatures are
// generated from the Rust core (`generated.d.ts`); this file declares the classes around them.

import type {
  ClientAreas,
  Exchange,
  KnownWebhookEvent,
  QuickBuyEvent,
  Transaction,
  WebhookEvent,
} from './generated.js';

export * from './generated.js';

/** A money input: exact digits. A JS `number` must be a safe integer (fractions are refused). */
export type MoneyInput = string | bigint | number | DecimalLike;

/** A decimal object such as decimal.js's `Decimal` or big.js's `Big`. */
export interface DecimalLike {
  toFixed(decimalPlaces?: number): string;
  toString(): string;
}

/** Per-call overrides. */
export interface CallOptions {
  /**
   * The whole call's deadline in milliseconds: every attempt, backoff, `Retry-After` wait,
   * TOTP-step wait and a login included (default: the client's, 60000).
   */
  timeoutMs?: number;
  /** One attempt's limit in milliseconds (connect, response and body; default: none). */
  attemptTimeoutMs?: number;
  /** Retries after the first attempt (GETs; a POST only when it provably never left). */
  maxRetries?: number;
  /** The largest response body accepted, in bytes (default 64 MiB): `ResponseLimitError`. */
  maxResponseBytes?: number;
}

/**
 * Client settings. Credentials: `username` + `password` + `totpSecret` (the normal case: the
 * client logs in, renews its session before it expires and logs in again when the server drops
 * it), or `accessToken` + `totpSecret` (a bearer token obtained elsewhere, not renewable).
 * Credentials are never printed and never in an error.
 */
export interface ClientOptions {
  /** The customer's API username. */
  username?: string;
  /** The customer's API password. */
  password?: string;
  /** Base32 TOTP secret or an `otpauth://totp/` URI (a code goes with the login and every call). */
  totpSecret?: string;
  /** A bearer token obtained elsewhere, instead of `username` and `password`. */
  accessToken?: string;
  /**
   * No longer used: the API logs in with a username, a password and a TOTP code. Giving it
   * throws a `ConfigError` saying what to pass instead.
   * @deprecated
   */
  apiKey?: never;
  /** Default `https://public-api.ibanera.com`; plain `http://` only to loopback hosts. */
  baseUrl?: string;
  /**
   * The whole call's deadline in milliseconds (default 60000): every attempt, backoff,
   * `Retry-After` wait, TOTP-step wait and a login included.
   */
  timeoutMs?: number;
  /** One attempt's limit in milliseconds (default: none, only the deadline). */
  attemptTimeoutMs?: number;
  /** Connect timeout in milliseconds (default 10000). */
  connectTimeoutMs?: number;
  /**
   * How long an idle pooled connection is kept, in milliseconds (default 4000). Keep it below
   * the server's (or a proxy's) keep-alive timeout, so a request is never written to a
   * connection the server is closing at that moment.
   */
  poolIdleTimeoutMs?: number;
  /** The largest response body accepted, in bytes (default 64 MiB). */
  maxResponseBytes?: number;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /**
   * Send every request through this proxy (`http://host:port`, user info allowed). Without
   * it, `HTTPS_PROXY` / `ALL_PROXY` / `NO_PROXY` apply. Not allowed with a loopback or plain
   * http base URL.
   */
  proxy?: string;
  /** Permit `http://` to a non-loopback host (a TLS-terminating proxy on a private network). */
  allowInsecureHttp?: boolean;
  /**
   * Receives every log record of this client as `logger[level](message, fields)`: `console`,
   * or any object with `debug`, `info` and `warn` methods (`error` is used when present). The
   * records never hold a secret. Without a logger, `DEBUG=ibanera` or `NODE_DEBUG=ibanera`
   * prints them on stderr.
   */
  logger?: Logger;
}

/** What `new Client({ logger })` calls: `console`, pino, winston, ... */
export interface Logger {
  debug(message: string, fields: LogFields): unknown;
  info(message: string, fields: LogFields): unknown;
  warn(message: string, fields: LogFields): unknown;
  /** Used for error records when present (otherwise `warn`). */
  error?(message: string, fields: LogFields): unknown;
}

/** What happened: one of the core's record kinds (unknown kinds kept as strings). */
export type LogEvent =
  | 'response'
  | 'failure'
  | 'retry'
  | 'otp_retry'
  | 'login'
  | 'relogin'
  | 'login_refused'
  | 'outcome_unknown'
  | 'warning'
  | (string & {});

/** The structured part of a log record (the message says the same in words). */
export interface LogFields {
  /** `response` for every attempt answered, `login` for a new or renewed session, ... */
  event: LogEvent;
  /** `GET`, `POST`, ... */
  method: string;
  /** The endpoint's path (`/api/v1/customer/accounts/account`), without the query. */
  path: string;
  /** The HTTP status, when a response arrived. */
  status: number | null;
  /** Which attempt of the call (from 1). */
  attempt: number | null;
  /** How long the attempt took, in milliseconds. */
  elapsedMs: number | null;
  /** Why: a retry's reason, a refusal's codes, a failure's cause, `started` / `renewed`. */
  reason: string | null;
  /** The wait before the next attempt, in milliseconds. */
  waitMs: number | null;
}

/** What a login gave (never the token itself). */
export interface SessionInfo {
  /** When the token expires, ISO 8601 in UTC (`Z`), when the server said. */
  expiresAt: string | null;
  /** The token's lifetime as the server gave it, in milliseconds. */
  expiresInMs: number | null;
  /** The login response's `id` (the authenticated user). */
  loginId: number | null;
}

/** New credentials for `client.setCredentials`. */
export interface Credentials {
  username: string;
  password: string;
}

/** One page of a list: its items and the paging fields the API returned. */
export interface Page<T> {
  items: T[];
  pageNumber: number | null;
  pageSize: number | null;
  numberOfPages: number | null;
  /** Error items of a response that reported success (rare); absent when there are none. */
  warnings?: ApiErrorItem[];
  /**
   * This page (`{ allPages: true }`: and every page after it, fetched ahead) as Arrow IPC
   * stream bytes, for the `apache-arrow` package (`tableFromIPC(bytes)`), DuckDB or pyarrow:
   * camelCase columns, money `decimal128(38, 18)` exact, timestamps in microseconds UTC, enums
   * dictionary-encoded. Not enumerable: the page stays plain data.
   */
  toArrowIPC(options?: ArrowIPCOptions): Promise<Buffer>;
}

/** Options of `page.toArrowIPC`. */
export interface ArrowIPCOptions {
  /** Also every page after this one (default: this page only). */
  allPages?: boolean;
}

/**
 * What a list call returns: a Promise of the first page that is also an async iterable over
 * every item of every page, each page fetched only when the loop reaches it.
 */
export declare class PagePromise<T> extends Promise<Page<T>> implements AsyncIterable<T> {
  private constructor(executor: never);
  /** Every page from the first, fetched one at a time. */
  pages(): AsyncGenerator<Page<T>, void, undefined>;
  [Symbol.asyncIterator](): AsyncGenerator<T, void, undefined>;
}

/** A value of `client.request`'s query; `null` and `undefined` leave the key out. */
export type QueryValue = string | number | bigint | boolean | Date | DecimalLike | null | undefined;

/** Options of `client.request`. */
export interface RequestOptions extends CallOptions {
  /** Query parameters: an object or `[key, value]` pairs (a key may repeat). */
  query?: Record<string, QueryValue> | ReadonlyArray<readonly [string, QueryValue]>;
  /** The JSON body. Decimal objects and bigints go out as numbers with exactly their digits. */
  body?: unknown;
}

/** What `client.request` resolves to: the API's envelope. */
export interface RawResponse<T = unknown> {
  id: number | null;
  /** The wire's own keys; every number a JS number cannot hold exactly is a string. */
  details: T;
  pageNumber: number | null;
  pageSize: number | null;
  numberOfPages: number | null;
  /** Error items of a response that reported success (rare); absent when there are none. */
  warnings?: ApiErrorItem[];
}

/** `client.accounts`, `client.exchanges`, ...: the areas (generated.d.ts). */
export interface Client extends ClientAreas {}
/**
 * The Ibanera API client. Create one and share it: it holds one connection pool, and every
 * method returns a Promise whose I/O runs on the core's Tokio runtime, never on the event loop.
 */
export declare class Client {
  constructor(options?: ClientOptions);
  /**
   * From `IBANERA_USERNAME`, `IBANERA_PASSWORD`, `IBANERA_TOTP_SECRET` (or
   * `IBANERA_ACCESS_TOKEN`) and `IBANERA_BASE_URL`; `overrides` win.
   */
  static fromEnv(overrides?: ClientOptions): Client;
  /** The base URL requests go to. */
  readonly baseUrl: string;
  /** `ibanera-rust/<version> ibanera-node/<version>` */
  readonly userAgent: string;
  /** The current session, or null before the first login; sends nothing. */
  readonly session: SessionInfo | null;
  /**
   * Logs in now (an explicit login always logs in again). Calls log in by themselves, renew the
   * session before it expires and log in once more when the server refuses the token.
   * Rejects with `AuthenticationError` for refused credentials, `ConfigError` for a client
   * built with an access token.
   */
  login(): Promise<SessionInfo>;
  /** New username and password for the next login; clears the memory of a refused login. */
  setCredentials(credentials: Credentials): void;
  /** A new bearer token obtained elsewhere. */
  setAccessToken(token: string): void;
  /**
   * Any endpoint of the API (for the modules the typed methods do not cover), with the same
   * authentication, TOTP, retry rules and error classes. `method` is `'GET'`, `'POST'`, ...
   */
  request<T = unknown>(
    method: string,
    path: string,
    options?: RequestOptions,
  ): Promise<RawResponse<T>>;
  /** After an `OutcomeUnknownError`: did the withdrawal or the exchange execute? */
  readonly recovery: Recovery;
  /** `{ baseUrl, userAgent }`: never a credential. */
  toJSON(): { baseUrl: string; userAgent: string };
}

/** What `findWithdrawals` looks for: the withdrawal as it was sent. */
export interface FindWithdrawalsArgs {
  /** the account the withdrawal was sent from */
  accountsId: number | bigint;
  /** the amount sent (positive, as passed to `withdrawCrypto`) */
  amount: MoneyInput;
  /** when the attempt started, recorded before sending it (ISO 8601 text with a time) */
  startedAt: Date | string;
}

/** What `findExchanges` looks for: the exchange as it was sent, by price or by amount. */
export type FindExchangesArgs = {
  /** the customer the exchange was sent for */
  customersId: number | bigint;
  /** the pair sent (`'BTC/USDC'`) */
  assetPair: string;
  exchangeType: 'Buy' | 'Sell';
  /** the newest exchange id before the attempt (`latestExchangeId`); absent: every exchange */
  afterId?: number | bigint | null;
} & ({ price: MoneyInput; amount?: null } | { amount: MoneyInput; price?: null });

/**
 * `client.recovery`: after an `OutcomeUnknownError`, look for the withdrawal or the exchange
 * that may have executed before sending it again (the API has no idempotency key: these list
 * what the customer has and match what was sent). Bad arguments reject with `ValidationError`
 * before anything is sent.
 */
export declare class Recovery {
  private constructor();
  /**
   * The account's withdrawals of `amount` since `startedAt` (less two minutes for clocks that
   * differ), newest first: the withdrawal if it executed. Empty: sending it again is safe.
   */
  findWithdrawals(args: FindWithdrawalsArgs, options?: CallOptions): Promise<Transaction[]>;
  /** The customer's exchanges that match what was sent and are newer than `afterId`. */
  findExchanges(args: FindExchangesArgs, options?: CallOptions): Promise<Exchange[]>;
  /** The id of the customer's newest exchange, or null (note it before sending one). */
  latestExchangeId(
    args: { customersId: number | bigint },
    options?: CallOptions,
  ): Promise<number | null>;
}

/** One `(errorType, fieldName, messageCode)` item of the API's `errors`. */
export interface ApiErrorItem {
  errorType: string | null;
  fieldName: string | null;
  /** `Required`, `Invalid`, `Invalid_Length`, `Documents_Not_Verified`, ... or as received. */
  messageCode: string;
}

export type ErrorCode =
  | 'ibanera_error'
  | 'api_error'
  | 'authentication_error'
  | 'not_found'
  | 'rate_limited'
  | 'validation_error'
  | 'transport_error'
  | 'timeout'
  | 'decode_error'
  | 'response_limit_exceeded'
  | 'outcome_unknown'
  | 'config_error'
  | 'sandbox_error'
  | 'signature_verification_error';

/**
 * Base class of every error the package throws.
 *
 * Safe to retry: every error except `OutcomeUnknownError` proves that the request was not
 * executed (or, for a GET, that repeating it changes nothing). `OutcomeUnknownError` means a
 * POST may have executed: check for its effect before sending it again.
 */
export declare class IbaneraError extends Error {
  constructor(message: string, details?: Partial<IbaneraErrorJSON>);
  /** Stable identifier of the error class. */
  readonly code: ErrorCode;
  /** The HTTP status of the response, when there was one. */
  readonly httpStatus: number | null;
  /** Every item the API returned (empty for errors without a response). */
  readonly errors: ApiErrorItem[];
  /** `"METHOD /path"` of the operation, when known. */
  readonly endpoint: string | null;
  toJSON(): IbaneraErrorJSON;
}

export interface IbaneraErrorJSON {
  name: string;
  code: ErrorCode;
  message: string;
  httpStatus: number | null;
  errors: ApiErrorItem[];
  endpoint: string | null;
  [key: string]: unknown;
}

/** The API refused the request (HTTP 4xx/5xx, or HTTP 200 with status 0). */
export declare class ApiError extends IbaneraError {
  readonly code: 'api_error' | 'authentication_error' | 'not_found' | 'rate_limited';
}
/**
 * The credentials, the session token or the TOTP code were refused: a refused login carries
 * `Username_Or_Password_Incorrect`, `Account_Locked`, `Account_Not_Verified` or
 * `Account_Suppressed` in `errors[0].messageCode`. Never executed. After a refused login the
 * client sends nothing until `setCredentials` gives it new ones.
 */
export declare class AuthenticationError extends ApiError {
  readonly code: 'authentication_error';
}
/** HTTP 404. */
export declare class NotFoundError extends ApiError {
  readonly code: 'not_found';
}
/** HTTP 429 after the allowed retries. */
export declare class RateLimitError extends ApiError {
  readonly code: 'rate_limited';
  /** How long the server asked to wait, in milliseconds, when it said. */
  readonly retryAfterMs: number | null;
}
/** Bad input, caught before anything was sent. */
export declare class ValidationError extends IbaneraError {
  readonly code: 'validation_error';
  /** The argument as Node users write it (`destinationAddress`), or `arguments`/`options`. */
  readonly field: string | null;
  /** The rule it breaks. */
  readonly rule: string | null;
}
/** The connection failed (refused, reset, TLS, DNS, body cut short). */
export declare class TransportError extends IbaneraError {
  readonly code: 'transport_error' | 'timeout';
  /** How many attempts were made. */
  readonly attempts: number | null;
}
/** No complete response within the timeout. */
export declare class TimeoutError extends TransportError {
  readonly code: 'timeout';
}
/** The body is not JSON, not the API's envelope, or a field does not have its type. */
export declare class DecodeError extends IbaneraError {
  readonly code: 'decode_error' | 'response_limit_exceeded';
}
/**
 * The response was larger than `maxResponseBytes` or nested deeper than the client reads;
 * nothing of it was decoded. For a POST it is the `cause` of an `OutcomeUnknownError`.
 */
export declare class ResponseLimitError extends DecodeError {
  readonly code: 'response_limit_exceeded';
}
/**
 * A POST failed after its bytes may have reached the server (cut or timed out after sending,
 * body cut short or not JSON, a gateway's 5xx page, a response over the size limit): it MAY
 * HAVE EXECUTED. Do not send it again blindly. Check first: list the recent exchanges
 * (`client.exchanges.list({ customersId })`) or the account's transactions
 * (`client.accounts.transactions({ accountsId, fromDate })`) and match the pair, amount and
 * time of `sent`; repeat only if it is not there.
 */
export declare class OutcomeUnknownError extends IbaneraError {
  readonly code: 'outcome_unknown';
  /** The JSON body that was sent: money as exact strings, secret-looking values `***`. */
  readonly sent: Record<string, unknown> | unknown[] | null;
  /**
   * What went wrong, as the error it would have been for a GET: a `TransportError`,
   * `TimeoutError`, `DecodeError`, `ResponseLimitError` or `ApiError` (a 5xx without the
   * API's error items). Always set on the errors the package throws.
   */
  readonly cause: IbaneraError;
  /** How many attempts were made. */
  readonly attempts: number | null;
}
/** A callback's signature is missing, malformed, or does not match its body. */
export declare class SignatureVerificationError extends IbaneraError {
  readonly code: 'signature_verification_error';
}
/** The client is configured wrongly. */
export declare class ConfigError extends IbaneraError {
  readonly code: 'config_error';
}
/** A sandbox control call was refused. */
export declare class SandboxError extends IbaneraError {
  readonly code: 'sandbox_error';
}

/** A fault the sandbox injects instead of (or around) the normal response (sandbox/README.md). */
export type Fault =
  | {
      kind: 'status';
      status: number;
      body?: string | object;
      retryAfter?: string | number;
      /** Run the request first, then answer with this status (a gateway timing out). */
      execute?: boolean;
    }
  | { kind: 'html'; status: number; execute?: boolean }
  | { kind: 'delay'; ms: number }
  | { kind: 'dropBeforeExecute' }
  | { kind: 'dropAfterExecute' }
  | { kind: 'truncate' }
  | { kind: 'malformedJson' }
  | { kind: 'statusZero' }
  /** HTTP 200 with `Content-Length: bytes` and exactly that many bytes. */
  | { kind: 'oversizeBody'; bytes: number }
  /** HTTP 200, chunked, a body that never ends. */
  | { kind: 'endlessBody' }
  /** HTTP 200, a valid envelope whose `details` nests `depth` arrays. */
  | { kind: 'deepJson'; depth: number };

export interface SandboxOptions {
  /** The API user's username (default `sandbox-api-user`). */
  username?: string;
  /** The API user's password (default: random). */
  password?: string;
  /** The TOTP secret, base32 (default: 20 random bytes). */
  totpSecret?: string;
  /** Lifetime of issued tokens in seconds, decimals allowed (default 3600). */
  tokenTtl?: number;
  /** Idle keep-alive connections are closed after this many milliseconds (default 30000). */
  idleTimeoutMs?: number;
  /** Refuse a TOTP time step already accepted (RFC 6238 section 5.2). */
  strictOtp?: boolean;
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
  /** A callback receiver registered at start; its hash secret is `sandbox.webhookSecret`. */
  webhookUrl?: string;
  /** That receiver's hash secret (default: random). */
  webhookSecret?: string;
  /** The wait before the first retry of an unacknowledged callback, ms (default 1000, doubling). */
  webhookRetryBaseMs?: number;
  /** Attempts per event and receiver, the first included (default 8). */
  webhookMaxAttempts?: number;
  /** How long one delivery attempt may take, ms (default 10000). */
  webhookTimeoutMs?: number;
  /** Crypto withdrawals stay Pending until `settleTransaction` / `failTransaction`. */
  holdWithdrawals?: boolean;
}

/** A callback receiver registered with the sandbox. */
export interface SandboxWebhook {
  id: number;
  url: string;
  /** Events queued for it, neither acknowledged nor given up yet. */
  pending: number;
}

/** One delivery attempt of a callback (`sandbox.deliveries()`). */
export interface SandboxDelivery {
  /** The envelope's `Id`. */
  eventId: string;
  /** The envelope's `Type`. */
  type: string;
  receiverId: number;
  url: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The receiver's HTTP status, or null when no response arrived. */
  status: number | null;
  /** Why no response arrived, or null. */
  error: string | null;
  /** When the attempt started (ISO 8601 UTC). */
  at: string;
  /** The receiver answered 200. */
  acknowledged: boolean;
}

/** The sandbox's login counters (`sandbox.authStats()`). */
export interface AuthStats {
  /** Logins answered with a token. */
  loginsSucceeded: number;
  /** Logins refused, whatever the reason. */
  loginsFailed: number;
  /** Tokens issued, not revoked and not yet expired. */
  activeTokens: number;
  /** Users locked right now (5 wrong logins in a row), sorted. */
  lockedUsers: string[];
}

export type SandboxExchangeStatus =
  'WaitingForApproval' | 'Rejected' | 'WaitingForConfirmation' | 'Pending' | 'Completed' | 'Failed';

/** A stateful local Ibanera server on 127.0.0.1, in this process. */
export declare class Sandbox {
  private constructor();
  static start(options?: SandboxOptions): Promise<Sandbox>;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  /** The API user's username. */
  readonly username: string;
  /** The API user's password (not shown by `inspect` or `JSON.stringify`). */
  readonly password: string;
  /** The TOTP secret (not shown by `inspect` or `JSON.stringify`). */
  readonly totpSecret: string;
  readonly strictOtp: boolean;
  /**
   * A client for this sandbox, logged in as its API user; `overrides` may add any client
   * option or replace the credentials (a wrong password, `username: 'sandbox-unverified'`).
   */
  client(overrides?: ClientOptions): Client;
  approve(exchangeId: number): SandboxExchangeStatus;
  reject(exchangeId: number): SandboxExchangeStatus;
  complete(exchangeId: number): SandboxExchangeStatus;
  fail(exchangeId: number): SandboxExchangeStatus;
  setPrice(assetPair: string, price: MoneyInput): void;
  price(assetPair: string): string;
  /** Credits a completed deposit; the new transaction's id. */
  creditDeposit(accountsId: number, amount: MoneyInput): number;
  seedTransactions(accountsId: number, count: number): Promise<void>;
  /** Crypto withdrawals made from now on stay Pending (cancellable) until settled or failed. */
  setHoldWithdrawals(hold: boolean): void;
  readonly holdWithdrawals: boolean;
  /** Settles a pending withdrawal or deposit (a simulated pay-in) and its fee: Completed. */
  settleTransaction(transactionsId: number): void;
  /** Fails a pending withdrawal or deposit: the hold is released, nothing is credited. */
  failTransaction(transactionsId: number): void;
  /** Ids of the transactions `settleTransaction` accepts, oldest first. */
  pendingTransactions(): number[];
  /** Compliance opens an information request for a customer; its id. */
  openInformationRequest(customersId: number, options?: { transactionsId?: number }): number;
  /** Compliance decides on an open information request (MoreInformationRequired keeps it open). */
  resolveInformationRequest(
    informationRequestId: number,
    status: 'Accepted' | 'Rejected' | 'MoreInformationRequired',
  ): void;
  /** Activates a card (a created card starts Deactivated). */
  activateCard(cardId: number): void;
  /** Deactivates a card: transfers to or from it are refused. */
  deactivateCard(cardId: number): void;
  /** The fees card transfers have collected since the start (or the last reset). */
  cardFeesCollected(): string;
  /** Back to the seeded world (credentials, issued tokens and settings stay). */
  reset(): void;
  /** How many times each API POST was executed: `{ 'POST /api/...': 1 }`. */
  executions(): Record<string, number>;
  injectFault(path: string, fault: Fault, count?: number): void;
  clearFaults(): void;
  setStrictOtp(strict: boolean): void;
  /** Lifetime of tokens issued from now on, in seconds (decimals allowed). */
  setTokenTtl(seconds: number): void;
  /** Idle keep-alive connections accepted from now on are closed after `ms` milliseconds. */
  setIdleTimeout(ms: number): void;
  /** Every token issued so far stops working. */
  revokeTokens(): void;
  /** Clears every lock and run of failed logins. */
  unlock(): void;
  authStats(): AuthStats;
  /** The `export IBANERA_...=` lines for a shell (they contain the password). */
  envLines(): string;
  /** The hash secret of the receiver given as `webhookUrl` (null without one). */
  readonly webhookSecret: string | null;
  /**
   * Registers a callback receiver and returns its hash secret: every change of the sandbox's
   * state is then delivered to it, signed, and retried until it answers 200.
   */
  registerWebhook(url: string, options?: { secret?: string }): string;
  webhooks(): SandboxWebhook[];
  removeWebhook(receiverId: number): void;
  /** Removes every receiver; how many there were. */
  clearWebhooks(): number;
  /** Every delivery attempt so far, in the order made. */
  deliveries(): SandboxDelivery[];
  clearDeliveries(): void;
  pendingDeliveries(): number;
  /** True once every event queued so far is acknowledged or given up; false after the timeout. */
  waitForDeliveries(timeoutMs?: number): Promise<boolean>;
  /** Sends a callback of `type` now (`data` overrides keys); returns it as sent. */
  triggerWebhook(
    type: string,
    data?: Record<string, unknown>,
    options?: { id?: string },
  ): { id: string; type: string; data: Record<string, unknown> };
  setWebhookRetryBase(ms: number): void;
  setWebhookMaxAttempts(attempts: number): void;
  setWebhookTimeout(ms: number): void;
  close(): Promise<void>;
  /** `{ baseUrl, username }`: never the password or the secret. */
  toJSON(): { baseUrl: string; username: string };
}

/** RFC 6238 one-time codes, computed by the core. */
export declare class Totp {
  /** A base32 secret (any case, spaces or `=` allowed) or an `otpauth://totp/` URI. */
  constructor(secret: string);
  /** The code valid now. */
  now(): string;
  /** The code at a `Date` or Unix seconds. */
  at(time: Date | number): string;
  /** Seconds until the current code expires. */
  secondsLeft(): number;
  /** True when `code` is valid now, `skew` steps either side (default 1). */
  verify(code: string, skew?: number): boolean;
  readonly digits: number;
  readonly step: number;
  readonly algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  toJSON(): { algorithm: string; digits: number; step: number };
}

/** A callback's raw body exactly as received: bytes, or a string (encoded as UTF-8). */
export type WebhookPayload = Uint8Array | ArrayBuffer | ArrayBufferView | string;

/**
 * Where the signature is: the header's value, or the request's headers to find it in (names in
 * any case; the first of repeated values): `req.headers`, `req.headersDistinct`, a fetch
 * `Headers` or a `Map`, `[name, value]` pairs, or `req.rawHeaders`.
 */
export type WebhookSignature =
  | string
  | { readonly [name: string]: string | readonly string[] | undefined }
  | Iterable<readonly [string, string]>
  | readonly string[];

/**
 * Callbacks (webhooks): verify that a callback comes from Ibanera, then read it as a typed
 * event. The signature (SHA-256 of the raw body followed by the hash secret) is checked on the
 * bytes exactly as received, in constant time. A failed check throws
 * `SignatureVerificationError` (answer 401 and do not act on the body); a body that is not a
 * callback `DecodeError`; an empty secret `ConfigError`. No error shows the secret or the
 * expected signature. Answer 200 quickly and deduplicate on `event.id`: a callback that is not
 * acknowledged is sent again with the same `id`.
 */
export declare namespace webhooks {
  /**
   * Verifies a Customer API callback (`webhook-signature`, base64 or hex) and reads it:
   * `{ id, type, data }` with money as exact strings and timestamps ISO 8601 in UTC. Narrow
   * with `isKnown(event)`, then on `event.type`.
   */
  function constructEvent(
    payload: WebhookPayload,
    signature: WebhookSignature,
    secret: string,
  ): WebhookEvent;
  /**
   * Verifies a QuickBuy or QuickBuy Pro callback (`QuickBuy-Signature`, base64) and reads it:
   * `{ kind, data }`.
   */
  function constructQuickBuyEvent(
    payload: WebhookPayload,
    signature: WebhookSignature,
    secret: string,
  ): QuickBuyEvent;
  /** True when the package knows the event's type: its `data` is then the typed model. */
  function isKnown(event: WebhookEvent): event is KnownWebhookEvent;
  /** The callback types the package knows. */
  const EVENT_TYPES: readonly KnownWebhookEvent['type'][];
  const SIGNATURE_HEADER: 'webhook-signature';
  const QUICKBUY_SIGNATURE_HEADER: 'QuickBuy-Signature';
}

/** The package version. */
export declare const VERSION: string;
