/**
 * Construct ids are Terraform addresses: renaming a construct would destroy and recreate what it
 * stands for. The synthesized addresses of every stack (resources and data sources, with the
 * spec's defaults and an image tag) must stay those recorded in fixtures/addresses.json. A change
 * that adds or removes resources on purpose updates the file with
 *   FACTORY_UPDATE_ADDRESSES=1 npx jest __tests__/stacks/platform/addresses.test.ts
 * and the diff of the file is then part of the review.
 */
import { readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { synthPlatform, TfJson } from "../../helpers";

const FIXTURE = path.join(__dirname, "..", "..", "fixtures", "addresses.json");
const json = synthPlatform({ FACTORY_IMAGE_TAG: "v1" });

function addresses(stack: TfJson): string[] {
  const out: string[] = [];
  for (const kind of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries((stack[kind] ?? {}) as Record<string, object>)) {
      for (const name of Object.keys(byName)) out.push(`${kind === "data" ? "data." : ""}${type}.${name}`);
    }
  }
  return out.sort();
}

const actual = Object.fromEntries(
  Object.entries(json)
    .filter(([key]) => !["outdir", "platform"].includes(key))
    .map(([key, stack]) => [key, addresses(stack as TfJson)]),
);

if (process.env.FACTORY_UPDATE_ADDRESSES) writeFileSync(FIXTURE, `${JSON.stringify(actual, null, 2)}\n`);
const recorded = JSON.parse(readFileSync(FIXTURE, "utf8")) as Record<string, string[]>;

test.each(Object.keys(recorded))("the %s stack's addresses are the recorded ones (no construct renamed)", (stack) => {
  expect(actual[stack]).toEqual(recorded[stack]);
});

test("every stack is recorded", () => {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(recorded).sort());
});
