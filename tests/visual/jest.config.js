/** Visual check only (see docs/visual-check.md); not part of `npm test`. */
module.exports = {
  rootDir: '../..',
  displayName: 'visual',
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/tests/visual'],
  testMatch: ['**/*.visual.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
