'use strict';

const util = require('node:util');
const native = require('./native');
const {
  prepare,
  split,
  encode,
  callOptions,
  CALL_OPTIONS,
  describe,
  rawQuery,
  rawBody,
} = require('./args');
const { fromNative, ConfigError, validationError } = require('./errors');
const { logSink } = require('./logging');

/** The core's operation table (`ibanera::ops::OPERATIONS`), names in camelCase. */
const OPERATIONS = Object.freeze(
  JSON.parse(native.operations()).map((op) => Object.freeze(prepare(op))),
);

const FROM_ENV = Symbol('ibanera.fromEnv');

// Option name -> the type it must have. Types are checked here so that no value (a password
// pasted into the wrong option) is ever echoed by an error message.
const CONFIG = {
  username: 'string',
  password: 'string',
  totpSecret: 'string',
  accessToken: 'string',
  baseUrl: 'string',
  timeoutMs: 'milliseconds',
  attemptTimeoutMs: 'milliseconds',
  connectTimeoutMs: 'milliseconds',
  poolIdleTimeoutMs: 'milliseconds',
  maxResponseBytes: 'bytes',
  maxRetries: 'count',
  proxy: 'string',
  allowInsecureHttp: 'boolean',
};

const WANT = {
  milliseconds: 'a number of milliseconds, at least 1',
  count: 'a non-negative integer',
  bytes: 'a positive integer number of bytes',
};

/** True when `v` has the option type `type` (see CONFIG). */
function hasType(type, v) {
  switch (type) {
    case 'milliseconds':
      return typeof v === 'number' && Number.isFinite(v) && v >= 1;
    case 'count':
      return Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
    case 'bytes':
      return Number.isSafeInteger(v) && v >= 1;
    default:
      return typeof v === type;
  }
}

function nativeConfig(options, fromEnv) {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError(`client options must be an object, got ${describe(options)}`);
  }
  const config = { fromEnv };
  // Not a native setting: the records go to a JS function (see logging.js).
  const sink = logSink(options.logger);
  for (const key of Object.keys(options)) {
    const v = options[key];
    if (v === undefined || v === null || key === 'logger') continue;
    if (key === 'apiKey') {
      // The core refuses the setting with the message that says what to pass instead; the
      // key itself never leaves this function.
      config.legacyApiKey = true;
      continue;
    }
    const type = CONFIG[key];
    if (type === undefined) {
      throw new ConfigError(
        `\`${key}\` is not a client option (known: ${Object.keys(CONFIG).join(', ')}, logger)`,
      );
    }
    if (!hasType(type, v)) {
      throw new ConfigError(`\`${key}\` must be ${WANT[type] ?? `a ${type}`}, got ${describe(v)}`);
    }
    config[key] = v;
  }
  try {
    return new native.NativeClient(config, sink);
  } catch (e) {
    throw fromNative(e);
  }
}

async function invoke(client, op, input) {
  const [json, options, positional] = split(op, input);
  const opts = callOptions(options, op.endpoint);
  let text;
  try {
    text = await client.call(op.name, json, opts, positional);
  } catch (e) {
    throw fromNative(e);
  }
  if (op.returns === 'none') return undefined;
  if (op.returns === 'secret') return new SECRETS[op.model](JSON.parse(text));
  return JSON.parse(text);
}

/**
 * A result whose values are secrets (a card's number and CVC): printing it (`toString`,
 * `console.log`, `JSON.stringify`) shows its keys only; `expose()` gives the values.
 */
class Secret {
  #values;

  /** @internal */
  constructor(values) {
    this.#values = values !== null && typeof values === 'object' ? values : {};
  }

  /** The names of the fields the API sent (never their values). */
  keys() {
    return Object.keys(this.#values);
  }

  /** The values, exactly as the API sent them: secrets, keep them out of logs. */
  expose() {
    return structuredClone(this.#values);
  }

  toString() {
    return `${this.constructor.name} { keys: [${this.keys().join(', ')}] }`;
  }

  /** Every key with `***` for its value. */
  toJSON() {
    return Object.fromEntries(this.keys().map((k) => [k, '***']));
  }

  [util.inspect.custom]() {
    return this.toString();
  }
}

/** One class per secret model of the table (`SensitiveCardDetails`), named after it. */
const SECRETS = Object.freeze(
  Object.fromEntries(
    [...new Set(OPERATIONS.filter((op) => op.returns === 'secret').map((op) => op.model))].map(
      (name) => [name, { [name]: class extends Secret {} }[name]],
    ),
  ),
);

async function nextPage(pager) {
  let native;
  try {
    native = await pager.nextPage();
  } catch (e) {
    throw fromNative(e);
  }
  if (native === null) return null;
  const page = JSON.parse(native.json);
  // Not enumerable: a page stays plain data for JSON.stringify, spreads and deep equality.
  Object.defineProperty(page, 'toArrowIPC', {
    value: (options) => toArrowIPC(native, options),
    enumerable: false,
    writable: true,
    configurable: true,
  });
  return page;
}

/**
 * Arrow IPC stream bytes of a page (`{ allPages: true }`: and of every page after it, fetched
 * ahead while earlier ones convert), built by the core: camelCase columns, money
 * decimal128(38, 18), timestamps in microseconds UTC, enums dictionary-encoded.
 */
async function toArrowIPC(native, options) {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError('toArrowIPC(options): options must be an object like { allPages: true }');
  }
  const allPages = options?.allPages;
  if (allPages !== undefined && typeof allPages !== 'boolean') {
    throw new TypeError('toArrowIPC(options): allPages must be a boolean');
  }
  try {
    return await native.toArrowIpc({ allPages });
  } catch (e) {
    throw fromNative(e);
  }
}

function startPager(client, op, input) {
  const [json, options, positional] = split(op, input);
  const opts = callOptions(options, op.endpoint);
  try {
    return client.pager(op.name, json, opts, positional);
  } catch (e) {
    throw fromNative(e);
  }
}

const noop = () => {};

/**
 * What a list call returns: a Promise of the first page, and an async iterable over every item
 * of every page, fetched one page at a time as the loop asks for more.
 */
class PagePromise extends Promise {
  #pager = null;
  #first = null;
  #fresh = true;
  #start;

  static get [Symbol.species]() {
    return Promise;
  }

  /** @internal */
  static create(client, op, input) {
    let pager = null;
    let first;
    try {
      pager = startPager(client, op, input);
      first = nextPage(pager);
    } catch (e) {
      first = Promise.reject(e);
    }
    const p = new PagePromise((resolve, reject) => first.then(resolve, reject));
    p.#pager = pager;
    p.#first = first;
    p.#start = () => startPager(client, op, input);
    // A caller that only iterates never awaits the promise itself: that is not an unhandled
    // rejection (the loop sees the error).
    Promise.prototype.then.call(p, undefined, noop);
    first.catch(noop);
    return p;
  }

  /** Every page, from the first, fetched as the loop asks for it. */
  async *pages() {
    let pager;
    let page;
    if (this.#fresh) {
      this.#fresh = false;
      pager = this.#pager;
      page = await this.#first;
    } else {
      pager = this.#start();
      page = await nextPage(pager);
    }
    while (page !== null) {
      yield page;
      page = await nextPage(pager);
    }
  }

  /** Every item of every page. */
  async *[Symbol.asyncIterator]() {
    for await (const page of this.pages()) {
      yield* page.items;
    }
  }
}

/**
 * An area of the API (`client.accounts`, ...): one method per operation of the
 * core's table, each bound to its client, so a method can be passed around on its own
 * (`const get = client.accounts.get`).
 */
class Area {
  constructor(client, area) {
    for (const op of OPERATIONS) {
      if (op.area !== area) continue;
      const method =
        op.returns === 'page'
          ? (...input) => PagePromise.create(client, op, input)
          : (...input) => invoke(client, op, input);
      Object.defineProperty(method, 'name', { value: op.method });
      Object.defineProperty(this, op.method, { value: method, enumerable: false });
    }
  }
}

const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const pascal = (s) =>
  s
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

/**
 * One class per area of the core's table, named as the TypeScript declarations name it
 * (`Accounts`, `InformationRequests`), with the client property it is found under
 * (`client.accounts`, `client.informationRequests`).
 */
const AREAS = Object.freeze(
  [...new Set(OPERATIONS.map((op) => op.area))].map((area) => {
    const name = pascal(area);
    const Class = {
      [name]: class extends Area {
        constructor(client) {
          super(client, area);
        }
      },
    }[name];
    return Object.freeze({ property: camel(area), name, Class });
  }),
);

/**
 * The core's recovery helpers (`ibanera::recovery::HELPERS`) by method name, prepared like
 * operations: their argument names and types come from the core, which also checks them.
 */
const RECOVERY = Object.freeze(
  Object.fromEntries(
    JSON.parse(native.recoveryHelpers()).map((h) => [
      h.method,
      Object.freeze(prepare({ ...h, endpoint: null, positional: null })),
    ]),
  ),
);

async function recover(client, method, args, options) {
  const helper = RECOVERY[method];
  const json = encode(helper, args);
  const opts = callOptions(options, null);
  let text;
  try {
    text = await client[method](json, opts);
  } catch (e) {
    throw fromNative(e);
  }
  return JSON.parse(text);
}

/**
 * `client.recovery`: after an `OutcomeUnknownError`, look for the withdrawal or the exchange
 * that may have executed before sending it again. The API has no idempotency key: these list
 * what the customer has and match it against what was sent (docs/failures.md).
 */
class Recovery {
  #native;

  /** @internal */
  constructor(nativeClient) {
    this.#native = nativeClient;
  }

  /**
   * The account's withdrawals of `amount` since `startedAt` (a Date or ISO 8601 text with a
   * time, recorded before sending; two minutes are allowed for clocks that differ): the
   * withdrawal if it executed, newest first. An empty array: sending it again is safe.
   */
  findWithdrawals(args, options) {
    return recover(this.#native, 'findWithdrawals', args, options);
  }

  /**
   * The customer's exchanges of `assetPair` and `exchangeType` newer than `afterId` whose
   * requested `price` or `amount` (exactly one of them) is the one sent, newest first.
   */
  findExchanges(args, options) {
    return recover(this.#native, 'findExchanges', args, options);
  }

  /**
   * The id of the customer's newest exchange, or null: note it before sending an exchange, to
   * pass as `afterId` to `findExchanges` if the answer is lost.
   */
  latestExchangeId(args, options) {
    return recover(this.#native, 'latestExchangeId', args, options);
  }
}

/** `{ expiresAt, expiresInMs, loginId }` from the native JSON, or null. */
function session(text) {
  return text === null || text === undefined ? null : Object.freeze(JSON.parse(text));
}

/** A credential argument: a non-empty string (its value never appears in the message). */
function credential(name, v) {
  if (typeof v !== 'string' || v.trim() === '') {
    throw new ConfigError(`\`${name}\` must be a non-empty string, got ${describe(v)}`);
  }
  return v;
}

/**
 * The Ibanera API client. One client holds one connection pool and one login session: create
 * it once and share it between requests. Every method returns a Promise; all I/O runs on the
 * core's Tokio runtime.
 */
class Client {
  #native;

  constructor(options) {
    const fromEnv = options !== null && typeof options === 'object' && options[FROM_ENV] === true;
    this.#native = nativeConfig(options, fromEnv);
    for (const { property, Class } of AREAS) {
      Object.defineProperty(this, property, { value: new Class(this.#native), enumerable: true });
    }
    Object.defineProperty(this, 'recovery', {
      value: new Recovery(this.#native),
      enumerable: true,
    });
  }

  /**
   * A client from `IBANERA_USERNAME`, `IBANERA_PASSWORD`, `IBANERA_TOTP_SECRET` (or
   * `IBANERA_ACCESS_TOKEN`) and `IBANERA_BASE_URL`; `overrides` win over the environment.
   */
  static fromEnv(overrides) {
    if (overrides !== undefined && overrides !== null && typeof overrides !== 'object') {
      throw new ConfigError(`client options must be an object, got ${describe(overrides)}`);
    }
    return new Client({ ...(overrides ?? {}), [FROM_ENV]: true });
  }

  /**
   * Logs in now (calls log in by themselves when needed, and renew the session before it
   * expires). Resolves to `{ expiresAt, expiresInMs, loginId }`, never the token.
   */
  async login() {
    try {
      return session(await this.#native.login());
    } catch (e) {
      throw fromNative(e);
    }
  }

  /** The current session (`{ expiresAt, expiresInMs, loginId }`), or null; sends nothing. */
  get session() {
    return session(this.#native.session);
  }

  /**
   * New credentials: the next call logs in with them (this also clears the memory of a refused
   * login, after which calls fail without sending anything).
   */
  setCredentials(credentials) {
    if (credentials === null || typeof credentials !== 'object') {
      throw new ConfigError(
        `setCredentials takes { username, password }, got ${describe(credentials)}`,
      );
    }
    const { username, password, ...rest } = credentials;
    const extra = Object.keys(rest);
    if (extra.length > 0) {
      throw new ConfigError(
        `\`${extra[0]}\` is not a credential of setCredentials (known: username, password)`,
      );
    }
    this.#native.setCredentials(credential('username', username), credential('password', password));
  }

  /** A bearer token obtained elsewhere (it cannot be renewed by the client). */
  setAccessToken(token) {
    credential('accessToken', token);
    // The core checks that a header can carry it; the value is never shown.
    try {
      this.#native.setAccessToken(token);
    } catch (e) {
      throw fromNative(e);
    }
  }

  /**
   * Calls any endpoint of the API: for the modules the typed methods do not cover, with the
   * same authentication, fresh TOTP code per attempt, retry rules (a POST is never re-sent once
   * it may have arrived) and error classes. `query` is an object or `[key, value]` pairs;
   * `body` is JSON data whose decimal objects and bigints go out as numbers with exactly their
   * digits. Resolves to `{ id, details, pageNumber, pageSize, numberOfPages }` (plus `warnings`
   * when a successful response listed error items); in `details` every number a JS number
   * cannot hold exactly (money) is a string.
   */
  async request(method, path, options) {
    if (
      options !== undefined &&
      options !== null &&
      (typeof options !== 'object' || Array.isArray(options))
    ) {
      throw validationError('options', `must be an object, got ${describe(options)}`);
    }
    const { query, body, ...callOpts } = options ?? {};
    for (const key of Object.keys(callOpts)) {
      if (!CALL_OPTIONS.includes(key)) {
        throw validationError(
          'options',
          `\`${key}\` is not a request option (known: query, body, ${CALL_OPTIONS.join(', ')})`,
        );
      }
    }
    if (typeof method !== 'string') {
      throw validationError('method', `must be a string such as 'GET', got ${describe(method)}`);
    }
    if (typeof path !== 'string') {
      throw validationError('path', `must be a string, got ${describe(path)}`);
    }
    const queryJson = rawQuery(query);
    const bodyJson = rawBody(body);
    const opts = callOptions(callOpts, null);
    let text;
    try {
      text = await this.#native.request(method, path, queryJson, bodyJson, opts);
    } catch (e) {
      throw fromNative(e);
    }
    return JSON.parse(text);
  }

  /** The base URL requests go to. */
  get baseUrl() {
    return this.#native.baseUrl;
  }

  /** `ibanera-rust/<version> ibanera-node/<version>`. */
  get userAgent() {
    return this.#native.userAgent;
  }

  /** `{ baseUrl, userAgent }`: never a credential. */
  toJSON() {
    return { baseUrl: this.baseUrl, userAgent: this.userAgent };
  }

  toString() {
    return `Client ${JSON.stringify(this.toJSON())}`;
  }

  [util.inspect.custom](depth, options, inspect) {
    return `Client ${(inspect ?? util.inspect)(this.toJSON(), options)}`;
  }
}

module.exports = {
  Client,
  PagePromise,
  Recovery,
  OPERATIONS,
  AREAS,
  SECRETS,
  ...Object.fromEntries(AREAS.map(({ name, Class }) => [name, Class])),
};
