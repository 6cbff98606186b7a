'use strict';

// The npm package `ibanera`: `require('ibanera')` and `import { Client } from 'ibanera'` (see
// index.mjs) both load this file, so classes are the same objects and `instanceof` works for
// both.

const errors = require('./errors');
const { Client, PagePromise, Recovery, AREAS, SECRETS } = require('./client');
const { Sandbox } = require('./sandbox');
const { Totp } = require('./totp');
const webhooks = require('./webhooks');
const native = require('./native');

module.exports = {
  Client,
  // The area classes (`Accounts`, `Exchanges`, ...), one per area of the core's table.
  ...Object.fromEntries(AREAS.map(({ name, Class }) => [name, Class])),
  // The classes of results whose values are secrets (`SensitiveCardDetails`).
  ...SECRETS,
  PagePromise,
  Recovery,
  Sandbox,
  Totp,
  webhooks,
  IbaneraError: errors.IbaneraError,
  ApiError: errors.ApiError,
  AuthenticationError: errors.AuthenticationError,
  NotFoundError: errors.NotFoundError,
  RateLimitError: errors.RateLimitError,
  ValidationError: errors.ValidationError,
  TransportError: errors.TransportError,
  TimeoutError: errors.TimeoutError,
  DecodeError: errors.DecodeError,
  ResponseLimitError: errors.ResponseLimitError,
  OutcomeUnknownError: errors.OutcomeUnknownError,
  ConfigError: errors.ConfigError,
  SandboxError: errors.SandboxError,
  SignatureVerificationError: errors.SignatureVerificationError,
  VERSION: native.version(),
};
