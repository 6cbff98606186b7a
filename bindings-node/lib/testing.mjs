// ESM entry of `ibanera/testing`: the same functions as the CommonJS entry (and through it the
// same Sandbox class as `ibanera`).
import testing from './testing.js';

export const { useSandbox, withSandbox, sandboxFixture } = testing;

export default testing;
