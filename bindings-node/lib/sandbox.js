'use strict';

const util = require('node:util');
const nativeModule = require('./native');
const { Client } = require('./client');
const { money, describe } = require('./args');
const { fromNative, ConfigError } = require('./errors');

const TOKEN = Symbol('ibanera.sandbox');

function wrap(fn) {
  try {
    return fn();
  } catch (e) {
    throw fromNative(e);
  }
}

// Option name -> the type it must have (values are never echoed in a message).
const OPTIONS = {
  username: 'string',
  password: 'string',
  totpSecret: 'string',
  tokenTtl: 'positive',
  idleTimeoutMs: 'positive',
  strictOtp: 'boolean',
  port: 'port',
  webhookUrl: 'string',
  webhookSecret: 'string',
  webhookRetryBaseMs: 'positive',
  webhookMaxAttempts: 'count',
  webhookTimeoutMs: 'positive',
  holdWithdrawals: 'boolean',
};

function positive(name, value) {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${name} must be a positive number, got ${describe(value)}`);
  }
}

function id(name, value) {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigError(`${name} must be a positive integer, got ${describe(value)}`);
  }
  return value;
}

/**
 * A stateful local Ibanera server on 127.0.0.1, in this process (its I/O on the core's Tokio
 * runtime): every endpoint, real balances, the exchange lifecycle, and control helpers that
 * move the world along and inject faults. See sandbox/README.md for the seeded world.
 */
class Sandbox {
  #native;

  /** @internal use `Sandbox.start()` */
  constructor(token, handle) {
    if (token !== TOKEN) throw new TypeError('use `await Sandbox.start()`');
    this.#native = handle;
  }

  /**
   * Starts a sandbox on a free port with fresh credentials. Options: `username`, `password`,
   * `totpSecret` (fixed credentials), `tokenTtl` (token lifetime in seconds, decimals allowed),
   * `idleTimeoutMs` (idle keep-alive connections closed after it), `strictOtp`, `port`,
   * `holdWithdrawals` (see `setHoldWithdrawals`).
   */
  static async start(options) {
    if (options !== undefined && options !== null && typeof options !== 'object') {
      throw new ConfigError(`sandbox options must be an object, got ${describe(options)}`);
    }
    const o = options ?? {};
    const native = {};
    for (const key of Object.keys(o)) {
      const v = o[key];
      const type = OPTIONS[key];
      if (type === undefined) {
        throw new ConfigError(
          `\`${key}\` is not a sandbox option (known: ${Object.keys(OPTIONS).join(', ')})`,
        );
      }
      if (v === undefined || v === null) continue;
      const ok =
        type === 'positive'
          ? typeof v === 'number' && Number.isFinite(v) && v > 0
          : type === 'port'
            ? Number.isInteger(v) && v >= 0 && v <= 65535
            : type === 'count'
              ? Number.isInteger(v) && v >= 1 && v <= 0xffffffff
              : typeof v === type;
      if (!ok) {
        const want =
          type === 'positive'
            ? 'a positive number'
            : type === 'port'
              ? 'a port (0-65535)'
              : type === 'count'
                ? 'a positive integer'
                : `a ${type}`;
        throw new ConfigError(`\`${key}\` must be ${want}, got ${describe(v)}`);
      }
      native[key] = v;
    }
    let handle;
    try {
      handle = await nativeModule.startSandbox(native);
    } catch (e) {
      throw fromNative(e);
    }
    return new Sandbox(TOKEN, handle);
  }

  /** `http://127.0.0.1:PORT` */
  get baseUrl() {
    return this.#native.baseUrl;
  }

  /** The API user's username (`sandbox-api-user` unless given). */
  get username() {
    return this.#native.username;
  }

  /** The API user's password (never printed by `inspect` or `JSON.stringify`). */
  get password() {
    return this.#native.password;
  }

  /** The TOTP secret (base32; never printed by `inspect` or `JSON.stringify`). */
  get totpSecret() {
    return this.#native.totpSecret;
  }

  /**
   * A client for this sandbox, logging in as its API user; `overrides` may add `timeoutMs`,
   * `maxRetries`, ... or replace `username` / `password` / `totpSecret` (a wrong password, a
   * seeded user such as `sandbox-unverified`).
   */
  client(overrides) {
    if (overrides !== undefined && overrides !== null && typeof overrides !== 'object') {
      throw new ConfigError(`client options must be an object, got ${describe(overrides)}`);
    }
    const o = overrides ?? {};
    const credentials =
      o.accessToken === undefined || o.accessToken === null
        ? { username: this.username, password: this.password }
        : {};
    return new Client({
      ...credentials,
      totpSecret: this.totpSecret,
      baseUrl: this.baseUrl,
      ...o,
    });
  }

  /** Lifetime of tokens issued from now on, in seconds (decimals allowed: `0.5`). */
  setTokenTtl(seconds) {
    positive('seconds', seconds);
    wrap(() => this.#native.setTokenTtl(seconds));
  }

  /** Idle keep-alive connections accepted from now on are closed after `ms` milliseconds. */
  setIdleTimeout(ms) {
    positive('ms', ms);
    wrap(() => this.#native.setIdleTimeout(ms));
  }

  /** Every token issued so far stops working (HTTP 401 naming `Authorization`). */
  revokeTokens() {
    this.#native.revokeTokens();
  }

  /** Clears every lock and run of failed logins. */
  unlock() {
    this.#native.unlock();
  }

  /** `{ loginsSucceeded, loginsFailed, activeTokens, lockedUsers }` */
  authStats() {
    return JSON.parse(this.#native.authStats());
  }

  // Callbacks (webhooks) ------------------------------------------------------------------

  /** The hash secret of the receiver given as `webhookUrl` at start (null without one). */
  get webhookSecret() {
    return this.#native.webhookSecret;
  }

  /**
   * Registers a callback receiver (an http or https URL; loopback is the normal case) and
   * returns its hash secret (`options.secret`, or a fresh random one). From now on every change
   * of the sandbox's state is delivered to it, signed with that secret, and retried until it
   * answers 200.
   */
  registerWebhook(url, options) {
    if (typeof url !== 'string') throw new ConfigError('url must be a string');
    const secret = options?.secret;
    if (secret !== undefined && typeof secret !== 'string') {
      throw new ConfigError('secret must be a string');
    }
    return wrap(() => this.#native.registerWebhook(url, secret));
  }

  /** The registered receivers: `[{ id, url, pending }]` (never their secrets). */
  webhooks() {
    return JSON.parse(this.#native.webhooks());
  }

  /** Removes one receiver (what was not delivered to it yet is dropped). */
  removeWebhook(receiverId) {
    wrap(() => this.#native.removeWebhook(id('receiverId', receiverId)));
  }

  /** Removes every receiver; returns how many there were. */
  clearWebhooks() {
    return this.#native.clearWebhooks();
  }

  /**
   * Every delivery attempt so far, in the order made:
   * `[{ eventId, type, receiverId, url, attempt, status, error, at, acknowledged }]`.
   */
  deliveries() {
    return JSON.parse(this.#native.deliveries());
  }

  clearDeliveries() {
    this.#native.clearDeliveries();
  }

  /** Events queued for a receiver, neither acknowledged nor given up yet. */
  pendingDeliveries() {
    return this.#native.pendingDeliveries();
  }

  /**
   * Resolves true once every event queued so far is acknowledged or given up (use it instead
   * of sleeping), false if that did not happen within `timeoutMs` (default 30000).
   */
  async waitForDeliveries(timeoutMs = 30_000) {
    positive('timeoutMs', timeoutMs);
    try {
      return await this.#native.waitForDeliveries(timeoutMs);
    } catch (e) {
      throw fromNative(e);
    }
  }

  /**
   * Sends a callback of `type` now, with realistic data from the sandbox's state (`data`
   * overrides keys; `options.id` fixes the envelope's `Id`, to test deduplication). Returns
   * `{ id, type, data }` as sent (wire keys; numbers a JS number cannot hold exactly as
   * strings).
   */
  triggerWebhook(type, data, options) {
    if (typeof type !== 'string') throw new ConfigError('type must be a string');
    const text = data === undefined || data === null ? undefined : JSON.stringify(data);
    const eventId = options?.id;
    if (eventId !== undefined && typeof eventId !== 'string') {
      throw new ConfigError('id must be a string');
    }
    return JSON.parse(wrap(() => this.#native.triggerWebhook(type, text, eventId)));
  }

  /** The wait before the first retry of an unacknowledged callback (then doubling), in ms. */
  setWebhookRetryBase(ms) {
    positive('ms', ms);
    wrap(() => this.#native.setWebhookRetryBase(ms));
  }

  /** Attempts per event and receiver (the first included) before it is given up. */
  setWebhookMaxAttempts(attempts) {
    if (!Number.isInteger(attempts) || attempts < 1 || attempts > 0xffffffff) {
      throw new ConfigError(`attempts must be a positive integer, got ${describe(attempts)}`);
    }
    wrap(() => this.#native.setWebhookMaxAttempts(attempts));
  }

  /** How long one delivery attempt may take, in ms. */
  setWebhookTimeout(ms) {
    positive('ms', ms);
    wrap(() => this.#native.setWebhookTimeout(ms));
  }

  /** The `export IBANERA_...=` lines a shell (or `Client.fromEnv()`) needs for this sandbox. */
  envLines() {
    return this.#native.envLines();
  }

  /** Compliance approves an exchange; resolves nothing, returns the new status. */
  approve(exchangeId) {
    return wrap(() => this.#native.approve(id('exchangeId', exchangeId)));
  }

  reject(exchangeId) {
    return wrap(() => this.#native.reject(id('exchangeId', exchangeId)));
  }

  complete(exchangeId) {
    return wrap(() => this.#native.complete(id('exchangeId', exchangeId)));
  }

  fail(exchangeId) {
    return wrap(() => this.#native.fail(id('exchangeId', exchangeId)));
  }

  /** Moves a pair's price (`'BTC/USDC'`, `'61000'`). */
  setPrice(assetPair, price) {
    return wrap(() => this.#native.setPrice(String(assetPair), String(money('price', price))));
  }

  /** A pair's current price as a decimal string. */
  price(assetPair) {
    return wrap(() => this.#native.price(String(assetPair)));
  }

  /** Credits a completed deposit; returns the new transaction's id. */
  creditDeposit(accountsId, amount) {
    return wrap(() =>
      this.#native.creditDeposit(id('accountsId', accountsId), String(money('amount', amount))),
    );
  }

  /** Adds `count` completed deposits of 1 unit to an account (off the event loop). */
  async seedTransactions(accountsId, count) {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new ConfigError(`count must be a non-negative integer, got ${describe(count)}`);
    }
    try {
      await this.#native.seedTransactions(id('accountsId', accountsId), count);
    } catch (e) {
      throw fromNative(e);
    }
  }

  // Pending transactions, information requests, cards ---------------------------------------

  /**
   * Crypto withdrawals made from now on stay Pending (on hold, cancellable) until
   * `settleTransaction` or `failTransaction`; `false` (the default) completes them at once.
   */
  setHoldWithdrawals(hold) {
    this.#native.setHoldWithdrawals(Boolean(hold));
  }

  get holdWithdrawals() {
    return this.#native.holdWithdrawals;
  }

  /** Settles a pending withdrawal or deposit (a simulated pay-in) and its fee: Completed. */
  settleTransaction(transactionsId) {
    wrap(() => this.#native.settleTransaction(id('transactionsId', transactionsId)));
  }

  /** Fails a pending withdrawal or deposit: the hold is released, nothing is credited. */
  failTransaction(transactionsId) {
    wrap(() => this.#native.failTransaction(id('transactionsId', transactionsId)));
  }

  /** Ids of the transactions `settleTransaction` accepts, oldest first. */
  pendingTransactions() {
    return this.#native.pendingTransactions();
  }

  /**
   * Compliance opens an information request for a customer, about one of its transactions
   * (`options.transactionsId`) or the customer in general; returns its id.
   */
  openInformationRequest(customersId, options) {
    const tx = options?.transactionsId;
    return wrap(() =>
      this.#native.openInformationRequest(
        id('customersId', customersId),
        tx === undefined || tx === null ? undefined : id('transactionsId', tx),
      ),
    );
  }

  /**
   * Compliance decides on an open information request: `'Accepted'` or `'Rejected'` (both
   * final), or `'MoreInformationRequired'` (it stays open).
   */
  resolveInformationRequest(informationRequestId, status) {
    if (typeof status !== 'string') {
      throw new ConfigError('status must be Accepted, Rejected or MoreInformationRequired');
    }
    wrap(() =>
      this.#native.resolveInformationRequest(
        id('informationRequestId', informationRequestId),
        status,
      ),
    );
  }

  /** Activates a card (a created card starts Deactivated; a managee's: the manager's approval). */
  activateCard(cardId) {
    wrap(() => this.#native.activateCard(id('cardId', cardId)));
  }

  /** Deactivates a card: transfers to or from it are refused. */
  deactivateCard(cardId) {
    wrap(() => this.#native.deactivateCard(id('cardId', cardId)));
  }

  /** The fees card transfers have collected since the start (or the last reset): a decimal string. */
  cardFeesCollected() {
    return this.#native.cardFeesCollected();
  }

  /** Back to the seeded world (credentials and the strict OTP setting stay). */
  reset() {
    this.#native.reset();
  }

  /** How many times each API POST was executed: `{ 'POST /api/...': 1 }`. */
  executions() {
    return JSON.parse(this.#native.executions());
  }

  /**
   * The next `count` requests to `path` get `fault`: `{ kind: 'status', status: 503,
   * retryAfter: '1' }`, `{ kind: 'delay', ms: 1500 }`, `{ kind: 'dropAfterExecute' }`, ...
   */
  injectFault(path, fault, count = 1) {
    if (typeof path !== 'string') throw new ConfigError('path must be a string');
    if (fault === null || typeof fault !== 'object') {
      throw new ConfigError('a fault is an object with a `kind`');
    }
    if (!Number.isInteger(count) || count < 1 || count > 0xffffffff) {
      throw new ConfigError('count must be a positive integer');
    }
    wrap(() => this.#native.injectFault(path, JSON.stringify(fault), count));
  }

  clearFaults() {
    this.#native.clearFaults();
  }

  /** Refuse a TOTP time step already accepted (RFC 6238 section 5.2). */
  setStrictOtp(strict) {
    this.#native.setStrictOtp(Boolean(strict));
  }

  get strictOtp() {
    return this.#native.strictOtp;
  }

  /** Stops the server. */
  async close() {
    await this.#native.close();
  }

  async [Symbol.asyncDispose ?? Symbol.for('Symbol.asyncDispose')]() {
    await this.close();
  }

  /** `{ baseUrl, username }`: never the password or the TOTP secret. */
  toJSON() {
    return { baseUrl: this.baseUrl, username: this.username };
  }

  toString() {
    return `Sandbox ${JSON.stringify(this.toJSON())}`;
  }

  [util.inspect.custom](depth, options, inspect) {
    return `Sandbox ${(inspect ?? util.inspect)(this.toJSON(), options)}`;
  }
}

module.exports = { Sandbox };
