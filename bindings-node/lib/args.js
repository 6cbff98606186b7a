'use strict';

// JS values -> the JSON object the core's `ops::parse` reads. Only what JSON cannot say is
// decided here: money never travels as a binary float, bigints and decimal objects become
// their exact digits, dates their ISO text. Names, requiredness and every other rule are the
// core's (it reports unknown keys, missing arguments and bad values, naming the field).

const { validationError } = require('./errors');

const DECIMAL = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** `customers_id`, `customersId`, `CustomersId` -> `customersid` (as the core matches keys). */
function normalise(key) {
  return key.replace(/[_-]/g, '').toLowerCase();
}

/** Prepares the operation table: argument lookup by any spelling of the name. */
function prepare(op) {
  const byKey = new Map();
  for (const arg of op.args) byKey.set(normalise(arg.name), arg);
  return { ...op, byKey };
}

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const t = typeof value;
  if (t === 'object') {
    const name = value.constructor && value.constructor.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return `a ${t}`;
}

/**
 * Money as exact digits: a decimal string as is, a bigint's digits, a safe integer number, or
 * an object whose `toString()` is a decimal (decimal.js, big.js). A number with a fraction, an
 * unsafe integer, NaN and Infinity are refused: they are binary floats.
 */
function money(field, value, endpoint) {
  switch (typeof value) {
    case 'string':
      return value;
    case 'bigint':
      return value.toString();
    case 'number':
      return moneyNumber(field, value, endpoint);
    case 'object': {
      if (value === null) return null;
      if (value instanceof Number) return moneyNumber(field, value.valueOf(), endpoint);
      if (Array.isArray(value) || value instanceof Date) break;
      let text;
      try {
        text = String(value);
      } catch {
        break;
      }
      if (DECIMAL.test(text)) return text.trim();
      throw validationError(
        field,
        `must be a decimal: ${describe(value)} whose toString() is not a decimal number`,
        endpoint,
      );
    }
    default:
      break;
  }
  throw validationError(
    field,
    `must be a decimal string, a bigint, an integer, or a decimal.js/big.js value; got ${describe(value)}`,
    endpoint,
  );
}

function moneyNumber(field, n, endpoint) {
  if (!Number.isFinite(n)) {
    throw validationError(field, `must be a finite decimal, got ${n}`, endpoint);
  }
  if (!Number.isInteger(n)) {
    throw validationError(
      field,
      `is the JS number ${n}, which has a fraction: binary floating-point numbers are refused for money; pass the amount as a string ("12.50"), a bigint, or a decimal.js/big.js value`,
      endpoint,
    );
  }
  if (!Number.isSafeInteger(n)) {
    throw validationError(
      field,
      `is the JS number ${n}, beyond Number.MAX_SAFE_INTEGER, so its digits may not be the ones written; pass it as a string or a bigint`,
      endpoint,
    );
  }
  return n;
}

function value(field, arg, v, endpoint) {
  const type = arg === undefined ? null : arg.type;
  if (type === 'money') return money(field, v, endpoint);
  switch (typeof v) {
    case 'number':
      if (!Number.isFinite(v)) {
        throw validationError(field, `must be a finite number, got ${v}`, endpoint);
      }
      return v;
    case 'bigint':
      return v.toString();
    case 'object':
      if (v instanceof Date) {
        if (Number.isNaN(v.getTime())) {
          throw validationError(field, 'is an invalid Date', endpoint);
        }
        return v.toISOString();
      }
      return v;
    default:
      return v;
  }
}

/**
 * The JSON text of a call's arguments. `input` is the options object, or the positional value
 * for operations that have one (`client.accounts.get(1055)`).
 */
function encode(op, input) {
  if (input === undefined || input === null) return '{}';
  if (typeof input !== 'object' || Array.isArray(input) || input instanceof Date) {
    if (op.positional !== null && typeof input !== 'object' && typeof input !== 'function') {
      const arg = op.byKey.get(normalise(op.positional));
      return JSON.stringify({ [op.positional]: value(op.positional, arg, input, op.endpoint) });
    }
    const what =
      op.positional === null ? 'an options object' : `an options object or the ${op.positional}`;
    throw validationError('arguments', `must be ${what}, got ${describe(input)}`, op.endpoint);
  }
  const out = {};
  for (const key of Object.keys(input)) {
    const v = input[key];
    if (v === undefined) continue;
    const arg = op.byKey.get(normalise(key));
    out[key] = value(arg === undefined ? key : arg.name, arg, v, op.endpoint);
  }
  return JSON.stringify(out);
}

/** Per-call options -> `[timeoutMs, maxRetries]` for the native call. */
function callOptions(options, endpoint) {
  if (options === undefined || options === null) return [undefined, undefined];
  if (typeof options !== 'object') {
    throw validationError('options', `must be an object, got ${describe(options)}`, endpoint);
  }
  let timeoutMs;
  let maxRetries;
  for (const key of Object.keys(options)) {
    const v = options[key];
    if (v === undefined || v === null) continue;
    if (key === 'timeoutMs') {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 1) {
        throw validationError(
          'timeoutMs',
          'must be a number of milliseconds, at least 1',
          endpoint,
        );
      }
      timeoutMs = v;
    } else if (key === 'maxRetries') {
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
        throw validationError('maxRetries', 'must be a non-negative integer', endpoint);
      }
      maxRetries = v;
    } else {
      throw validationError(
        'options',
        `\`${key}\` is not a call option (known: timeoutMs, maxRetries)`,
        endpoint,
      );
    }
  }
  return [timeoutMs, maxRetries];
}

module.exports = { prepare, encode, callOptions, money, describe };
