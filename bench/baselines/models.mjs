// What a competent Node user writes once for both fetch and undici: the login, exact money and
// the envelope check. The login (username, password, a fresh TOTP code) answers a bearer token
// that every later call sends as `Authorization: Bearer <token>` next to its own fresh code; a
// benchmark run is far shorter than the token's hour, so the baselines do not renew it.

// A JSON number with a fraction or an exponent, in value position: quoted so JSON.parse keeps
// its exact text (the API sends money as numbers with 18 fractional digits).
const FRACTIONAL = /(:\s*)(-?\d+(?:\.\d+(?:[eE][+-]?\d+)?|[eE][+-]?\d+))(?=\s*[,}\]])/g;

export function parseExact(text) {
  return JSON.parse(text.replace(FRACTIONAL, '$1"$2"'));
}

export class ApiError extends Error {
  constructor(httpStatus, errors) {
    super(`HTTP ${httpStatus}: ${JSON.stringify(errors)}`);
    this.httpStatus = httpStatus;
    this.errors = errors;
  }
}

export const LOGIN_PATH = '/api/v1/public/auth/login';

// The login request's JSON body.
export function loginBody(username, password, otp) {
  return JSON.stringify({ username, password, otp });
}

// The `Authorization` value of every later call, from the login's answer.
export function bearer(httpStatus, text) {
  return `Bearer ${envelopeDetails(httpStatus, text).accessToken}`;
}

export function envelopeDetails(httpStatus, text) {
  const env = parseExact(text);
  if (env.status !== '1' && env.status !== 1) throw new ApiError(httpStatus, env.errors);
  return env.details;
}

// Money as a string (an integer balance arrives unquoted: made a string too).
const money = (v) => (typeof v === 'string' ? v : String(v));

export function toAccount(d) {
  return {
    id: d.id,
    customersId: d.customersId ?? null,
    name: d.name ?? null,
    routingNumber: d.routingNumber ?? null,
    accountNumber: d.accountNumber ?? null,
    swiftCode: d.swiftCode ?? null,
    virtualAccountNumber: d.virtualAccountNumber ?? null,
    reference: d.reference ?? null,
    asset: d.asset == null ? null : d.asset.trim(),
    assetDisplayName: d.assetDisplayName ?? null,
    totalBalance: money(d.totalBalance),
    availableBalance: money(d.availableBalance),
    pendingBalance: money(d.pendingBalance),
    suppressed: Boolean(d.bSuppressed),
    dateAdded: d.dateAdded ?? null,
  };
}
