// Baseline: get-account with `undici.request` + otplib, as a competent user writes it.
//
// One undici Agent that keeps up to 64 connections per origin alive (as many as requests in
// flight). Per request: a fresh TOTP code, the fixed headers, exact money (see models.mjs),
// `status` checked, the account mapped to a plain object with string money.
import { Agent, request } from 'undici';
import { generateSync } from 'otplib';
import { crypto } from '@otplib/plugin-crypto-node';
import { toAccount, envelopeDetails } from './models.mjs';

export function makeClient({ apiKey, totpSecret, baseUrl, maxInFlight = 64 }) {
  const base = baseUrl.replace(/\/$/, '');
  const dispatcher = new Agent({ connections: maxInFlight, keepAliveTimeout: 60_000 });
  return {
    async getAccount(id) {
      const { statusCode, body } = await request(
        `${base}/api/v1/customer/accounts/account?Id=${id}`,
        {
          dispatcher,
          headers: {
            Authorization: apiKey,
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
