/** The test run's shared syntheses (synth-cache.ts) give each test file what a synthesis of its own would. */
import { synthPlatform } from "./helpers";
import { SYNTH_CACHE_ENV, sharedSynthDir, variantKey } from "./synth-cache";

function ownSynthesis(env: Record<string, string>) {
  const shared = process.env[SYNTH_CACHE_ENV];
  delete process.env[SYNTH_CACHE_ENV];
  try {
    return synthPlatform(env);
  } finally {
    if (shared !== undefined) process.env[SYNTH_CACHE_ENV] = shared;
  }
}

test("jest's global setup gives the run a shared directory", () => {
  expect(process.env[SYNTH_CACHE_ENV]).toBeTruthy();
});

test("a shared synthesis holds the same JSON as a synthesis of the test file's own", () => {
  synthPlatform();
  expect(sharedSynthDir({})).toBeDefined();
  const shared = synthPlatform();
  const own = ownSynthesis({});
  expect(shared.outdir).toBe(sharedSynthDir({}));
  expect(own.outdir).not.toBe(shared.outdir);
  for (const key of ["state", "network", "eks", "ecr", "cert", "backup", "addons", "app", "dns"] as const) expect(shared[key]).toEqual(own[key]);
});

test("settings variants are never shared with each other, whatever the order of their variables", () => {
  const a = variantKey({ FACTORY_IMAGE_TAG: "v1", FACTORY_NODE_MAX: "7" });
  expect(variantKey({ FACTORY_NODE_MAX: "7", FACTORY_IMAGE_TAG: "v1" })).toBe(a);
  expect(variantKey({ FACTORY_IMAGE_TAG: "v1", FACTORY_NODE_MAX: "8" })).not.toBe(a);
  expect(variantKey({ FACTORY_IMAGE_TAG: "v1" })).not.toBe(a);
  expect(variantKey({})).not.toBe(variantKey({ FACTORY_IMAGE_TAG: "" }));
});

test("the constructs of a shared synthesis are synthesized ones (cross-stack references made the stack dependencies)", () => {
  const { platform } = synthPlatform();
  expect(platform.addons.dependencies).toEqual(expect.arrayContaining([platform.eks, platform.network]));
});
