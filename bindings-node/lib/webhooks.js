'use strict';

// Callbacks (webhooks): check that a callback comes from Ibanera, then read it as a typed event.
// One implementation in the core (`ibanera::webhooks`): the signature is a SHA-256 digest of the
// raw body followed by the hash secret, checked on the bytes exactly as received and compared in
// constant time; `webhook-signature` may be base64 or hex, `QuickBuy-Signature` base64.

const native = require('./native');
const { describe } = require('./args');
const { fromNative } = require('./errors');

const [SIGNATURE_HEADER, QUICKBUY_SIGNATURE_HEADER] = native.webhookSignatureHeaders();

/** The callback types this package knows, as the core lists them. */
const EVENT_TYPES = Object.freeze(native.webhookEventTypes());
const KNOWN = new Set(EVENT_TYPES);

/** The raw body as bytes: a Buffer or Uint8Array as is, a string as UTF-8. */
function bytes(payload) {
  if (payload instanceof Uint8Array) return payload;
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  if (ArrayBuffer.isView(payload)) {
    return new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
  }
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload);
  const hint =
    payload !== null && typeof payload === 'object'
      ? ': was the body already parsed as JSON? Verify the raw bytes as received (for example ' +
        "express.raw({ type: 'application/json' }))"
      : '';
  throw new TypeError(
    `payload must be the raw body, a Buffer or a string; got ${describe(payload)}${hint}`,
  );
}

/**
 * `[name, value, ...]` pairs from the request's headers: `req.headers` (values may be arrays),
 * `req.headersDistinct`, a fetch `Headers` or a `Map`, `[name, value]` pairs, or
 * `req.rawHeaders` (a flat list). Names are matched in any case by the core; when a header
 * repeats, the first value counts.
 */
function headerPairs(headers) {
  const flat = [];
  const add = (name, value) => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      for (const v of value) add(name, v);
      return;
    }
    if (typeof name !== 'string' || typeof value !== 'string') {
      throw new TypeError(`header names and values must be strings, got ${describe(value)}`);
    }
    flat.push(name, value);
  };
  if (Array.isArray(headers)) {
    if (headers.every((h) => typeof h === 'string')) {
      if (headers.length % 2 !== 0) throw new TypeError('a flat header list has name, value pairs');
      for (let i = 0; i < headers.length; i += 2) add(headers[i], headers[i + 1]);
    } else {
      for (const pair of headers) {
        if (!Array.isArray(pair) || pair.length !== 2) {
          throw new TypeError('headers as a list are [name, value] pairs');
        }
        add(pair[0], pair[1]);
      }
    }
  } else if (
    typeof headers.entries === 'function' &&
    typeof headers[Symbol.iterator] === 'function'
  ) {
    for (const [name, value] of headers.entries()) add(name, value);
  } else {
    for (const name of Object.keys(headers)) add(name, headers[name]);
  }
  return flat;
}

function construct(fn, payload, signature, secret) {
  const body = bytes(payload);
  if (typeof secret !== 'string') {
    throw new TypeError(`secret must be the hash secret, a string; got ${describe(secret)}`);
  }
  let value = null;
  let headers = null;
  if (typeof signature === 'string') {
    value = signature;
  } else if (signature !== null && typeof signature === 'object') {
    headers = headerPairs(signature);
  } else {
    throw new TypeError(
      `signature must be the signature header's value or the request's headers, got ${describe(signature)}`,
    );
  }
  let text;
  try {
    text = fn(body, value, headers, secret);
  } catch (e) {
    throw fromNative(e);
  }
  return JSON.parse(text);
}

/**
 * Verifies a Customer API callback and reads it.
 *
 * `payload` is the raw body (a Buffer or Uint8Array, or a string, encoded as UTF-8); never
 * the parsed and re-serialised JSON. `signature` is the `webhook-signature` header's value, or
 * the request's headers to find it in (`req.headers`). `secret` is the hash secret.
 *
 * Returns `{ id, type, data }`: plain objects, camelCase, money as exact strings, timestamps
 * ISO 8601 in UTC. An unknown type is not an error: `data` is then its payload as received.
 * Throws `SignatureVerificationError` (answer 401, do not act on the body), `DecodeError` (not a
 * callback) or `ConfigError` (an empty secret). Answer 200 quickly and deduplicate on `id`:
 * a callback that is not acknowledged is sent again with the same `id`.
 */
function constructEvent(payload, signature, secret) {
  return construct(native.constructEvent, payload, signature, secret);
}

/**
 * Verifies a QuickBuy or QuickBuy Pro callback (`QuickBuy-Signature`, base64) and reads it:
 * `{ kind, data }` with `kind` one of `payment_captured`, `cryptocurrency_transferred`,
 * `payment_updated`, `widget`.
 */
function constructQuickBuyEvent(payload, signature, secret) {
  return construct(native.constructQuickBuyEvent, payload, signature, secret);
}

/** True when the event's type is one this package knows (its `data` is then typed). */
function isKnown(event) {
  return event !== null && typeof event === 'object' && KNOWN.has(event.type);
}

module.exports = Object.freeze({
  constructEvent,
  constructQuickBuyEvent,
  isKnown,
  EVENT_TYPES,
  SIGNATURE_HEADER,
  QUICKBUY_SIGNATURE_HEADER,
});
