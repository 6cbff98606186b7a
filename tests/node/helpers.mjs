// Shared helpers of the Node suite.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VECTORS = join(ROOT, 'tests', 'vectors');

/** A JSON number kept as its text (`58.983359712153660000` stays exactly that). */
export class Num {
  constructor(text) {
    this.text = text;
  }
  toString() {
    return this.text;
  }
}

/**
 * JSON.parse that keeps every number as a `Num` with its literal text, so digits can be
 * compared textually. Repeated keys keep the last value, as the core does.
 */
export function parseLossless(text) {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const fail = (what) => {
    throw new SyntaxError(`${what} at ${i}: ${JSON.stringify(text.slice(i, i + 20))}`);
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const out = {};
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const key = string();
        ws();
        if (text[i++] !== ':') fail('expected :');
        out[key] = value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return out;
        }
        fail('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      const out = [];
      ws();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return out;
        }
        fail('expected , or ]');
      }
    }
    if (c === '"') return string();
    const m = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (m) {
      i += m[0].length;
      return new Num(m[0]);
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    return fail('unexpected token');
  };
  const string = () => {
    const start = i;
    i++;
    while (text[i] !== '"') {
      if (text[i] === '\\') i++;
      i++;
      if (i >= text.length) fail('unterminated string');
    }
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing text');
  return v;
}

/**
 * Deep equality where `expected` may hold `Num`s: a `Num` matches a `Num` with the same text,
 * or a JS number whose text is the same (ids and counts).
 */
export function assertLosslessEqual(actual, expected, path = '$') {
  if (expected instanceof Num) {
    const text =
      actual instanceof Num ? actual.text : typeof actual === 'number' ? String(actual) : null;
    assert.equal(
      text,
      expected.text,
      `${path}: expected the number ${expected.text}, got ${show(actual)}`,
    );
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array, got ${show(actual)}`);
    assert.equal(actual.length, expected.length, `${path}: length`);
    expected.forEach((e, n) => assertLosslessEqual(actual[n], e, `${path}[${n}]`));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    assert.ok(
      actual !== null && typeof actual === 'object',
      `${path}: expected an object, got ${show(actual)}`,
    );
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${path}: keys`);
    for (const k of Object.keys(expected))
      assertLosslessEqual(actual[k], expected[k], `${path}.${k}`);
    return;
  }
  assert.equal(actual, expected, `${path}`);
}

/** Every key of `expected` present in `actual` and equal (arrays: same length and order). */
export function assertSubset(actual, expected, path = '$') {
  if (expected instanceof Num) return assertLosslessEqual(actual, expected, path);
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array, got ${show(actual)}`);
    assert.equal(actual.length, expected.length, `${path}: length`);
    expected.forEach((e, n) => assertSubset(actual[n], e, `${path}[${n}]`));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    assert.ok(
      actual !== null && typeof actual === 'object',
      `${path}: expected an object, got ${show(actual)}`,
    );
    for (const k of Object.keys(expected)) {
      assert.ok(k in actual, `${path}.${k} is missing`);
      assertSubset(actual[k], expected[k], `${path}.${k}`);
    }
    return;
  }
  assert.equal(actual, expected, path);
}

function show(v) {
  return v instanceof Num ? v.text : JSON.stringify(v);
}

export const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

/** snake_case keys -> camelCase, values unchanged. */
export function camelArgs(args) {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [camel(k), v]));
}

/** Every vector file, parsed losslessly. */
export function vectors() {
  return readdirSync(VECTORS)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: f, ...parseLossless(readFileSync(join(VECTORS, f), 'utf8')) }));
}

/** `Num` values -> plain JS (text for money-like, numbers for integers); for call arguments. */
export function plain(v) {
  if (v instanceof Num) return /^-?\d+$/.test(v.text) ? Number(v.text) : v.text;
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

/** Rejects with an instance of `Class`; returns the error for more checks. */
export async function rejectsWith(promise, Class) {
  try {
    await promise;
  } catch (e) {
    assert.ok(
      e instanceof Class,
      `expected ${Class.name}, got ${e && e.constructor && e.constructor.name}: ${e && e.message}`,
    );
    return e;
  }
  assert.fail(`expected ${Class.name}, but the call succeeded`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A node:http proxy in front of `target` that counts requests per path and responses per
 * status, so tests can see exactly what the client sent (laziness of paging, retries, logins).
 */
export async function countingProxy(target) {
  const { default: http } = await import('node:http');
  const counts = new Map();
  const statuses = new Map();
  const server = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const upstream = http.request(
      `${target}${req.url}`,
      { method: req.method, headers: req.headers },
      (up) => {
        statuses.set(up.statusCode, (statuses.get(up.statusCode) ?? 0) + 1);
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    baseUrl: `http://127.0.0.1:${server.address().port}`,
    count: (path) => counts.get(path) ?? 0,
    status: (code) => statuses.get(code) ?? 0,
    reset: () => {
      counts.clear();
      statuses.clear();
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections?.();
        server.close(r);
      }),
  };
}

/** The sandbox's login path. */
export const LOGIN = '/api/v1/public/auth/login';

/** Resolves once a connection to `baseUrl`'s port is refused; rejects if one is accepted. */
export async function refusesConnections(baseUrl) {
  const { default: net } = await import('node:net');
  const port = Number(new URL(baseUrl).port);
  await new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      reject(new Error(`${baseUrl} still accepts connections`));
    });
    socket.once('error', (e) => (e.code === 'ECONNREFUSED' ? resolve() : reject(e)));
  });
}
