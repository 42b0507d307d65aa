/** Tests are TypeScript ESM, transpiled by ts-jest (type-checking is `npm run typecheck`). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  // Only what tests import is crawled: not test-codex/node_modules (1 GB of Codex builds, run as
  // child processes), dist/ or bench/.
  roots: ['<rootDir>/__tests__', '<rootDir>/src'],
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testTimeout: 60000,
  // Real codex binaries and child processes: keep worker count to the machine.
  maxWorkers: '50%',
};
