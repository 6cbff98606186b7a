// What a competent Node user writes once for both fetch and undici: exact money and the
// envelope check.

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
