// examples/webhook_server.mjs: its handler fed signed vectors (401 for a bad signature, 400 for
// a body that is not a callback, 500 when handling fails, a repeated id acknowledged once), the
// example run as a process, and end to end against the sandbox's own callback delivery: a buy
// walked through approval arrives as signed EXCHANGE_STATUS_UPDATED events in order, and a
// receiver that answers 500 twice gets the event on the third attempt, acknowledged once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import util from 'node:util';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';

import { Sandbox } from 'ibanera';
import { PATH, createHandler } from '../../examples/webhook_server.mjs';
import { ROOT, VECTORS } from './helpers.mjs';

const vector = (name) => JSON.parse(readFileSync(join(VECTORS, 'webhooks', name), 'utf8'));
const sign = (body, secret) =>
  createHash('sha256')
    .update(Buffer.concat([Buffer.from(body, 'utf8'), Buffer.from(secret, 'utf8')]))
    .digest('base64');

/** A node:http server on a free port running `listener`. */
async function serve(listener) {
  const server = http.createServer(listener);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}${PATH}`,
    close: () => new Promise((r) => server.close(r)),
  };
}

const post = (url, body, headers = {}) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('the example handler', () => {
  const v = vector('customer.exchange_status_updated.json');
  const signature = sign(v.body_text, v.secret);
  let receiver;
  const seen = [];
  let failNext = 0;

  before(async () => {
    receiver = await serve(
      createHandler({
        secret: v.secret,
        onEvent: async (event) => {
          seen.push(event);
          if (failNext > 0) {
            failNext--;
            throw new Error('the database is down');
          }
        },
      }),
    );
  });
  after(() => receiver.close());

  test('a signed vector: 200, handled once with its typed data; again: 200, not handled again', async () => {
    seen.length = 0;
    const res = await post(receiver.url, v.body_text, { 'Webhook-Signature': signature });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'ok\n');
    assert.equal(seen.length, 1);
    assert.equal(seen[0].type, 'EXCHANGE_STATUS_UPDATED');
    assert.equal(seen[0].data.executedPrice, '61250.120000000000000000');
    const again = await post(receiver.url, v.body_text, { 'Webhook-Signature': signature });
    assert.equal(again.status, 200);
    assert.equal(await again.text(), 'already handled\n');
    assert.equal(seen.length, 1);
  });

  test('a bad signature is 401, a body that is not a callback 400; neither is handled', async () => {
    seen.length = 0;
    const tampered = v.body_text.replace('Completed', 'Completes');
    assert.equal(
      (await post(receiver.url, tampered, { 'Webhook-Signature': signature })).status,
      401,
    );
    assert.equal((await post(receiver.url, v.body_text)).status, 401);
    const junk = '{"hello": "world"}';
    assert.equal(
      (await post(receiver.url, junk, { 'webhook-signature': sign(junk, v.secret) })).status,
      400,
    );
    assert.equal((await fetch(receiver.url)).status, 404);
    assert.equal(seen.length, 0);
  });

  test('a failing handler answers 500 and the event is handled when it comes again', async () => {
    const q = vector('customer.crypto_deposit_created.json');
    const failing = await serve(
      createHandler({
        secret: q.secret,
        onEvent: () => {
          if (failNext-- > 0) throw new Error('down');
        },
      }),
    );
    try {
      failNext = 1;
      const headers = { 'Webhook-Signature': sign(q.body_text, q.secret) };
      assert.equal((await post(failing.url, q.body_text, headers)).status, 500);
      assert.equal((await post(failing.url, q.body_text, headers)).status, 200);
      assert.equal(
        await (await post(failing.url, q.body_text, headers)).text(),
        'already handled\n',
      );
    } finally {
      failNext = 0;
      await failing.close();
    }
  });
});

test('the example as a process: a signed vector is logged and acknowledged', async () => {
  const v = vector('customer.exchange_status_updated.json');
  const child = spawn(process.execPath, [join(ROOT, 'examples', 'webhook_server.mjs')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', IBANERA_WEBHOOK_SECRET: v.secret },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const lines = createInterface({ input: child.stdout });
    const [first] = await once(lines, 'line');
    const url = /listening on (http:\/\/\S+)/.exec(first)[1];
    const logged = once(lines, 'line');
    const res = await post(url, v.body_text, { 'webhook-signature': sign(v.body_text, v.secret) });
    assert.equal(res.status, 200);
    const [line] = await logged;
    assert.equal(
      line,
      'exchange 11669 (0 BTC/USD) is now Completed; executed 0.002500000000000000 at 61250.120000000000000000',
    );
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

describe('end to end: the sandbox delivers its own callbacks', () => {
  let sandbox;
  before(async () => {
    // Retries after 50 ms (then 100, 200 ...) so the test does not wait seconds.
    sandbox = await Sandbox.start({ webhookRetryBaseMs: 50, webhookTimeoutMs: 5_000 });
  });
  after(() => sandbox.close());

  test('a buy walked through approval: signed EXCHANGE_STATUS_UPDATED events, in order', async () => {
    const events = [];
    // The secret comes from the registration, which needs the receiver's URL: listen first,
    // then register, then give the handler the secret.
    let handler = null;
    const server = await serve((req, res) => handler(req, res));
    try {
      const secret = sandbox.registerWebhook(server.url);
      assert.match(secret, /^whsec_[0-9a-f]{48}$/);
      handler = createHandler({ secret, onEvent: (e) => events.push(e) });
      const client = sandbox.client();
      const exchange = await client.exchanges.buy({
        customersId: 1004,
        assetPair: 'BTC/USDC',
        quantityType: 'Amount',
        amount: '0.01',
      });
      assert.equal(sandbox.approve(exchange.id), 'Pending');
      assert.equal(sandbox.complete(exchange.id), 'Completed');
      assert.equal(await sandbox.waitForDeliveries(30_000), true);

      const mine = events.filter(
        (e) => e.type === 'EXCHANGE_STATUS_UPDATED' && e.data.id === exchange.id,
      );
      assert.deepEqual(
        mine.map((e) => e.data.status),
        ['WaitingForApproval', 'Pending', 'Completed'],
      );
      for (const e of mine) {
        assert.equal(e.data.assetPair, 'BTC/USDC');
        assert.equal(e.data.exchangeType, 'Buy');
        assert.equal(e.data.manageesId, 1004);
        assert.match(e.data.requestAmount, /^0\.01/);
      }
      assert.equal(new Set(mine.map((e) => e.id)).size, 3, 'one envelope id per change');
      const deliveries = sandbox.deliveries().filter((d) => mine.some((e) => e.id === d.eventId));
      assert.equal(deliveries.length, 3);
      assert.ok(deliveries.every((d) => d.attempt === 1 && d.status === 200 && d.acknowledged));
    } finally {
      sandbox.clearWebhooks();
      await server.close();
    }
  });

  test('a receiver answering 500 twice gets the event on the third attempt, acknowledged once', async () => {
    let calls = 0;
    const handled = [];
    let handler = null;
    const server = await serve((req, res) => handler(req, res));
    try {
      const secret = sandbox.registerWebhook(server.url, { secret: 'whsec_chosen_by_the_test' });
      assert.equal(secret, 'whsec_chosen_by_the_test');
      handler = createHandler({
        secret,
        onEvent: (e) => {
          calls++;
          if (calls <= 2) throw new Error(`not yet (${calls})`);
          handled.push(e);
        },
      });
      sandbox.clearDeliveries();
      const sent = sandbox.triggerWebhook('EXCHANGE_STATUS_UPDATED', { Status: 'Completed' });
      assert.equal(await sandbox.waitForDeliveries(30_000), true);
      assert.equal(calls, 3);
      assert.equal(handled.length, 1);
      assert.equal(handled[0].id, sent.id);
      assert.equal(handled[0].data.status, 'Completed');
      const attempts = sandbox.deliveries().filter((d) => d.eventId === sent.id);
      assert.deepEqual(
        attempts.map((d) => [d.attempt, d.status, d.acknowledged]),
        [
          [1, 500, false],
          [2, 500, false],
          [3, 200, true],
        ],
      );
      assert.equal(sandbox.pendingDeliveries(), 0);
    } finally {
      sandbox.clearWebhooks();
      await server.close();
    }
  });

  test('a receiver given at start, and the secret never printed', async () => {
    let received = null;
    let handler = null;
    const server = await serve((req, res) => handler(req, res));
    const started = await Sandbox.start({ webhookUrl: server.url, webhookRetryBaseMs: 50 });
    try {
      const secret = started.webhookSecret;
      assert.match(secret, /^whsec_/);
      handler = createHandler({ secret, onEvent: (e) => (received = e) });
      assert.deepEqual(
        started.webhooks().map((w) => w.url),
        [server.url],
      );
      started.creditDeposit(1057, '0.25');
      assert.equal(await started.waitForDeliveries(30_000), true);
      assert.equal(received.type, 'CRYPTO_DEPOSIT_UPDATED');
      assert.equal(received.data.amount.amount, '0.25');
      for (const text of [
        util.inspect(started, { showHidden: true }),
        JSON.stringify(started),
        String(started),
        JSON.stringify(started.webhooks()),
        JSON.stringify(started.deliveries()),
      ]) {
        assert.ok(!text.includes(secret));
      }
    } finally {
      await started.close();
      await server.close();
    }
  });
});
