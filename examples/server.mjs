// A small web server on node:http that shares one Ibanera client between all requests and
// serves balances and quotes as JSON. Every call is a Promise whose I/O runs on the SDK's
// native runtime, so the server keeps answering while calls are in flight.
//
//   IBANERA_USERNAME=... IBANERA_PASSWORD=... IBANERA_TOTP_SECRET=... IBANERA_BASE_URL=... \
//     node examples/server.mjs
//   curl localhost:3000/balances
//   curl 'localhost:3000/quote?pair=BTC/USDC&side=Buy&price=250'
//
// The client logs in on the first request and keeps its session fresh by itself. Against the
// sandbox: `ibanera sandbox` prints the export lines.
import http from 'node:http';

import {
  ApiError,
  AuthenticationError,
  Client,
  IbaneraError,
  NotFoundError,
  OutcomeUnknownError,
  RateLimitError,
  TimeoutError,
  TransportError,
  ValidationError,
} from 'ibanera';

const PORT = Number(process.env.PORT ?? 3000);
const HOST = process.env.HOST ?? '127.0.0.1';
const CUSTOMER = Number(process.env.IBANERA_CUSTOMER_ID ?? 1004);

// One client for the whole process: one connection pool and one login session, credentials
// read once.
const client = Client.fromEnv({ timeoutMs: 15_000 });

const routes = {
  // GET /balances -> every balance of the API user, walking all pages.
  'GET /balances': async () => {
    const items = [];
    for await (const balance of client.accounts.balances()) items.push(balance);
    return { balances: items };
  },

  // GET /accounts/:id
  'GET /accounts': async (url, id) => client.accounts.get(Number(id)),

  // GET /quote?pair=BTC/USDC&side=Buy&price=250 (or amount=0.01). Money stays a string: the
  // query's digits go to the API exactly as typed.
  'GET /quote': async (url) => {
    const q = url.searchParams;
    const amount = q.get('amount');
    return client.exchanges.quote({
      customersId: Number(q.get('customer') ?? CUSTOMER),
      assetPair: q.get('pair') ?? 'BTC/USDC',
      exchangeType: q.get('side') === 'Sell' ? 'Sell' : 'Buy',
      quantityType: amount !== null ? 'Amount' : 'Price',
      price: q.get('price') ?? undefined,
      amount: amount ?? undefined,
    });
  },

  'GET /health': async () => ({ ok: true, upstream: client.baseUrl }),
};

/** An SDK error -> the status this server answers with, and a body without internals. */
function failure(error) {
  if (!(error instanceof IbaneraError)) {
    return [500, { error: { code: 'internal', message: 'internal error' } }];
  }
  const body = { error: { code: error.code, message: error.message, errors: error.errors } };
  if (error instanceof ValidationError)
    return [400, { error: { ...body.error, field: error.field } }];
  // A request that moves money may have executed: never report it as a plain failure the
  // caller would retry. (This server only reads; the case is here for the pattern.)
  if (error instanceof OutcomeUnknownError) {
    return [502, { error: { ...body.error, outcomeUnknown: true, sent: error.sent } }];
  }
  if (error instanceof NotFoundError) return [404, body];
  if (error instanceof RateLimitError) return [503, body, error.retryAfterMs];
  // Our credentials were refused (wrong password, locked or suspended user): not the caller's
  // fault, and the client sends nothing more until it is given new credentials.
  if (error instanceof AuthenticationError) return [502, body];
  if (error instanceof ApiError) return [error.httpStatus >= 500 ? 502 : 422, body];
  if (error instanceof TimeoutError) return [504, body];
  if (error instanceof TransportError) return [502, body];
  return [502, body];
}

function send(res, status, body, retryAfterMs) {
  const headers = { 'content-type': 'application/json; charset=utf-8' };
  if (retryAfterMs) headers['retry-after'] = String(Math.ceil(retryAfterMs / 1000));
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  const [, first = '', second] = url.pathname.split('/');
  const route = routes[`${req.method} /${first}`];
  if (route === undefined || (second !== undefined && first !== 'accounts')) {
    send(res, 404, {
      error: { code: 'no_route', message: `no route ${req.method} ${url.pathname}` },
    });
    return;
  }
  try {
    send(res, 200, await route(url, second));
  } catch (error) {
    const [status, body, retryAfterMs] = failure(error);
    send(res, status, body, retryAfterMs);
  }
});

server.listen(PORT, HOST, () => {
  const { port } = server.address();
  console.log(`listening on http://${HOST}:${port}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
