/** Every output a stack declares says what it is (terraform-aws-eks requires it of every output). */
import { synthPlatform, TfJson } from "../../helpers";

const json = synthPlatform({ FACTORY_IMAGE_TAG: "v1" });
const stacks = Object.entries(json).filter(([key]) => !["outdir", "platform"].includes(key)) as [string, TfJson][];

test.each(stacks.map(([name, stack]) => [name, stack] as const))("every output of the %s stack has a description", (_name, stack) => {
  // cdktf's own cross-stack outputs (cross-stack-output-*) are plumbing, not the stack's outputs.
  const outputs = Object.entries((stack.output ?? {}) as Record<string, TfJson>).filter(([name]) => !name.startsWith("cross-stack-output-"));
  const missing = outputs.filter(([, o]) => typeof o.description !== "string" || o.description.trim() === "").map(([name]) => name);
  expect(missing).toEqual([]);
});

test("the stacks declare outputs at all (no vacuous pass)", () => {
  const count = stacks.reduce((n, [, s]) => n + Object.keys(s.output ?? {}).filter((k) => !k.startsWith("cross-stack-output-")).length, 0);
  expect(count).toBeGreaterThan(25);
});
