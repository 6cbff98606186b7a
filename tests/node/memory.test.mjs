// Native memory behind clients is reclaimed: a client's connection pool and TLS configuration
// live in Rust (about 100 KiB each, most of it the root certificates the core loads per client),
// behind a small JS object. The package tells V8 about that memory and frees it when the JS
// object is collected. Measured in a child process started with --expose-gc, so the RSS
// figures are that process's alone.
//
// Not covered here: 10,000 clients created in one synchronous loop. Node runs native
// finalizers only when the event loop turns, so such a loop holds every client until it ends
// (1 GB); and each client takes 2.6 ms (20-35 ms in the debug build) to load the root
// certificates. Both go once the core shares one TLS configuration between clients (4 KiB and
// microseconds per client).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

import { ROOT } from './helpers.mjs';

function run(script) {
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

// Clients created as a server would create them by mistake (one per request): between them
// the event loop turns, which is when Node runs the finalizers of collected native objects.
const BATCH = 300;

test(
  `clients created in a loop and dropped: their native memory is freed (2 x ${BATCH})`,
  { timeout: 300_000 },
  () => {
    const result = run(`
    import { Client } from 'ibanera';
    const options = { username: 'u', password: 'p', totpSecret: 'JBSWY3DPEHPK3PXP',
                      baseUrl: 'http://127.0.0.1:9' };
    const turn = () => new Promise((r) => setImmediate(r));
    const settle = async () => { for (let i = 0; i < 3; i++) { global.gc(); await turn(); } };
    const rss = () => process.memoryUsage().rss;
    let collected = 0;
    const registry = new FinalizationRegistry(() => collected++);
    const batch = async () => {
      for (let i = 0; i < ${BATCH}; i++) {
        registry.register(new Client(options), i);
        if (i % 25 === 24) await turn();
      }
      await settle();
    };
    const start = rss();
    // The first batch brings the process to its working size (runtime threads, the allocator
    // keeps freed pages for reuse); the second must then fit in the memory the first freed.
    await batch();
    const before = rss();
    await batch();
    const after = rss();
    console.log(JSON.stringify({ start, before, after, collected }));
  `);
    const mb = (b) => b / 2 ** 20;
    console.log(
      `# RSS ${mb(result.start).toFixed(0)} MB at start, ${mb(result.before).toFixed(0)} MB ` +
        `after ${BATCH} clients, ${mb(result.after).toFixed(0)} MB after ${2 * BATCH} ` +
        `(${result.collected} collected)`,
    );
    assert.ok(result.collected >= 2 * BATCH * 0.9, `${result.collected} clients collected`);
    // Kept alive, the second batch would add about 100 KiB per client (30 MB).
    const growth = mb(result.after - result.before);
    assert.ok(growth < 10, `RSS grew by ${growth.toFixed(1)} MB over the second batch`);
  },
);
