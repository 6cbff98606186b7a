// Stale keep-alive connections: the sandbox closes connections idle for 300 ms, and POSTs
// arrive after gaps chosen so that many land right at that deadline. A request written to a
// connection the server is closing at that moment may or may not have been read, so a POST
// there cannot be retried and would be lost (an OutcomeUnknownError). The client keeps idle
// connections 100 ms (`poolIdleTimeoutMs`, the core's default is 4 s, below common server
// keep-alives of 5 s), never reaching the server's deadline: none of the 600 may be lost.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Sandbox } from 'ibanera';
import { sleep } from './helpers.mjs';

const SERVER_IDLE_MS = 300;
const CLIENT_IDLE_MS = 100;
const POSTS = 600;
// Parallel lanes, each with its own client (one connection, used sequentially): the gaps of a
// lane are exactly how long its connection sat idle.
const LANES = 10;

let sandbox;

before(async () => {
  sandbox = await Sandbox.start({ idleTimeoutMs: SERVER_IDLE_MS });
});
after(() => sandbox.close());

/** mulberry32: a small seeded generator, so a failure can be replayed with the same gaps. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test(
  `${POSTS} POSTs around a ${SERVER_IDLE_MS} ms server idle deadline: none lost`,
  { timeout: 120_000 },
  async () => {
    const seed = 20261201;
    const next = random(seed);
    // Half the gaps just under the server's deadline (the connection went idle a moment before
    // the response reached JS, so the idle time is the gap plus that moment), half anywhere in
    // 0-400 ms. With a pool that keeps connections past the deadline, this loses 2-5 of 600.
    const gap = () =>
      next() < 0.5 ? SERVER_IDLE_MS - 4 + next() * 6 : next() * (SERVER_IDLE_MS + 100);
    const plans = Array.from({ length: LANES }, () =>
      Array.from({ length: POSTS / LANES }, () => gap()),
    );
    const near = plans.flat().filter((g) => Math.abs(g - SERVER_IDLE_MS) < 5).length;
    const failures = [];
    await Promise.all(
      plans.map(async (gaps) => {
        const client = sandbox.client({ poolIdleTimeoutMs: CLIENT_IDLE_MS, maxRetries: 2 });
        await client.login();
        for (const ms of gaps) {
          await sleep(ms);
          try {
            await client.exchanges.buy({
              customersId: 1004,
              assetPair: 'BTC/USDC',
              quantityType: 'Amount',
              amount: '0.0001',
            });
          } catch (e) {
            failures.push(e);
          }
        }
      }),
    );
    console.log(
      `# seed ${seed}: ${POSTS} POSTs in ${LANES} lanes, ${near} gaps within 5 ms of the ` +
        `server's ${SERVER_IDLE_MS} ms idle deadline, client pool idle ${CLIENT_IDLE_MS} ms, ` +
        `${failures.length} failed`,
    );
    assert.deepEqual(
      failures.map((e) => `${e.code}: ${e.message}`),
      [],
    );
    assert.deepEqual(sandbox.executions(), {
      'POST /api/v1/customer/crypto-exchanges/buy': POSTS,
    });
  },
);
