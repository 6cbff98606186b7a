// Callbacks: every vector of tests/vectors/webhooks/ (format in its README) replayed through
// `webhooks.constructEvent` / `constructQuickBuyEvent`. Signatures are computed here with
// node:crypto (never with the SDK): SHA-256 over the body's UTF-8 bytes followed by the
// secret's, in base64 and hex. Each accepted form is accepted, each tampering refused with
// SignatureVerificationError, and the event matches `expect` digit for digit.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import util from 'node:util';
import { describe, test } from 'node:test';

import { ConfigError, DecodeError, SignatureVerificationError, webhooks } from 'ibanera';
import { VECTORS, assertSubset } from './helpers.mjs';

const DIR = join(VECTORS, 'webhooks');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

function digest(body, secret) {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(body, 'utf8'), Buffer.from(secret, 'utf8')]))
    .digest();
}

/** The same text with its character at `i` replaced by another of the same alphabet. */
function changeOne(text, i, alphabet) {
  const c = text[i];
  const other = alphabet[(alphabet.indexOf(c) + 1) % alphabet.length];
  return text.slice(0, i) + other + text.slice(i + 1);
}
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function refused(fn, secretAndSignatures, label) {
  assert.throws(fn, (e) => {
    assert.ok(
      e instanceof SignatureVerificationError,
      `${label}: ${e && e.constructor.name}: ${e && e.message}`,
    );
    assert.equal(e.code, 'signature_verification_error');
    const shown = [e.message, e.stack, util.inspect(e), JSON.stringify(e)].join('\n');
    for (const s of secretAndSignatures) {
      assert.ok(!shown.includes(s), `${label}: the error shows a secret or the expected signature`);
    }
    return true;
  });
}

test('there is a vector for every known callback type and every QuickBuy kind', () => {
  const vectors = files.map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')));
  const types = new Set(vectors.filter((v) => v.kind === 'customer').map((v) => v.expect.type));
  for (const t of webhooks.EVENT_TYPES) assert.ok(types.has(t), `no vector of ${t}`);
  const kinds = new Set(vectors.filter((v) => v.kind === 'quickbuy').map((v) => v.expect.kind));
  assert.deepEqual([...kinds].sort(), ['cryptocurrency_transferred', 'payment_captured', 'widget']);
});

for (const file of files) {
  const v = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
  const customer = v.kind === 'customer';
  const construct = customer ? webhooks.constructEvent : webhooks.constructQuickBuyEvent;
  const header = customer ? 'Webhook-Signature' : 'Quickbuy-Signature';
  const d = digest(v.body_text, v.secret);
  const base64 = d.toString('base64');
  const hex = d.toString('hex');
  const body = Buffer.from(v.body_text, 'utf8');
  const secrets = [v.secret, base64, hex, hex.toUpperCase()];

  describe(file, () => {
    test('accepted: base64 as the header value and in the headers, the body as bytes or text', () => {
      const forms = [
        [body, base64],
        [new Uint8Array(body), base64],
        [v.body_text, base64],
        [body, base64.replace(/=+$/, '')],
        [body, `  ${base64} `],
        [body, { [header]: base64, 'content-type': 'application/json' }],
        [body, { [header.toLowerCase()]: [base64, 'ignored-second-value'] }],
        [body, new Headers({ [header]: base64 })],
        [body, new Map([[header.toUpperCase(), base64]])],
        [
          body,
          [
            ['Host', 'x'],
            [header, base64],
          ],
        ],
        [body, ['Host', 'x', header, base64]],
      ];
      for (const [n, [payload, signature]] of forms.entries()) {
        const event = construct(payload, signature, v.secret);
        assertSubset(event, v.expect, `${file} form ${n}`);
      }
    });

    if (customer) {
      test('accepted: hex, lower and upper case', () => {
        assertSubset(construct(body, hex, v.secret), v.expect);
        assertSubset(construct(body, { [header]: hex.toUpperCase() }, v.secret), v.expect);
      });
    } else {
      test('refused: hex (QuickBuy signs in base64 only)', () => {
        refused(() => construct(body, hex, v.secret), secrets, 'hex');
      });
    }

    test('refused: a byte of the body, a character of the signature, the secret, no signature', () => {
      const tampered = Buffer.from(body);
      tampered[tampered.length >> 1] ^= 0x01;
      refused(() => construct(tampered, base64, v.secret), secrets, 'tampered body');
      refused(() => construct(v.body_text + ' ', base64, v.secret), secrets, 'added byte');
      refused(
        () => construct(body, changeOne(base64, 0, BASE64), v.secret),
        secrets,
        'tampered signature',
      );
      refused(
        () => construct(body, changeOne(hex, 5, '0123456789abcdef'), v.secret),
        secrets,
        'tampered hex',
      );
      refused(() => construct(body, base64, `${v.secret}x`), secrets, 'wrong secret');
      refused(() => construct(body, '', v.secret), secrets, 'empty signature');
      refused(
        () => construct(body, { 'content-type': 'application/json' }, v.secret),
        secrets,
        'no header',
      );
      refused(
        () => construct(body, { [header]: [] }, v.secret),
        secrets,
        'an empty list of values',
      );
      assert.throws(() => construct(body, base64, ''), ConfigError);
    });

    test('the event matches expect digit for digit, and survives JSON', () => {
      const event = construct(body, base64, v.secret);
      assertSubset(event, v.expect);
      assertSubset(JSON.parse(JSON.stringify(event)), v.expect);
      if (customer) {
        assert.equal(webhooks.isKnown(event), webhooks.EVENT_TYPES.includes(v.expect.type));
      }
    });
  });
}

test('an unknown type is kept: isKnown is false and data is the payload as received', () => {
  const v = JSON.parse(readFileSync(join(DIR, 'customer.unknown_type.json'), 'utf8'));
  const sig = digest(v.body_text, v.secret).toString('base64');
  const event = webhooks.constructEvent(v.body_text, sig, v.secret);
  assert.equal(webhooks.isKnown(event), false);
  assert.deepEqual(event.data, { CardsId: 77, Amount: '10.50', Reason: 'Lost' });
});

test('a body that is not a callback is a DecodeError; misuse is a TypeError', () => {
  const secret = 's3cret';
  const sign = (text) => digest(text, secret).toString('base64');
  for (const text of ['not json', '[1,2]', '{"Id":"x","Data":{}}']) {
    assert.throws(() => webhooks.constructEvent(text, sign(text), secret), DecodeError, text);
  }
  assert.throws(
    () => webhooks.constructQuickBuyEvent('{"x":1}', sign('{"x":1}'), secret),
    DecodeError,
  );
  // An already parsed body: the bytes the signature is over are gone.
  assert.throws(
    () => webhooks.constructEvent({ Id: 'x' }, 'sig', secret),
    (e) => e instanceof TypeError && /raw body/.test(e.message) && /express\.raw/.test(e.message),
  );
  assert.throws(() => webhooks.constructEvent('{}', 42, secret), TypeError);
  assert.throws(() => webhooks.constructEvent('{}', 'sig', undefined), TypeError);
  assert.throws(
    () => webhooks.constructEvent('{}', { [webhooks.SIGNATURE_HEADER]: 7 }, secret),
    TypeError,
  );
});
