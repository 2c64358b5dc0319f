// ESLint (flat config): the recommended JavaScript and TypeScript rules, and the type-aware rules
// that catch real bugs here: promises never awaited or handled (a verb that "finishes" before its
// work does), promises where a value is expected, and unused values. Formatting is prettier's.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", "coverage/", "**/.gen/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // Typed lazy require() is deliberate: cdktf and the provider bindings load only once they are
      // needed (main.ts after the settings are valid; tests that synthesize on demand).
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    // CommonJS configuration and the tsx loader hook.
    files: ["**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", __dirname: "readonly", process: "readonly", console: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
