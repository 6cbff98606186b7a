// The package.json of the published npm package, from the repository's: what a user's
// `npm install` needs (name, version, entry points, files, engines), without the
// repository's build scripts and development dependencies. Used by `make dist`.
import { readFileSync } from 'node:fs';

const source = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const keep = [
  'name',
  'version',
  'description',
  'license',
  'repository',
  'main',
  'types',
  'exports',
  'files',
  'engines',
  'napi',
];
const out = {};
for (const key of keep) {
  if (source[key] !== undefined) out[key] = source[key];
}
out.files = [...new Set([...(out.files ?? []), 'README.md'])];
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
