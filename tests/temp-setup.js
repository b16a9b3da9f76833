module.exports = require('./tempdir').setup;
