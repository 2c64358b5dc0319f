/** Unit tests: synthesized Terraform JSON, config, scripts. Type checking is `tsc` in `npm test`. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    // Transpile only (tsconfig isolatedModules); `tsc` checks types once for the whole project.
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  testTimeout: 120000,
};
