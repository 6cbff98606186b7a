// Types of the npm package `ibanera`. Models, arguments and the per-area method signatures are
// generated from the Rust core (`generated.d.ts`); this file declares the classes around them.

import type { ClientAreas } from './generated.js';

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
  /** Per-attempt timeout in milliseconds (connect, response and body). */
  timeoutMs?: number;
  /** Retries after the first attempt (GETs; a POST only when it provably never left). */
  maxRetries?: number;
}

export interface ClientOptions {
  /** Sent raw in `Authorization`. Never printed, never in an error. */
  apiKey?: string;
  /** Base32 TOTP secret or an `otpauth://totp/` URI. Never printed, never in an error. */
  totpSecret?: string;
  /** Default `https://public-api.ibanera.com`; plain `http://` only to loopback hosts. */
  baseUrl?: string;
  /** Per-attempt timeout in milliseconds (default 30000). */
  timeoutMs?: number;
  /** Connect timeout in milliseconds (default 10000). */
  connectTimeoutMs?: number;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** Permit `http://` to a non-loopback host (a TLS-terminating proxy on a private network). */
  allowInsecureHttp?: boolean;
}

/** One page of a list: its items and the paging fields the API returned. */
export interface Page<T> {
  items: T[];
  pageNumber: number | null;
  pageSize: number | null;
  numberOfPages: number | null;
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
}

/** `client.accounts`, `client.exchanges`, ...: the areas (generated.d.ts). */
export interface Client extends ClientAreas {}
/**
 * The Ibanera API client. Create one and share it: it holds one connection pool, and every
 * method returns a Promise whose I/O runs on the core's Tokio runtime, never on the event loop.
 */
export declare class Client {
  constructor(options?: ClientOptions);
  /** From `IBANERA_API_KEY`, `IBANERA_TOTP_SECRET`, `IBANERA_BASE_URL`; `overrides` win. */
  static fromEnv(overrides?: ClientOptions): Client;
  /** The base URL requests go to. */
  readonly baseUrl: string;
  /** `ibanera-rust/<version> ibanera-node/<version>` */
  readonly userAgent: string;
  /**
   * Any endpoint of the API (for the modules the typed methods do not cover), with the same
   * authentication, TOTP, retry rules and error classes. `method` is `'GET'`, `'POST'`, ...
   */
  request<T = unknown>(
    method: string,
    path: string,
    options?: RequestOptions,
  ): Promise<RawResponse<T>>;
  /** `{ baseUrl, userAgent }`: never a secret. */
  toJSON(): { baseUrl: string; userAgent: string };
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
  | 'config_error'
  | 'sandbox_error';

/** Base class of every error the package throws. */
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
/** HTTP 401/403: the API key or the TOTP code was refused. */
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
  readonly code: 'decode_error';
}
/** The client is configured wrongly. */
export declare class ConfigError extends IbaneraError {
  readonly code: 'config_error';
}
/** A sandbox control call was refused. */
export declare class SandboxError extends IbaneraError {
  readonly code: 'sandbox_error';
}

/** A fault the sandbox injects instead of (or around) the normal response. */
export type Fault =
  | { kind: 'status'; status: number; body?: string | object; retryAfter?: string | number }
  | { kind: 'html'; status: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'dropBeforeExecute' }
  | { kind: 'dropAfterExecute' }
  | { kind: 'truncate' }
  | { kind: 'malformedJson' }
  | { kind: 'statusZero' };

export interface SandboxOptions {
  /** Refuse a TOTP time step already accepted (RFC 6238 section 5.2). */
  strictOtp?: boolean;
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
  apiKey?: string;
  totpSecret?: string;
}

export type SandboxExchangeStatus =
  'WaitingForApproval' | 'Rejected' | 'WaitingForConfirmation' | 'Pending' | 'Completed' | 'Failed';

/** A stateful local Ibanera server on 127.0.0.1, in this process. */
export declare class Sandbox {
  private constructor();
  static start(options?: SandboxOptions): Promise<Sandbox>;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly totpSecret: string;
  readonly strictOtp: boolean;
  /** A client for this sandbox. */
  client(options?: Omit<ClientOptions, 'apiKey' | 'totpSecret' | 'baseUrl'>): Client;
  approve(exchangeId: number): SandboxExchangeStatus;
  reject(exchangeId: number): SandboxExchangeStatus;
  complete(exchangeId: number): SandboxExchangeStatus;
  fail(exchangeId: number): SandboxExchangeStatus;
  setPrice(assetPair: string, price: MoneyInput): void;
  price(assetPair: string): string;
  /** Credits a completed deposit; the new transaction's id. */
  creditDeposit(accountsId: number, amount: MoneyInput): number;
  seedTransactions(accountsId: number, count: number): Promise<void>;
  reset(): void;
  /** How many times each API POST was executed: `{ 'POST /api/...': 1 }`. */
  executions(): Record<string, number>;
  injectFault(path: string, fault: Fault, count?: number): void;
  clearFaults(): void;
  setStrictOtp(strict: boolean): void;
  close(): Promise<void>;
  toJSON(): { baseUrl: string };
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

/** The package version. */
export declare const VERSION: string;
