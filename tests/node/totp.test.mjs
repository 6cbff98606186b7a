// Totp: the core's RFC 6238 generator, and the same codes the sandbox accepts.
import assert from 'node:assert/strict';
import util from 'node:util';
import { test } from 'node:test';

import { ConfigError, Sandbox, Totp } from 'ibanera';

// RFC 6238 appendix B (SHA-1): the ASCII secret 12345678901234567890, 8 digits.
const RFC = 'otpauth://totp/rfc?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8';

test('RFC 6238 test vectors', () => {
  const t = new Totp(RFC);
  assert.equal(t.digits, 8);
  assert.equal(t.step, 30);
  assert.equal(t.algorithm, 'SHA1');
  assert.equal(t.at(59), '94287082');
  assert.equal(t.at(1111111109), '07081804');
  assert.equal(t.at(1234567890), '89005924');
  assert.equal(t.at(new Date(2000000000 * 1000)), '69279037');
});

test('now, secondsLeft, verify; secrets in any case with spaces', () => {
  const t = new Totp('jbsw y3dp ehpk 3pxp');
  const code = t.now();
  assert.match(code, /^\d{6}$/);
  assert.equal(code, new Totp('JBSWY3DPEHPK3PXP').now());
  const left = t.secondsLeft();
  assert.ok(left >= 1 && left <= 30, `${left}`);
  assert.ok(t.verify(code));
  assert.ok(!t.verify('12345'));
  assert.equal(util.inspect(t), "Totp { algorithm: 'SHA1', digits: 6, step: 30 }");
});

test('bad secrets are ConfigErrors', () => {
  assert.throws(() => new Totp('not base32!'), ConfigError);
  assert.throws(() => new Totp('JBSWY3DP'), ConfigError); // 40 bits
  assert.throws(() => new Totp(42), ConfigError);
});

test('the sandbox accepts Totp codes (a hand-made login and request)', async () => {
  const sandbox = await Sandbox.start();
  try {
    const totp = new Totp(sandbox.totpSecret);
    const login = await fetch(`${sandbox.baseUrl}/api/v1/public/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: sandbox.username,
        password: sandbox.password,
        otp: totp.now(),
      }),
    });
    assert.equal(login.status, 200);
    const { details } = await login.json();
    const res = await fetch(`${sandbox.baseUrl}/api/v1/customer/accounts/balances`, {
      headers: { Authorization: `Bearer ${details.accessToken}`, otp: totp.now() },
    });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.status, '1');
  } finally {
    await sandbox.close();
  }
});
