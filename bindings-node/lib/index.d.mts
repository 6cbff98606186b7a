// ESM view of the same declarations (the ESM entry re-exports the CommonJS objects).
import * as ibanera from './index.js';

export * from './index.js';
export default ibanera;
