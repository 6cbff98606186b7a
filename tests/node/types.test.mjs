// The published TypeScript types: generated from the core (regenerating must not change the
// committed file) and strict-checked against the examples and the type assertions.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { ROOT } from './helpers.mjs';

const files = (dir, pattern) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => pattern.test(f))
    .map((f) => `${dir}/${f}`);

const cargo = spawnSync(process.env.CARGO ?? 'cargo', ['--version']).status === 0;

test(
  'bindings-node/lib/generated.d.ts is what the core generates',
  { skip: !cargo && 'cargo not found', timeout: 600_000 },
  () => {
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'bindings-node', 'scripts', 'gen-types.mjs'), '--check'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  },
);

test(
  'tsc --noEmit --strict passes on examples/*.ts and the type assertions',
  { timeout: 120_000 },
  () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    try {
      execFileSync(
        process.execPath,
        [
          tsc,
          '--noEmit',
          '--strict',
          '--target',
          'es2022',
          '--module',
          'nodenext',
          '--moduleResolution',
          'nodenext',
          '--types',
          'node',
          ...files('examples', /\.ts$/),
          ...files('tests/node/types', /\.c?ts$/),
        ],
        { cwd: ROOT, encoding: 'utf8' },
      );
    } catch (e) {
      assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
    }
  },
);
