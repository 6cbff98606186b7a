#!/usr/bin/env bash
# Installs the release packages from dist/ the way the README says, into a fresh venv and an
# empty npm project in a temporary folder (nothing of the repository on the path), and makes
# one call with each against the sandbox the packages carry.
# Usage: tests/dist/install.sh DIST_DIR
set -euo pipefail
dist=$(cd "${1:?usage: install.sh DIST_DIR}" && pwd)
python=${PYTHON:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset IBANERA_USERNAME IBANERA_PASSWORD IBANERA_TOTP_SECRET IBANERA_ACCESS_TOKEN IBANERA_BASE_URL IBANERA_API_KEY

wheel=$(ls "$dist"/ibanera-*.whl)
tarball=$(ls "$dist"/ibanera-*.tgz)
case "$(basename "$wheel")" in
    *-abi3-*manylinux*) ;;
    *) echo "the wheel is not abi3 manylinux: $(basename "$wheel")" >&2; exit 1 ;;
esac

echo "==> pip install $(basename "$wheel") into a fresh venv"
"$python" -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check "$wheel"
(cd "$tmp" && "$tmp/venv/bin/python" - <<'PY'
import ibanera

with ibanera.Sandbox() as sandbox:
    account = sandbox.client().accounts.get(1055)
    assert str(account.available_balance) == "100000.000000000000000000", account
    assert ibanera.__file__.startswith(__import__("sys").prefix), ibanera.__file__
print("python: installed from the wheel, one call against the sandbox: ok")
PY
)

echo "==> npm install $(basename "$tarball") into an empty project"
mkdir "$tmp/project"
cd "$tmp/project"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund "$tarball"
listing=$(tar -tzf "$tarball")
for want in package/README.md package/package.json package/index.js package/bindings-node/lib/index.js package/bindings-node/lib/testing.js; do
    grep -qx "$want" <<<"$listing" || { echo "missing from the tarball: $want" >&2; exit 1; }
done
if grep -q -e '^package/tests/' -e '^package/core/' -e '^package/bindings-node/src/' <<<"$listing"; then
    echo "the tarball carries more than the package needs" >&2; exit 1
fi
grep -q "Node" "node_modules/ibanera/README.md"
node --input-type=module - <<'JS'
import { Sandbox } from 'ibanera';

const sandbox = await Sandbox.start();
try {
  const account = await sandbox.client().accounts.get(1055);
  if (account.availableBalance !== '100000.000000000000000000') {
    throw new Error(`unexpected balance ${account.availableBalance}`);
  }
} finally {
  await sandbox.close();
}
console.log('node: installed from the tarball, one call against the sandbox: ok');
JS
# The test helper's subpath, both ways a project loads it; each test gets its own sandbox.
node --test-reporter=dot --input-type=module - <<'JS'
import { test } from 'node:test';
import { useSandbox } from 'ibanera/testing';

test('a fresh sandbox from ibanera/testing', async (t) => {
  const { sandbox, client } = await useSandbox(t);
  sandbox.creditDeposit(1055, '1');
  const account = await client.accounts.get(1055);
  if (account.availableBalance !== '100001.000000000000000000') {
    throw new Error(`unexpected balance ${account.availableBalance}`);
  }
});
JS
node -e "
const { withSandbox } = require('ibanera/testing');
withSandbox(async ({ client }) => (await client.accounts.get(1055)).availableBalance)().then((b) => {
  if (b !== '100000.000000000000000000') throw new Error('unexpected balance ' + b);
  console.log('node: ibanera/testing from the tarball (import and require): ok');
});
"
