'use strict';

// JS values -> the JSON object the core's `ops::parse` reads. Only what JSON cannot say is
// decided here: money never travels as a binary float, bigints and decimal objects become
// their exact digits, dates their ISO text. Names, requiredness and every other rule are the
// core's (it reports unknown keys, missing arguments and bad values, naming the field).

const { types } = require('node:util');
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
 * Values that no JSON can carry as the caller meant them. `JSON.stringify` would drop a
 * function or a Symbol without a word (an optional argument then silently goes missing: a sell
 * with `payeesId: payee.getId` went out without a payee), and a Proxy may answer differently
 * each time it is read. Refused for every argument, naming it.
 */
function refuseUnencodable(field, v, endpoint) {
  switch (typeof v) {
    case 'function':
      throw validationError(
        field,
        `is a function${v.name ? ` (\`${v.name}\`)` : ''}, not a value: was a method passed without calling it?`,
        endpoint,
      );
    case 'symbol':
      throw validationError(field, 'is a Symbol, which has no JSON form', endpoint);
    case 'object':
      if (v !== null && types.isProxy(v)) {
        throw validationError(field, 'is a Proxy: pass the plain value it stands for', endpoint);
      }
      break;
    default:
      break;
  }
}

const BINARY = 'bytes (a Buffer, typed array or ArrayBuffer) are not a decimal';

/**
 * Money as exact digits: a decimal string as is, a bigint's digits, a safe integer number, or
 * an object whose `toString()` is a decimal (decimal.js, big.js). A number with a fraction, an
 * unsafe integer, NaN and Infinity are refused: they are binary floats. So are bytes (a
 * Buffer's `toString()` would read its bytes as text), Dates, arrays and booleans.
 */
function money(field, value, endpoint) {
  refuseUnencodable(field, value, endpoint);
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
      if (ArrayBuffer.isView(value) || types.isAnyArrayBuffer(value)) {
        throw validationError(field, `must be a decimal: ${BINARY}`, endpoint);
      }
      if (Array.isArray(value) || value instanceof Date || value instanceof Boolean) break;
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

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/**
 * An integer argument (an id, a count, a quote id) as JSON text. A JS number must be finite;
 * whether it is an integer in range is the core's rule. A bigint goes out as its digits, so it
 * must fit the 64 bits the core reads (beyond, its digits would be refused or, as a string,
 * mean something else).
 */
function integerText(field, v, endpoint) {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) {
      throw validationError(field, `must be a finite integer, got ${v}`, endpoint);
    }
    if (Number.isInteger(v) && !Number.isSafeInteger(v)) {
      throw validationError(
        field,
        `is the JS number ${v}, beyond Number.MAX_SAFE_INTEGER, so its digits may not be the ones written; pass it as a bigint`,
        endpoint,
      );
    }
    return String(v);
  }
  if (typeof v === 'bigint') {
    if (v < I64_MIN || v > I64_MAX) {
      throw validationError(
        field,
        'is a bigint beyond the 64-bit integer range (-2^63 to 2^63-1)',
        endpoint,
      );
    }
    return v.toString();
  }
  return null;
}

/**
 * One argument as JSON text, by the type the operation table gives it. Values of the right
 * JS type go to the core, whose rules decide (and name the argument); values no JSON carries
 * exactly are refused here, and so is any object other than what the type allows (a Date only
 * for dates, a decimal object only for money), so nothing is ever dropped or converted behind
 * the caller's back.
 */
function valueText(field, arg, v, endpoint) {
  refuseUnencodable(field, v, endpoint);
  const type = arg === undefined ? null : arg.type;
  if (type === null) {
    // Not an argument of this operation: sent as null, the core names it ("not an argument").
    return 'null';
  }
  if (v === null) return 'null';
  if (type === 'money') {
    const m = money(field, v, endpoint);
    return typeof m === 'number' ? String(m) : JSON.stringify(m);
  }
  if (type === 'id' || type === 'count' || type === 'fx_rate_id') {
    const text = integerText(field, v, endpoint);
    if (text !== null) return text;
  }
  if (type === 'date' && v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw validationError(field, 'is an invalid Date', endpoint);
    return JSON.stringify(v.toISOString());
  }
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) {
        throw validationError(field, `must be a finite number, got ${v}`, endpoint);
      }
      return String(v);
    case 'bigint':
      return v.toString();
    default: {
      const want =
        type === 'date'
          ? 'a date string or a Date'
          : type === 'text' || type === 'enum'
            ? 'a string'
            : 'an integer';
      throw validationError(field, `must be ${want}, got ${describe(v)}`, endpoint);
    }
  }
}

/**
 * The JSON text of a call's arguments. `input` is the options object (its own enumerable
 * keys; `undefined` values are absent), or the positional value for operations that have one
 * (`client.accounts.get(1055)`).
 */
function encode(op, input) {
  if (input === undefined || input === null) return '{}';
  if (typeof input === 'object' && types.isProxy(input)) {
    throw validationError('arguments', 'is a Proxy: pass a plain object of arguments', op.endpoint);
  }
  if (typeof input !== 'object' || Array.isArray(input) || input instanceof Date) {
    if (op.positional !== null && typeof input !== 'object' && typeof input !== 'function') {
      const arg = op.byKey.get(normalise(op.positional));
      const text = valueText(op.positional, arg, input, op.endpoint);
      return `{${JSON.stringify(op.positional)}:${text}}`;
    }
    const what =
      op.positional === null ? 'an options object' : `an options object or the ${op.positional}`;
    throw validationError('arguments', `must be ${what}, got ${describe(input)}`, op.endpoint);
  }
  const parts = [];
  for (const key of Object.keys(input)) {
    if (key === '__proto__') {
      // An own `__proto__` key (from JSON.parse): not an argument, and a classic injection.
      throw validationError(
        'arguments',
        'has an own `__proto__` key, which is not an argument',
        op.endpoint,
      );
    }
    const v = input[key];
    if (v === undefined) continue;
    const arg = op.byKey.get(normalise(key));
    parts.push(
      `${JSON.stringify(key)}:${valueText(arg === undefined ? key : arg.name, arg, v, op.endpoint)}`,
    );
  }
  return `{${parts.join(',')}}`;
}

/** The per-call options and the rule of each. */
const CALL_RULES = {
  timeoutMs: ['must be a number of milliseconds, at least 1', (v) => isMillis(v)],
  attemptTimeoutMs: ['must be a number of milliseconds, at least 1', (v) => isMillis(v)],
  maxRetries: [
    'must be a non-negative integer',
    (v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff,
  ],
  maxResponseBytes: [
    'must be a positive integer number of bytes',
    (v) => Number.isSafeInteger(v) && v >= 1,
  ],
};
const CALL_OPTIONS = Object.freeze(Object.keys(CALL_RULES));

function isMillis(v) {
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 && v <= 86_400_000;
}

/** Per-call options -> the native `CallOptions` object (`undefined` when there are none). */
function callOptions(options, endpoint) {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object') {
    throw validationError('options', `must be an object, got ${describe(options)}`, endpoint);
  }
  let out;
  for (const key of Object.keys(options)) {
    const v = options[key];
    if (v === undefined || v === null) continue;
    const rule = CALL_RULES[key];
    if (rule === undefined) {
      throw validationError(
        'options',
        `\`${key}\` is not a call option (known: ${CALL_OPTIONS.join(', ')})`,
        endpoint,
      );
    }
    if (!rule[1](v)) throw validationError(key, rule[0], endpoint);
    (out ??= {})[key] = v;
  }
  return out;
}

// A JSON number exactly as JSON writes it (what a decimal object's text must be to go out as one).
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const MAX_DEPTH = 64;

/**
 * One value of `client.request`'s query or body as exact JSON text: strings, booleans, null,
 * safe integers, bigints and decimal objects (decimal.js, big.js: a JSON number with exactly
 * their digits), Dates (ISO 8601), arrays and plain objects. A JS number with a fraction is
 * refused, as for money: it is a binary float.
 */
function rawJson(field, v, depth = 0) {
  if (depth > MAX_DEPTH) throw validationError(field, `is nested more than ${MAX_DEPTH} deep`);
  if (v === null) return 'null';
  refuseUnencodable(field, v, null);
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      return String(moneyNumber(field, v, null));
    case 'object': {
      if (v instanceof Date) {
        if (Number.isNaN(v.getTime())) throw validationError(field, 'is an invalid Date');
        return JSON.stringify(v.toISOString());
      }
      if (ArrayBuffer.isView(v) || types.isAnyArrayBuffer(v)) {
        throw validationError(field, `cannot be sent as JSON: ${BINARY} or a JSON value`);
      }
      if (v instanceof Number) return String(moneyNumber(field, v.valueOf(), null));
      if (v instanceof String) return JSON.stringify(String(v));
      if (v instanceof Boolean) return v.valueOf() ? 'true' : 'false';
      if (Array.isArray(v)) {
        const items = v.map((x, i) =>
          rawJson(`${field}[${i}]`, x === undefined ? null : x, depth + 1),
        );
        return `[${items.join(',')}]`;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto === Object.prototype || proto === null) {
        const parts = [];
        for (const key of Object.keys(v)) {
          if (key === '__proto__') {
            throw validationError(
              field,
              'has an own `__proto__` key, refused (a classic injection)',
            );
          }
          if (v[key] === undefined) continue;
          parts.push(`${JSON.stringify(key)}:${rawJson(`${field}.${key}`, v[key], depth + 1)}`);
        }
        return `{${parts.join(',')}}`;
      }
      const text = String(v).trim();
      if (JSON_NUMBER.test(text)) return text;
      break;
    }
    default:
      break;
  }
  throw validationError(field, `cannot be sent as JSON: ${describe(v)}`);
}

/** `client.request`'s query (an object or `[key, value]` pairs) as the JSON text of string pairs. */
function rawQuery(query) {
  if (query === undefined || query === null) return '[]';
  let entries;
  if (Array.isArray(query)) entries = query;
  else if (typeof query === 'object') entries = Object.entries(query);
  else
    throw validationError(
      'query',
      `must be an object or [key, value] pairs, got ${describe(query)}`,
    );
  const pairs = [];
  for (const entry of entries) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
      throw validationError('query', 'must hold [key, value] pairs with string keys');
    }
    const [key, v] = entry;
    if (v === undefined || v === null) continue;
    const field = `query.${key}`;
    if (
      typeof v === 'object' &&
      !(v instanceof Date) &&
      Object.getPrototypeOf(v) === Object.prototype
    ) {
      throw validationError(field, 'must be a single value');
    }
    if (Array.isArray(v)) throw validationError(field, 'must be a single value');
    const text = rawJson(field, v);
    pairs.push([key, typeof v === 'string' || v instanceof Date ? JSON.parse(text) : text]);
  }
  return JSON.stringify(pairs);
}

/** `client.request`'s body as exact JSON text (`undefined` when there is none). */
function rawBody(body) {
  return body === undefined || body === null ? undefined : rawJson('body', body);
}

module.exports = {
  prepare,
  encode,
  callOptions,
  CALL_OPTIONS,
  money,
  describe,
  rawQuery,
  rawBody,
};
