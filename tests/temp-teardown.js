module.exports = require('./tempdir').teardown;
