// Baseline: get-account with Node's built-in `fetch` + otplib, as a competent user writes it.
//
// fetch keeps connections alive through its global dispatcher. One login at start-up; per
// request the token, a fresh TOTP code, the fixed headers, the body read as text, fractional
// numbers quoted before JSON.parse so money stays an exact string (JSON.parse alone would round
// 18-digit amounts through a double), `status` checked, the account mapped to a plain object
// with string money.
import { generateSync } from 'otplib';
import { crypto } from '@otplib/plugin-crypto-node';
import { LOGIN_PATH, bearer, loginBody, toAccount, envelopeDetails } from './models.mjs';

export function makeClient({ username, password, totpSecret, baseUrl }) {
  const base = baseUrl.replace(/\/$/, '');
  let authorization;
  return {
    async login() {
      const res = await fetch(`${base}${LOGIN_PATH}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: loginBody(username, password, generateSync({ secret: totpSecret, crypto })),
      });
      authorization = bearer(res.status, await res.text());
    },
    async getAccount(id) {
      const res = await fetch(`${base}/api/v1/customer/accounts/account?Id=${id}`, {
        headers: {
          Authorization: authorization,
          otp: generateSync({ secret: totpSecret, crypto }),
          Accept: 'application/json',
        },
      });
      return toAccount(envelopeDetails(res.status, await res.text()));
    },
    async close() {},
  };
}
