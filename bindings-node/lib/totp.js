'use strict';

const util = require('node:util');
const native = require('./native');
const { fromNative, ConfigError } = require('./errors');

/**
 * RFC 6238 one-time codes (SHA-1, 6 digits, 30 s unless an `otpauth://` URI says otherwise),
 * computed by the core. The secret stays in native memory and is never printed.
 */
class Totp {
  #native;

  /** @param {string} secret base32 (any case, spaces or `=` allowed) or an `otpauth://totp/` URI */
  constructor(secret) {
    if (typeof secret !== 'string') {
      throw new ConfigError('the TOTP secret must be a string (base32 or an otpauth:// URI)');
    }
    try {
      this.#native = new native.NativeTotp(secret);
    } catch (e) {
      throw fromNative(e);
    }
  }

  /** The code valid now. */
  now() {
    return this.#native.now();
  }

  /** The code at a time: a `Date` or Unix seconds. */
  at(time) {
    const seconds = time instanceof Date ? Math.floor(time.getTime() / 1000) : time;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      throw new ConfigError('a time is a Date or a non-negative number of Unix seconds');
    }
    return this.#native.at(seconds);
  }

  /** Seconds until the current code expires (1 to the step). */
  secondsLeft() {
    return this.#native.secondsLeft();
  }

  /** True when `code` is valid now, allowing `skew` steps either side (default 1). */
  verify(code, skew = 1) {
    if (typeof code !== 'string') return false;
    return this.#native.verify(code, skew);
  }

  get digits() {
    return this.#native.digits;
  }

  /** The time step in seconds. */
  get step() {
    return this.#native.step;
  }

  get algorithm() {
    return this.#native.algorithm;
  }

  toJSON() {
    return { algorithm: this.algorithm, digits: this.digits, step: this.step };
  }

  [util.inspect.custom](depth, options, inspect) {
    return `Totp ${(inspect ?? util.inspect)(this.toJSON(), options)}`;
  }
}

module.exports = { Totp };
