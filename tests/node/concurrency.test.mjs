// 1,000 concurrent calls while a timer ticks: all I/O runs on the core's Tokio runtime, so the
// event loop stays free and the timer keeps its schedule.
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, test } from 'node:test';

import { Sandbox } from 'ibanera';

let sandbox;
let client;

before(async () => {
  sandbox = await Sandbox.start();
  client = sandbox.client();
  await client.accounts.get(1055); // warm the connection pool
});
after(() => sandbox.close());

test('1,000 concurrent calls: all succeed, one client, the timer never drifts far', async () => {
  const INTERVAL = 5;
  const ticks = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    ticks.push(now - last - INTERVAL);
    last = now;
  }, INTERVAL);
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();

  // Requests arrive as a web server receives them: in bursts of 20 on successive ticks, until
  // 1,000 calls are in flight at once.
  const call = (i) => {
    switch (i % 4) {
      case 0:
        return client.accounts.get(1055);
      case 1:
        return client.accounts.balances();
      case 2:
        return client.accounts.transactions({ accountsId: 1056 });
      default:
        return client.exchanges.pairs();
    }
  };
  const started = performance.now();
  const calls = [];
  let issuing = 0;
  while (calls.length < 1000) {
    const t = performance.now();
    for (let i = 0; i < 20; i++) calls.push(call(calls.length));
    issuing += performance.now() - t;
    await new Promise((r) => setImmediate(r));
  }
  const issued = performance.now() - started;
  const results = await Promise.all(calls);
  const elapsed = performance.now() - started;
  histogram.disable();
  clearInterval(timer);

  assert.equal(results.length, 1000);
  assert.equal(results[0].id, 1055);
  assert.equal(results[1].items.length, 4);
  assert.equal(results[3].length, 4);
  assert.ok(results.every((r) => r !== null && typeof r === 'object'));

  const maxDrift = Math.max(...ticks);
  const maxDelay = histogram.max / 1e6;
  console.log(
    `# 1000 calls issued in ${issued.toFixed(1)} ms (${((issuing * 1000) / 1000).toFixed(1)} µs each on the loop), ` +
      `done in ${elapsed.toFixed(0)} ms; ` +
      `${ticks.length} ticks, max timer drift ${maxDrift.toFixed(1)} ms, ` +
      `event-loop delay p99 ${(histogram.percentile(99) / 1e6).toFixed(1)} ms max ${maxDelay.toFixed(1)} ms`,
  );
  // Issuing a call only queues work for the Tokio runtime: no network I/O on the loop.
  assert.ok(issuing < 1000, `issuing took ${issuing} ms of loop time`);
  assert.ok(ticks.length >= 3, `the timer ticked ${ticks.length} times`);
  // A loop blocked by I/O would show the whole run (1-3 s here) as drift. What remains is the
  // loop's own work: issuing calls and taking 1,000 results (JSON.parse, promise callbacks),
  // measured at up to ~60 ms with the debug build the tests use, ~15 ms with a release build.
  assert.ok(maxDrift < 150, `max timer drift ${maxDrift} ms`);
  assert.ok(maxDrift < elapsed / 4, `max timer drift ${maxDrift} ms of a ${elapsed} ms run`);
});

test('a slow call does not hold up the loop or other calls', async () => {
  sandbox.injectFault('/api/v1/customer/accounts/account', { kind: 'delay', ms: 1_000 }, 1);
  const slow = client.accounts.get(1055);
  const t0 = performance.now();
  const fast = await Promise.all(Array.from({ length: 50 }, () => client.accounts.balances()));
  const fastMs = performance.now() - t0;
  assert.equal(fast.length, 50);
  assert.ok(fastMs < 900, `50 calls took ${fastMs} ms behind a slow one`);
  let ticked = 0;
  const timer = setInterval(() => ticked++, 10);
  await slow;
  clearInterval(timer);
  assert.ok(ticked >= 5, `the timer ticked ${ticked} times while a call waited`);
});
