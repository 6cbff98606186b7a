// A small receiver of Ibanera callbacks on node:http (no framework: anything that gives the
// raw body and the headers will do).
//
// It reads the body as raw bytes (before any JSON parsing: the signature covers those exact
// bytes), verifies it with `webhooks.constructEvent`, dispatches the typed event by its type,
// and answers 200. A bad signature gets 401 and a body that is not a callback 400, and neither
// is acted on. A handler that fails makes the answer 500, so the sender tries again later; a
// callback already handled (the same `id`, sent again) is acknowledged without being handled
// twice.
//
//   IBANERA_WEBHOOK_SECRET=... PORT=8000 node examples/webhook_server.mjs
//
// With a stand-alone sandbox, `ibanera webhooks listen --forward-to
// http://127.0.0.1:8000/ibanera/callbacks` registers this receiver and prints the secret; with
// the embedded one, `await sandbox.registerWebhook(url)` returns it.
// tests/node/webhook_server.test.mjs runs this receiver, alone and against the sandbox.
import http from 'node:http';
import { pathToFileURL } from 'node:url';

import { DecodeError, SignatureVerificationError, webhooks } from 'ibanera';

export const PATH = '/ibanera/callbacks';
// Callbacks are small; a larger body is not one (and is not read into memory).
const MAX_BODY = 1 << 20;

/** Handlers by type; `event.data` is the typed model of that type (money as exact strings). */
const HANDLERS = {
  EXCHANGE_STATUS_UPDATED: ({ data }) =>
    console.log(
      `exchange ${data.id} (${data.exchangeType} ${data.assetPair}) is now ${data.status}; ` +
        `executed ${data.executedAmount} at ${data.executedPrice}`,
    ),
  CRYPTO_DEPOSIT_CREATED: onCryptoTransfer,
  CRYPTO_DEPOSIT_UPDATED: onCryptoTransfer,
  CRYPTO_WITHDRAWAL_CREATED: onCryptoTransfer,
  CRYPTO_WITHDRAWAL_UPDATED: onCryptoTransfer,
  FIAT_DEPOSIT_RECEIVED: ({ data }) =>
    console.log(
      `deposit of ${data.amount} on account ${data.accountsId} (flagged: ${data.flagged})`,
    ),
};

function onCryptoTransfer({ type, data }) {
  console.log(
    `${type}: transaction ${data.transactionsId}, ${data.amount?.amount} ${data.amount?.asset}, ${data.status}`,
  );
}

/** Calls the handler of the event's type. Unknown types are not errors: a new type from the
 * provider must not make the receiver fail. */
export function dispatch(event) {
  const handler = webhooks.isKnown(event) ? HANDLERS[event.type] : undefined;
  if (handler) return handler(event);
  console.log(
    `${event.type}${webhooks.isKnown(event) ? '' : ' (unknown)'}: ${JSON.stringify(event.data)}`,
  );
}

/** The raw body, or null when it is larger than `MAX_BODY`. */
function rawBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The receiver as a node:http request listener: `POST /ibanera/callbacks`, verified with
 * `secret`, handled by `onEvent` (sync or async).
 */
export function createHandler({ secret, onEvent = dispatch }) {
  const handled = new Set(); // a real service keeps this in its database
  const answer = (res, status, text) => {
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(`${text}\n`);
  };
  return async (req, res) => {
    if (req.method !== 'POST' || new URL(req.url, 'http://x').pathname !== PATH) {
      return answer(res, 404, 'not found');
    }
    const body = await rawBody(req);
    if (body === null) return answer(res, 413, 'too large');
    let event;
    try {
      event = webhooks.constructEvent(body, req.headers, secret);
    } catch (e) {
      if (e instanceof SignatureVerificationError) {
        console.warn(`refused a callback: ${e.message}`);
        return answer(res, 401, 'signature refused');
      }
      if (e instanceof DecodeError) {
        console.warn(`not a callback: ${e.message}`);
        return answer(res, 400, 'not a callback');
      }
      throw e;
    }
    if (handled.has(event.id)) return answer(res, 200, 'already handled');
    try {
      await onEvent(event);
    } catch (e) {
      // Not acknowledged: the sender tries again later, with the same id.
      console.error(`handling ${event.type} ${event.id} failed: ${e.message}`);
      return answer(res, 500, 'failed');
    }
    handled.add(event.id);
    return answer(res, 200, 'ok');
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.IBANERA_WEBHOOK_SECRET ?? '';
  if (secret === '') {
    console.error('set IBANERA_WEBHOOK_SECRET to the hash secret of your callbacks');
    process.exit(2);
  }
  const server = http.createServer(createHandler({ secret }));
  server.listen(Number(process.env.PORT ?? 8000), process.env.HOST ?? '127.0.0.1', () => {
    const { address, port } = server.address();
    console.log(`listening on http://${address}:${port}${PATH}`);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => server.close(() => process.exit(0)));
  }
}
