// Baseline: get-account with `undici.request` + otplib, as a competent user writes it.
//
// One undici Agent that keeps up to 64 connections per origin alive (as many as requests in
// flight). One login at start-up; per request the token, a fresh TOTP code, the fixed headers,
// exact money (see models.mjs), `status` checked, the account mapped to a plain object with
// string money.
import { Agent, request } from 'undici';
import { generateSync } from 'otplib';
import { crypto } from '@otplib/plugin-crypto-node';
import { LOGIN_PATH, bearer, loginBody, toAccount, envelopeDetails } from './models.mjs';

export function makeClient({ username, password, totpSecret, baseUrl, maxInFlight = 64 }) {
  const base = baseUrl.replace(/\/$/, '');
  const dispatcher = new Agent({ connections: maxInFlight, keepAliveTimeout: 60_000 });
  let authorization;
  return {
    async login() {
      const { statusCode, body } = await request(`${base}${LOGIN_PATH}`, {
        dispatcher,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: loginBody(username, password, generateSync({ secret: totpSecret, crypto })),
      });
      authorization = bearer(statusCode, await body.text());
    },
    async getAccount(id) {
      const { statusCode, body } = await request(
        `${base}/api/v1/customer/accounts/account?Id=${id}`,
        {
          dispatcher,
          headers: {
            Authorization: authorization,
            otp: generateSync({ secret: totpSecret, crypto }),
            Accept: 'application/json',
          },
        },
      );
      return toAccount(envelopeDetails(statusCode, await body.text()));
    },
    async close() {
      await dispatcher.close();
    },
  };
}
