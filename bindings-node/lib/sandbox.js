'use strict';

const util = require('node:util');
const native = require('./native');
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

  /** Starts a sandbox on a free port with fresh credentials. */
  static async start(options) {
    if (options !== undefined && options !== null && typeof options !== 'object') {
      throw new ConfigError(`sandbox options must be an object, got ${describe(options)}`);
    }
    const o = options ?? {};
    const known = ['strictOtp', 'port', 'apiKey', 'totpSecret'];
    for (const key of Object.keys(o)) {
      if (!known.includes(key)) {
        throw new ConfigError(`\`${key}\` is not a sandbox option (known: ${known.join(', ')})`);
      }
    }
    let handle;
    try {
      handle = await native.startSandbox({
        strictOtp: o.strictOtp ?? undefined,
        port: o.port ?? undefined,
        apiKey: o.apiKey ?? undefined,
        totpSecret: o.totpSecret ?? undefined,
      });
    } catch (e) {
      throw fromNative(e);
    }
    return new Sandbox(TOKEN, handle);
  }

  /** `http://127.0.0.1:PORT` */
  get baseUrl() {
    return this.#native.baseUrl;
  }

  /** The API key the sandbox requires. */
  get apiKey() {
    return this.#native.apiKey;
  }

  /** The TOTP secret (base32). */
  get totpSecret() {
    return this.#native.totpSecret;
  }

  /** A client for this sandbox; `options` may add `timeoutMs`, `maxRetries`, ... */
  client(options) {
    return new Client({
      ...(options ?? {}),
      apiKey: this.apiKey,
      totpSecret: this.totpSecret,
      baseUrl: this.baseUrl,
    });
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

  toJSON() {
    return { baseUrl: this.baseUrl };
  }

  [util.inspect.custom](depth, options, inspect) {
    return `Sandbox ${(inspect ?? util.inspect)(this.toJSON(), options)}`;
  }
}

module.exports = { Sandbox };
