// The shared vectors (tests/vectors/*.json) replayed through the Node package: each response
// body is served verbatim by a local node:http server; the recorded request must equal the
// vector's `request` (numbers compared as text) and the result must match `expect` digit for
// digit. `invalid_calls` must fail locally with a ValidationError naming the field in
// camelCase, with nothing sent.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import { ApiError, Client, ValidationError } from 'ibanera';
import {
  Num,
  assertLosslessEqual,
  assertSubset,
  camel,
  camelArgs,
  parseLossless,
  plain,
  rejectsWith,
  vectors,
} from './helpers.mjs';

// A bearer token obtained elsewhere: the local server has no login endpoint.
const TOKEN = 'vector-access-token';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

let server;
let client;
let reply = { status: 200, body: '{}' };
const seen = [];

before(async () => {
  server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method,
        url: new URL(req.url, 'http://x'),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(reply.body);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  client = new Client({
    accessToken: TOKEN,
    totpSecret: SECRET,
    baseUrl: `http://127.0.0.1:${port}`,
    maxRetries: 0,
  });
});

after(() => new Promise((r) => server.close(r)));

function method(name) {
  const [area, m] = name.split('.');
  return (args) => client[area][camel(m)](args);
}

const all = vectors();

test('there is a vector for each of the 16 endpoints', () => {
  assert.equal(all.length, 16);
});

for (const v of all) {
  describe(v.endpoint, () => {
    const args = camelArgs(plain(v.call.args));
    const call = method(v.endpoint);

    for (const r of v.responses) {
      test(`${r.name}: request sent as the vector says, response decoded`, async () => {
        seen.length = 0;
        reply = { status: Number(r.http_status.text), body: r.body_text };
        let result;
        let error;
        try {
          result = await call(args);
        } catch (e) {
          error = e;
        }
        assert.equal(seen.length, 1, 'exactly one request');
        const req = seen[0];
        assert.equal(req.method, v.request.method);
        assert.equal(req.url.pathname, v.request.path);
        assert.deepEqual([...req.url.searchParams.entries()], v.request.query);
        assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
        assert.match(req.headers.otp, /^\d{6}$/);
        assert.equal(req.headers.accept, 'application/json');
        assert.match(req.headers['user-agent'], /^ibanera-rust\/\S+ ibanera-node\/\S+$/);
        if (v.request.body === null) {
          assert.equal(req.body, '');
        } else {
          assert.equal(req.headers['content-type'], 'application/json');
          assertLosslessEqual(parseLossless(req.body), v.request.body);
        }
        if (r.expect !== undefined) {
          assert.equal(error, undefined, `unexpected error: ${error && error.message}`);
          assertSubset(result, r.expect);
          // What a web server would send on is the same data.
          assertSubset(JSON.parse(JSON.stringify(result)), r.expect);
        } else {
          assert.ok(
            error instanceof ApiError,
            `expected an ApiError, got ${error && error.message}`,
          );
          assert.equal(error.httpStatus, Number(r.expect_error.http_status.text));
          assert.deepEqual(
            error.errors,
            r.expect_error.errors.map((e) => ({
              errorType: e.errorType ?? null,
              fieldName: e.fieldName ?? null,
              messageCode: e.messageCode,
            })),
          );
          assert.equal(error.endpoint, `${v.request.method} ${v.request.path}`);
          // expect_details (details carried by a failure envelope) are not exposed by the core's
          // error type, so there is nothing to compare them with here.
        }
      });
    }

    for (const [n, bad] of (v.invalid_calls ?? []).entries()) {
      test(`invalid call ${n + 1} (${bad.note}): ValidationError on ${camel(bad.field)}, nothing sent`, async () => {
        seen.length = 0;
        const e = await rejectsWith(call(camelArgs(plain(bad.args))), ValidationError);
        assert.equal(e.field, camel(bad.field));
        assert.equal(e.code, 'validation_error');
        assert.equal(e.httpStatus, null);
        assert.match(e.message, /nothing was sent/);
        assert.equal(seen.length, 0, 'nothing reached the server');
      });
    }
  });
}

test('money in the vectors keeps its digits when passed as strings (no Num leaks)', () => {
  for (const v of all) {
    for (const value of Object.values(plain(v.call.args))) {
      assert.ok(!(value instanceof Num));
    }
  }
});
