/** Jest runs the TypeScript sources as ESM against a real Temporal dev server and a real PostgreSQL. */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  testTimeout: 60_000,
  // The Temporal native runtime keeps a handle open after the last test (sdk-typescript#928).
  forceExit: true,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.mjs'],
};
