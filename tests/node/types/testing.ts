// Compile-time checks of `ibanera/testing` (`tsc --noEmit --strict`, run by make test-node).
import { test, beforeEach, afterEach, type TestContext } from 'node:test';
import type { Client, Sandbox } from 'ibanera';
import {
  sandboxFixture,
  useSandbox,
  withSandbox,
  type SandboxContext,
  type SandboxTestOptions,
} from 'ibanera/testing';
import testing = require('ibanera/testing');

test('useSandbox', async (t) => {
  const { sandbox, client }: { sandbox: Sandbox; client: Client } = await useSandbox(t);
  const balance: string = (await client.accounts.get(1055)).availableBalance;
  void balance;
  void sandbox.creditDeposit(1055, '1');
  await useSandbox(t, { strictOtp: true, client: { maxRetries: 0 } });
  // @ts-expect-error not a sandbox option
  await useSandbox(t, { strict: true });
  // @ts-expect-error a test context is required
  await useSandbox();
});

// The wrapper is a node:test body, and passes the framework's own arguments on.
test(
  'withSandbox',
  withSandbox(async ({ client }, t: TestContext) => {
    const asset: string | null = (await client.accounts.get(1055)).asset;
    void [t.name, asset];
  }),
);
const body: () => Promise<number> = withSandbox(() => 1);
void body;

const ctx: SandboxContext = sandboxFixture({ username: 'u' }, { beforeEach, afterEach });
const fromGlobals = sandboxFixture();
void fromGlobals;
// @ts-expect-error the context's sandbox is the fixture's to set
ctx.sandbox = ctx.sandbox;
const options: SandboxTestOptions = { port: 0, client: { timeoutMs: 5000 } };
void options;
void testing.withSandbox;
