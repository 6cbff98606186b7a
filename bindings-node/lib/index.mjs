// ESM entry: the same objects as the CommonJS entry (one copy of every class, so `instanceof`
// holds whichever way a module imported the package).
import ibanera from './index.js';

export const {
  Client,
  Accounts,
  Exchanges,
  PagePromise,
  Sandbox,
  Totp,
  webhooks,
  IbaneraError,
  ApiError,
  AuthenticationError,
  NotFoundError,
  RateLimitError,
  ValidationError,
  TransportError,
  TimeoutError,
  DecodeError,
  ResponseLimitError,
  OutcomeUnknownError,
  ConfigError,
  SandboxError,
  SignatureVerificationError,
  VERSION,
} = ibanera;

export default ibanera;
