// CommonJS and ESM consumers get the same objects: `require('ibanera')` and
// `import { Client } from 'ibanera'`, with `instanceof` working across both.
const assert = require('node:assert/strict');
const { test } = require('node:test');

const cjs = require('ibanera');
const { AREAS, SECRETS } = require('../../bindings-node/lib/client.js');

const EXPORTS = [
  'Client',
  // One class per area of the core's table (`Accounts`, `Exchanges`, ...).
  ...AREAS.map((area) => area.name),
  // ... and one per secret result (`SensitiveCardDetails`).
  ...Object.keys(SECRETS),
  'PagePromise',
  'Recovery',
  'Sandbox',
  'Totp',
  'webhooks',
  'IbaneraError',
  'ApiError',
  'AuthenticationError',
  'NotFoundError',
  'RateLimitError',
  'ValidationError',
  'TransportError',
  'TimeoutError',
  'DecodeError',
  'ResponseLimitError',
  'OutcomeUnknownError',
  'ConfigError',
  'SandboxError',
  'SignatureVerificationError',
  'VERSION',
];

test('require and import give the same classes', async () => {
  const esm = await import('ibanera');
  assert.deepEqual(Object.keys(cjs).sort(), [...EXPORTS].sort());
  for (const name of EXPORTS) {
    assert.equal(esm[name], cjs[name], name);
  }
  assert.equal(esm.default, cjs);
  assert.match(cjs.VERSION, /^\d+\.\d+\.\d+/);
});

test('errors thrown through one entry are instances for the other', async () => {
  const esm = await import('ibanera');
  const client = new esm.Client({
    accessToken: 't',
    totpSecret: 'JBSWY3DPEHPK3PXP',
    baseUrl: 'http://127.0.0.1:9',
  });
  await assert.rejects(
    client.exchanges.buy({
      customersId: 1,
      assetPair: 'BTC/USDC',
      quantityType: 'Price',
      price: 0.5,
    }),
    (e) => {
      assert.ok(e instanceof cjs.ValidationError);
      assert.ok(e instanceof cjs.IbaneraError);
      assert.ok(e instanceof esm.ValidationError);
      return true;
    },
  );
  assert.throws(() => new cjs.Client({}), esm.ConfigError);
});

test('the error hierarchy', () => {
  const { IbaneraError, ApiError, AuthenticationError, NotFoundError, RateLimitError } = cjs;
  for (const C of [AuthenticationError, NotFoundError, RateLimitError])
    assert.ok(C.prototype instanceof ApiError);
  assert.ok(cjs.TimeoutError.prototype instanceof cjs.TransportError);
  assert.ok(cjs.ResponseLimitError.prototype instanceof cjs.DecodeError);
  for (const C of [
    ApiError,
    cjs.ValidationError,
    cjs.TransportError,
    cjs.DecodeError,
    cjs.ConfigError,
    cjs.SandboxError,
    cjs.OutcomeUnknownError,
    cjs.SignatureVerificationError,
  ]) {
    assert.ok(C.prototype instanceof IbaneraError);
  }
  assert.ok(IbaneraError.prototype instanceof Error);
});

test('the package.json entry points exist and the package name resolves', () => {
  const pkg = require('../../package.json');
  assert.equal(pkg.name, 'ibanera');
  assert.equal(require.resolve('ibanera'), require.resolve('../../bindings-node/lib/index.js'));
  assert.ok(pkg.napi.binaryName);
  assert.ok(pkg.napi.targets.includes('x86_64-unknown-linux-gnu'));
});

test('ibanera/testing: the same functions both ways, in the repository and the published package', async () => {
  const { execFileSync } = require('node:child_process');
  const { existsSync } = require('node:fs');
  const path = require('node:path');
  const root = path.join(__dirname, '..', '..');
  const cjsTesting = require('ibanera/testing');
  const esmTesting = await import('ibanera/testing');
  const names = ['sandboxFixture', 'useSandbox', 'withSandbox'];
  assert.deepEqual(Object.keys(cjsTesting).sort(), names);
  for (const name of names) assert.equal(esmTesting[name], cjsTesting[name], name);
  assert.equal(esmTesting.default, cjsTesting);
  // The published package.json (what `make dist` writes) keeps the subpath, and every file it
  // names is in the package's `files`.
  const published = JSON.parse(
    execFileSync(process.execPath, [
      path.join(root, 'bindings-node', 'scripts', 'package-json.mjs'),
      path.join(root, 'package.json'),
    ]).toString(),
  );
  const entry = published.exports['./testing'];
  assert.deepEqual(entry, require('../../package.json').exports['./testing']);
  for (const file of [
    entry.import.types,
    entry.import.default,
    entry.require.types,
    entry.require.default,
  ]) {
    assert.ok(existsSync(path.join(root, file)), file);
    assert.ok(
      published.files.some((f) => path.normalize(file).startsWith(path.normalize(`./${f}`))),
      `${file} is in files`,
    );
  }
});
