// ESLint (flat config): the recommended JavaScript and TypeScript rules, and the type-aware rules
// that catch real bugs here: promises never awaited or handled (a verb that "finishes" before its
// work does), promises where a value is expected, and unused values. Formatting is prettier's.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * Files matching `files` may not import the project's top-level modules or folders named in `above`.
 * They may not use require() either, which no-restricted-imports does not see (the lazy requires
 * belong to main.ts, the scripts and the tests).
 */
function layer(files, above) {
  const patterns = above.flatMap((name) => [`**/${name}`, `**/${name}/**`, `./${name}`, `./${name}/**`]);
  return {
    files,
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: patterns, message: "imports from a higher layer; pass the value as a prop or move the shared name down" }] },
      ],
      "@typescript-eslint/no-require-imports": "error",
    },
  };
}

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", "coverage/", "**/.gen/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: {
        // The benchmark's root-import baseline is outside tsconfig.json (it made tsc read every
        // provider declaration); ESLint reads it with a default project of its own.
        projectService: { allowDefaultProject: ["scripts/bench/root-import-baseline.ts"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
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
  // Layers point one way: lib/ and the dependency-free modules < constructs < settings and pins
  // (config, versions) < stacks < scripts and main.ts. A construct takes what it needs as props;
  // a name or type both sides use lives in the lower layer. Tests may import anything.
  // No code below the tests imports them (the docs generator among the scripts).
  layer(["lib/**/*.ts", "factory-images.ts", "node-capacity.ts"], ["constructs", "stacks", "config", "versions", "scripts", "main", "__tests__"]),
  layer(["constructs/**/*.ts"], ["stacks", "config", "versions", "scripts", "main", "__tests__"]),
  layer(["config/**/*.ts", "versions.ts"], ["stacks", "scripts", "main", "__tests__"]),
  layer(["stacks/**/*.ts"], ["scripts", "main", "__tests__"]),
  // The guardrails read synthesized JSON and the constructs' own constants; the tests and docs use them.
  layer(["guardrails/**/*.ts"], ["stacks", "scripts", "main", "__tests__"]),
  {
    // The entry points (the docs generator among them) may not import the tests either.
    files: ["main.ts", "scripts/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ regex: "__tests__", message: "the scripts may not import the tests" }] }] },
  },
  {
    // The scripts' library serves the entry points beside it (scripts/*.ts), never the reverse.
    files: ["scripts/lib/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^\\.\\./(?!engine/)[^./]", message: "scripts/lib may not import a script (scripts/*.ts); pass what it needs in" },
            { regex: "__tests__", message: "the scripts may not import the tests" },
          ],
        },
      ],
      "@typescript-eslint/no-require-imports": "error",
    },
  },
  {
    // The engine knows Terraform, S3 state and AWS, not this platform: what it needs of the
    // platform is handed in (scripts/engine/platform.ts, bound in scripts/platform-engine.ts).
    files: ["scripts/engine/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^\\.\\./\\.\\./", message: "the engine may not import the platform (config, stacks, pins...); take it from EnginePlatform" },
            { regex: "^\\.\\./(?!lib/aws-cli$)", message: "the engine may import only lib/aws-cli of scripts/; take the rest from EnginePlatform" },
          ],
        },
      ],
      "@typescript-eslint/no-require-imports": "error",
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
