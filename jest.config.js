/** Two projects: the server side runs in node, the pages in jsdom under miniprogram-simulate. */
const tsJest = ['ts-jest', { diagnostics: false }];

module.exports = {
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
