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

module.exports = process.env.SLOW_TESTS ? { projects: [slow] } : {
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
