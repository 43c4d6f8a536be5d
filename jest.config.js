/**
 * Jest runs TypeScript through ts-jest without type-checking: tsconfig.json sets
 * `isolatedModules`, so each file is only transpiled. `npm run typecheck` (tsc --noEmit)
 * is the single type-check step of `npm test`.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/harness/setup.ts"],
  // Once per run: a temporary directory of the run's own, and whether terraform can run.
  globalSetup: "<rootDir>/__tests__/harness/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/harness/global-teardown.ts",
  // The terraform rungs spend their time in child processes; two workers keep both cores busy.
  maxWorkers: 2,
  testTimeout: 120000,
};
