// The SDK side of the Node scenario: `Client` from the npm package `ibanera` at the repo root
// (or the package directory in IBANERA_BENCH_NODE_PACKAGE), with the same shape as the
// baselines (`login`, `getAccount`, `close`).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root =
  process.env.IBANERA_BENCH_NODE_PACKAGE ||
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function loadPackage() {
  const require = createRequire(path.join(root, 'package.json'));
  try {
    return require(root);
  } catch (e) {
    if (e?.code !== 'ERR_REQUIRE_ESM') throw e;
    return import(require.resolve(root));
  }
}

export async function makeClient({ username, password, totpSecret, baseUrl }) {
  const { Client } = await loadPackage();
  const client = new Client({ username, password, totpSecret, baseUrl });
  const accounts = client.accounts;
  return {
    // The SDK logs in by itself on the first call; the harness logs in first, untimed, as it
    // does for the baselines.
    login: () => client.login(),
    getAccount: (id) => accounts.get(id),
    async close() {
      if (typeof client.close === 'function') await client.close();
    },
  };
}
