'use strict';

// The native module, through the loader napi-rs generates at the package root (`index.js`),
// which picks the `.node` file for this platform.
module.exports = require('../../index.js');
