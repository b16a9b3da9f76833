/** Two projects: the server side runs in node, the pages in jsdom under miniprogram-simulate. */
const tsJest = ['ts-jest', { diagnostics: false }];

/** `npm run test:slow` runs the fault and load runs, which need a real gateway process. */
const slow = {
  displayName: 'slow',
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/slow'],
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

/** Each run works in a temporary folder of its own and fails if a test leaves anything in it (tests/tempdir.js). */
const temp = { globalSetup: '<rootDir>/tests/temp-setup.js', globalTeardown: '<rootDir>/tests/temp-teardown.js' };

module.exports = process.env.SLOW_TESTS ? { ...temp, projects: [slow] } : {
  ...temp,
  projects: [
    {
      displayName: 'server',
      testEnvironment: 'node',
      roots: ['<rootDir>/tests/server'],
      transform: { '^.+\\.ts$': tsJest },
      moduleFileExtensions: ['ts', 'js', 'json'],
    },
    {
      displayName: 'pages',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/tests/pages'],
      transform: { '^.+\\.ts$': tsJest },
      moduleFileExtensions: ['ts', 'js', 'json'],
    },
  ],
};
