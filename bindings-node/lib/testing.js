'use strict';

// `ibanera/testing`: a fresh sandbox per test for the user's own test suites, in one line. The
// client's HTTP goes through the Rust core, so JS mocking libraries (nock, msw) never see it:
// a private sandbox per test is how code that calls Ibanera is tested. Nothing here imports a
// test framework: node:test, vitest and jest are driven through what they pass in (a test
// context, or their `beforeEach` / `afterEach`).

const { Sandbox } = require('./sandbox');
const { describe } = require('./args');
const { ConfigError } = require('./errors');

/** Splits the helpers' options into Sandbox.start's and the client's overrides. */
function split(options) {
  if (options === undefined || options === null) return [undefined, undefined];
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError(`sandbox test options must be an object, got ${describe(options)}`);
  }
  const { client, ...sandbox } = options;
  return [sandbox, client];
}

/** Starts a sandbox and its client; a client that cannot be built closes the sandbox again. */
async function open(options) {
  const [sandboxOptions, clientOptions] = split(options);
  const sandbox = await Sandbox.start(sandboxOptions);
  try {
    return { sandbox, client: sandbox.client(clientOptions) };
  } catch (e) {
    await sandbox.close();
    throw e;
  }
}

/**
 * Starts a sandbox for the test `t` and closes it when the test ends, passed or failed
 * (`t.after` of node:test, `onTestFinished` of vitest's test context). Resolves to
 * `{ sandbox, client }`, the client logged in as the sandbox's API user.
 *
 *   test('deposits are credited', async (t) => {
 *     const { sandbox, client } = await useSandbox(t);
 *   });
 */
async function useSandbox(t, options) {
  const register =
    t !== null && typeof t === 'object' && typeof t.after === 'function'
      ? (fn) => t.after(fn)
      : t !== null && typeof t === 'object' && typeof t.onTestFinished === 'function'
        ? (fn) => t.onTestFinished(fn)
        : null;
  if (register === null) {
    throw new TypeError(
      'useSandbox(t) needs the test context: node:test passes `t` (with `t.after`), vitest ' +
        'passes one with `onTestFinished`; elsewhere use withSandbox(fn) or sandboxFixture()',
    );
  }
  const ctx = await open(options);
  // Registered before anything else can fail, so the sandbox is closed whatever the test does.
  register(() => ctx.sandbox.close());
  return ctx;
}

/**
 * Wraps a test body: the returned function starts a sandbox, calls
 * `fn({ sandbox, client }, ...args)` with whatever the framework passed (node:test's `t`,
 * vitest's context), and closes the sandbox when `fn` settles, even when it throws.
 *
 *   test('deposits are credited', withSandbox(async ({ sandbox, client }) => { ... }));
 */
function withSandbox(fn, options) {
  if (typeof fn !== 'function') {
    throw new TypeError(`withSandbox(fn) takes the test body, got ${describe(fn)}`);
  }
  split(options); // bad options fail where the test is declared, not in every test
  // A rest parameter keeps the wrapper's `length` 0: jest and node:test read a declared
  // parameter as a `done` callback.
  return async function sandboxTest(...args) {
    const ctx = await open(options);
    try {
      return await fn(ctx, ...args);
    } finally {
      await ctx.sandbox.close();
    }
  };
}

/**
 * A fresh sandbox for every test of the file (or `describe` block) it is called in, for
 * vitest, jest or node:test: registers a `beforeEach` that starts one and an `afterEach` that
 * closes it, and returns an object whose `sandbox` and `client` are the current test's.
 * `hooks` are the framework's `{ beforeEach, afterEach }` (default: the globals jest and
 * vitest with `globals: true` define). Tests run one at a time with it: for concurrent tests
 * use `useSandbox(t)` or `withSandbox(fn)`.
 *
 *   const ctx = sandboxFixture();
 *   it('deposits are credited', async () => { await ctx.client.accounts.get(1055); });
 */
function sandboxFixture(options, hooks) {
  split(options);
  const h = hooks ?? globalThis;
  const beforeEach = h?.beforeEach;
  const afterEach = h?.afterEach;
  if (typeof beforeEach !== 'function' || typeof afterEach !== 'function') {
    throw new TypeError(
      hooks === undefined || hooks === null
        ? 'sandboxFixture() found no global beforeEach / afterEach: pass them, ' +
            "sandboxFixture(options, { beforeEach, afterEach }) (from 'vitest' or 'node:test')"
        : 'sandboxFixture(options, hooks): hooks must have the functions beforeEach and afterEach',
    );
  }
  let current = null;
  const now = (name) => {
    if (current === null) {
      throw new Error(
        `ctx.${name} is only available inside a test: sandboxFixture() starts a sandbox ` +
          'before each test and closes it after',
      );
    }
    return current[name];
  };
  beforeEach(async () => {
    // A previous test's sandbox left open (its afterEach did not run) is closed first.
    const previous = current;
    current = null;
    if (previous !== null) await previous.sandbox.close();
    current = await open(options);
  });
  afterEach(async () => {
    const ctx = current;
    current = null;
    if (ctx !== null) await ctx.sandbox.close();
  });
  return Object.freeze({
    get sandbox() {
      return now('sandbox');
    },
    get client() {
      return now('client');
    },
  });
}

module.exports = { useSandbox, withSandbox, sandboxFixture };
