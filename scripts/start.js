#!/usr/bin/env node
/** npm start: bundle the gateway (a second) and run it. PORT and DATA_DIR as in the README. */
const { bundleGateway } = require('./bundle');

bundleGateway()
  .then((file) => require(file))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
