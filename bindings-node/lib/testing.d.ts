// Types of `ibanera/testing`: a fresh sandbox per test for node:test, vitest and jest.

import type { Client, ClientOptions, Sandbox, SandboxOptions } from './index.js';

/** What each test gets: its own sandbox, and a client logged in as the sandbox's API user. */
export interface SandboxContext {
  readonly sandbox: Sandbox;
  readonly client: Client;
}

/** `Sandbox.start` options, and `client`: overrides for `sandbox.client()`. */
export interface SandboxTestOptions extends SandboxOptions {
  client?: ClientOptions;
}

/**
 * A test context that can run a function when the test ends: node:test's `t` (`after`) or
 * vitest's test context (`onTestFinished`).
 */
export type TestContextLike =
  { after(fn: () => unknown): unknown } | { onTestFinished(fn: () => unknown): unknown };

/** A framework's `beforeEach` and `afterEach` (vitest, jest, node:test). */
export interface FixtureHooks {
  beforeEach(fn: () => Promise<void>): unknown;
  afterEach(fn: () => Promise<void>): unknown;
}

/**
 * Starts a sandbox for the test `t` and closes it when the test ends, passed or failed.
 *
 * ```js
 * test('a deposit is credited', async (t) => {
 *   const { sandbox, client } = await useSandbox(t);
 * });
 * ```
 */
export declare function useSandbox(
  t: TestContextLike,
  options?: SandboxTestOptions,
): Promise<SandboxContext>;

/**
 * Wraps a test body: the returned function starts a sandbox, calls `fn` with it and the
 * framework's own arguments, and closes the sandbox when `fn` settles, even when it throws.
 *
 * ```js
 * test('a deposit is credited', withSandbox(async ({ sandbox, client }) => { ... }));
 * ```
 */
export declare function withSandbox<A extends unknown[], R>(
  fn: (ctx: SandboxContext, ...args: A) => R | Promise<R>,
  options?: SandboxTestOptions,
): (...args: A) => Promise<R>;

/**
 * Registers a `beforeEach` that starts a sandbox and an `afterEach` that closes it (`hooks`,
 * or the globals of jest and vitest with `globals: true`); `sandbox` and `client` are the
 * current test's, and throw outside a test. For tests that run one at a time.
 *
 * ```js
 * const ctx = sandboxFixture();
 * it('a deposit is credited', async () => { await ctx.client.accounts.get(1055); });
 * ```
 */
export declare function sandboxFixture(
  options?: SandboxTestOptions,
  hooks?: FixtureHooks,
): SandboxContext;
