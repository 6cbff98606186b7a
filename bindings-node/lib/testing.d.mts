// ESM view of the `ibanera/testing` declarations (the ESM entry re-exports the CommonJS objects).
import * as testing from './testing.js';

export * from './testing.js';
export default testing;
