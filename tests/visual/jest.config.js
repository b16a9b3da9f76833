/** Visual check only (see docs/visual-check.md); not part of `npm test`. */
module.exports = {
  rootDir: '../..',
  displayName: 'visual',
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/tests/visual'],
  testMatch: ['**/*.visual.ts'],
  // The first scenario compiles every template with wcc (and, on a fresh clone, waits for pack-npm): ~10 s on a busy machine.
  testTimeout: 120000,
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
