/**
 * Unit tests (`npm run test:unit`): synthesized Terraform JSON, config, scripts with stand-ins.
 * Type checking is `tsc` in `npm run test:unit`. The real-Terraform checks in __tests__/terraform/
 * are their own tier (jest.terraform.config.js, `npm run test:terraform`).
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/__tests__/terraform/"],
  transform: {
    // Transpile only (tsconfig isolatedModules); `tsc` checks types once for the whole project.
    // Measured against an esbuild transform: no difference in the suite's wall time (both ~56 s
    // cold), so the transform stays the one the jest ecosystem expects.
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // One synthesis of each settings variant per run, shared by the test files (synth-cache.ts).
  globalSetup: "<rootDir>/__tests__/synth-cache-setup.ts",
  globalTeardown: "<rootDir>/__tests__/synth-cache-teardown.ts",
  // Jest's default is a worker per core but one; on 2 cores that is one, in band: half the machine
  // idle, and one process that keeps every test file's modules (2 GB by the end). A worker per core,
  // each replaced once it holds more than the limit after a test file, keeps the cores busy and the
  // peak under 1.2 GB (`npm run bench -- --unit` measures both).
  maxWorkers: "100%",
  workerIdleMemoryLimit: "700MB",
  testTimeout: 120000,
};
