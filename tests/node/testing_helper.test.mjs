// `ibanera/testing` used the way a user's own suite uses it: every test gets a fresh sandbox
// (a deposit credited in one test is gone in the next), and the sandbox is closed once the test
// ends (its port refuses connections), whether the test passed or failed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';

import { AuthenticationError, ConfigError, Sandbox } from 'ibanera';
import { sandboxFixture, useSandbox, withSandbox } from 'ibanera/testing';

import { ROOT, refusesConnections, rejectsWith } from './helpers.mjs';

const ACCOUNT = 1055;
const SEEDED = '100000.000000000000000000';
const CREDITED = '100250.500000000000000000';

/** The first test of a pair: credits a deposit in its sandbox and sees it. */
async function creditAndSee({ sandbox, client }) {
  sandbox.creditDeposit(ACCOUNT, '250.5');
  assert.equal((await client.accounts.get(ACCOUNT)).availableBalance, CREDITED);
  return sandbox.baseUrl;
}

/** The second: the first test's sandbox is closed, and this one is the seeded world. */
async function freshAfter(previous, { sandbox, client }) {
  assert.ok(previous, 'the first test of the pair ran');
  assert.notEqual(sandbox.baseUrl, previous);
  await refusesConnections(previous);
  assert.equal((await client.accounts.get(ACCOUNT)).availableBalance, SEEDED);
}

describe('useSandbox(t)', () => {
  let first;
  test('a deposit credited in one test', async (t) => {
    const ctx = await useSandbox(t);
    assert.ok(ctx.sandbox instanceof Sandbox);
    first = await creditAndSee(ctx);
  });
  test('is not seen in the next, and the first sandbox is closed', async (t) => {
    // Checked before this test starts its own, so the port cannot have been taken again.
    await refusesConnections(first);
    await freshAfter(first, await useSandbox(t));
  });
  test('options: Sandbox.start options, and `client` overrides for its client', async (t) => {
    const { sandbox, client } = await useSandbox(t, {
      username: 'my-suite-user',
      client: { password: 'not-the-password', maxRetries: 0 },
    });
    assert.equal(sandbox.username, 'my-suite-user');
    const e = await rejectsWith(client.accounts.get(ACCOUNT), AuthenticationError);
    assert.equal(e.errors[0].messageCode, 'Username_Or_Password_Incorrect');
    assert.equal((await sandbox.client().accounts.get(ACCOUNT)).availableBalance, SEEDED);
  });
});

describe('withSandbox(fn)', () => {
  let first;
  test(
    'a deposit credited in one test',
    withSandbox(async (ctx, t) => {
      assert.equal(t.name, 'a deposit credited in one test', 'the test context is passed on');
      first = await creditAndSee(ctx);
    }),
  );
  test(
    'is not seen in the next, and the first sandbox is closed',
    withSandbox((ctx) => freshAfter(first, ctx)),
  );
  test('the body throwing closes the sandbox and rejects with its error', async () => {
    let url;
    const body = withSandbox(async ({ sandbox }) => {
      url = sandbox.baseUrl;
      throw new Error('deliberate failure');
    });
    await assert.rejects(body(), /deliberate failure/);
    await refusesConnections(url);
  });
  test('resolves to what the body returns; the wrapper declares no parameter', async () => {
    const body = withSandbox(async ({ client }) => (await client.accounts.get(ACCOUNT)).asset);
    // A declared parameter would make jest and node:test pass a `done` callback.
    assert.equal(body.length, 0);
    assert.equal(await body(), 'USD');
  });
});

describe('sandboxFixture() with node:test hooks', () => {
  const ctx = sandboxFixture(undefined, { beforeEach, afterEach });
  // Outside a test there is no sandbox.
  assert.throws(() => ctx.client, /only available inside a test/);
  let first;
  test('a deposit credited in one test', async () => {
    first = await creditAndSee(ctx);
  });
  test('is not seen in the next, and the first sandbox is closed', async () => {
    await freshAfter(first, ctx);
  });
});

test('a failing test body still closes its sandbox (node:test runs a file of such tests)', () => {
  const file = join(ROOT, 'tests', 'node', 'fixtures', 'failing_sandbox_tests.mjs');
  // Without NODE_TEST_CONTEXT, which `node --test` sets for the files it runs: the child is a
  // test run of its own and reports in TAP on its stdout.
  const { NODE_TEST_CONTEXT, ...env } = process.env;
  const r = spawnSync(process.execPath, ['--test-reporter=tap', file], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 1, `the file's deliberate failures fail it:\n${r.stdout}${r.stderr}`);
  const results = [...r.stdout.matchAll(/^\s*(ok|not ok) \d+ - (.*)$/gm)].map(([, s, n]) => [n, s]);
  assert.deepEqual(Object.fromEntries(results), {
    'useSandbox: a failing body': 'not ok',
    'withSandbox: a failing body': 'not ok',
    'sandboxFixture: a failing body': 'not ok',
    sandboxFixture: 'not ok',
    'every sandbox of the failed tests refuses connections': 'ok',
  });
  assert.equal(r.stdout.match(/error: 'deliberate failure'/g)?.length, 3, r.stdout);
});

test('a vitest-style context: the sandbox closes when onTestFinished runs', async () => {
  const finished = [];
  const { sandbox, client } = await useSandbox({ onTestFinished: (fn) => finished.push(fn) });
  assert.equal((await client.accounts.get(ACCOUNT)).availableBalance, SEEDED);
  assert.equal(finished.length, 1);
  await finished[0]();
  await refusesConnections(sandbox.baseUrl);
});

test('sandboxFixture drives any beforeEach / afterEach pair', async () => {
  const hooks = { before: [], after: [] };
  const ctx = sandboxFixture(
    { username: 'fixture-user' },
    { beforeEach: (fn) => hooks.before.push(fn), afterEach: (fn) => hooks.after.push(fn) },
  );
  assert.equal(hooks.before.length, 1);
  assert.equal(hooks.after.length, 1);
  await hooks.before[0]();
  const first = ctx.sandbox;
  assert.equal(first.username, 'fixture-user');
  assert.equal(ctx.client, ctx.client, 'one client per test');
  // A beforeEach without the afterEach in between (a framework that skipped it) closes the
  // previous sandbox before starting the next.
  await hooks.before[0]();
  await refusesConnections(first.baseUrl);
  const second = ctx.sandbox;
  assert.notEqual(second.baseUrl, first.baseUrl);
  await hooks.after[0]();
  await refusesConnections(second.baseUrl);
  assert.throws(() => ctx.sandbox, /only available inside a test/);
});

test('misuse is refused where the helper is called', async () => {
  await assert.rejects(useSandbox(), TypeError);
  await assert.rejects(useSandbox({}), /needs the test context/);
  assert.throws(() => withSandbox('body'), TypeError);
  assert.throws(() => withSandbox(() => {}, 'strict'), ConfigError);
  // node:test defines no global hooks (jest and vitest with `globals: true` do).
  assert.throws(() => sandboxFixture(), /found no global beforeEach/);
  assert.throws(() => sandboxFixture(undefined, { beforeEach }), /hooks must have/);
});

test('bad options are a ConfigError naming the option, before any test body runs', async (t) => {
  await assert.rejects(useSandbox(t, { strict: true }), (e) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /`strict` is not a sandbox option/);
    return true;
  });
  // A client option refused after the sandbox started: the error, and that sandbox closed.
  const start = t.mock.method(Sandbox, 'start');
  await assert.rejects(useSandbox(t, { client: { timeoutMs: -1 } }), (e) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /`timeoutMs` must be/);
    return true;
  });
  assert.equal(start.mock.callCount(), 1);
  await refusesConnections((await start.mock.calls[0].result).baseUrl);
  start.mock.restore();
  let ran = false;
  await assert.rejects(
    withSandbox(
      () => {
        ran = true;
      },
      { port: 'any' },
    )(),
    /`port` must be a port/,
  );
  assert.equal(ran, false);
});
