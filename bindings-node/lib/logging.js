'use strict';

// A client's log records, delivered to JS: `new Client({ logger })` or, without a logger,
// `DEBUG=ibanera` / `NODE_DEBUG=ibanera` to print them on stderr. The records are the core's
// (what was sent where, its status, the attempt, the time it took, why it is retried, logins
// and renewals); they never hold a secret. The native side queues each one to the event loop
// through a weak thread-safe function: a call never waits for a logger, and a client with a
// logger never keeps the process alive by itself.

const util = require('node:util');
const { ConfigError } = require('./errors');
const { describe } = require('./args');

const REQUIRED = ['debug', 'info', 'warn'];

/** The core's level -> the logger method (`trace` has no method of its own everywhere). */
const METHOD = { trace: 'debug', debug: 'debug', info: 'info', warn: 'warn', error: 'error' };

/** Throws a ConfigError unless `logger` has the methods a client calls. */
function checkLogger(logger) {
  if (logger === null || (typeof logger !== 'object' && typeof logger !== 'function')) {
    throw new ConfigError(
      `\`logger\` must be an object with debug, info and warn methods (console, pino, ...), got ${describe(logger)}`,
    );
  }
  for (const name of REQUIRED) {
    if (typeof logger[name] !== 'function') {
      throw new ConfigError(`\`logger\` has no \`${name}\` method (it needs debug, info and warn)`);
    }
  }
  if (logger.error !== undefined && typeof logger.error !== 'function') {
    throw new ConfigError('`logger.error` must be a method when present');
  }
}

/** `{ event, method, path, status, attempt, elapsedMs, reason, waitMs }` of a record. */
function fields(r) {
  return {
    event: r.event,
    method: r.method,
    path: r.path,
    status: r.status,
    attempt: r.attempt,
    elapsedMs: r.elapsedMs,
    reason: r.reason,
    waitMs: r.waitMs,
  };
}

/**
 * The function the native side calls with each record's JSON text: `logger[level](message,
 * fields)`. Whatever the logger does (throw, return a rejected promise) stays here: a log
 * record must never break a call or the process. The first failure is reported once, as a
 * process warning.
 */
function sinkFor(logger) {
  let warned = false;
  const failed = (e) => {
    if (warned) return;
    warned = true;
    process.emitWarning(
      `the logger given to an ibanera Client threw (${e instanceof Error ? e.message : String(e)}); this and later failures are ignored`,
      { code: 'IBANERA_LOGGER_FAILED' },
    );
  };
  return (text) => {
    try {
      const r = JSON.parse(text);
      let name = METHOD[r.level] ?? 'info';
      if (typeof logger[name] !== 'function') name = 'warn';
      const out = logger[name](r.message, fields(r));
      if (out !== null && typeof out === 'object' && typeof out.then === 'function') {
        out.then(undefined, failed);
      }
    } catch (e) {
      failed(e);
    }
  };
}

/** `*` in a name list matches any run of characters. */
function glob(pattern) {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/**
 * True when `DEBUG` enables `ibanera` as the `debug` package reads it: names separated by
 * commas or spaces, `*` wildcards, `-name` excluded. `ibanera:*` counts too.
 */
function debugEnabled(value) {
  if (typeof value !== 'string' || value.trim() === '') return false;
  let on = false;
  for (const raw of value.split(/[\s,]+/)) {
    if (raw === '') continue;
    const negated = raw.startsWith('-');
    const name = negated ? raw.slice(1) : raw;
    const hit =
      glob(name).test('ibanera') ||
      (name.endsWith(':*') && glob(name.slice(0, -2)).test('ibanera'));
    if (!hit) continue;
    if (negated) return false;
    on = true;
  }
  return on;
}

/** True when `NODE_DEBUG` names `ibanera` as `util.debuglog` reads it (commas, any case, `*`). */
function nodeDebugEnabled(value) {
  if (typeof value !== 'string') return false;
  return value
    .split(',')
    .map((s) => s.trim())
    .some((name) => name !== '' && glob(name).test('ibanera'));
}

/** Prints records as `util.debuglog` does: `IBANERA <pid>: <message>` on stderr. */
const stderrLogger = (() => {
  const print = (message) => {
    process.stderr.write(`IBANERA ${process.pid}: ${util.format('%s', message)}\n`);
  };
  return Object.freeze({ debug: print, info: print, warn: print, error: print });
})();

/**
 * The sink of a new client: its `logger` option, else the stderr printer when `DEBUG` or
 * `NODE_DEBUG` asks for `ibanera` (read when the client is created), else none (no record
 * crosses to JS at all).
 */
function logSink(logger, env = process.env) {
  if (logger !== undefined && logger !== null) {
    checkLogger(logger);
    return sinkFor(logger);
  }
  if (debugEnabled(env.DEBUG) || nodeDebugEnabled(env.NODE_DEBUG)) return sinkFor(stderrLogger);
  return undefined;
}

module.exports = { logSink, debugEnabled, nodeDebugEnabled };
