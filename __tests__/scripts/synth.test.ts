/** When the engine's synth is skipped (scripts/lib/synth.ts): the key of the code and the settings. */
import { mkdtempSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { synthKey } from "../../scripts/lib/synth";

describe("synth reuse", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "synth-key-"));
  writeFileSync(path.join(root, "main.ts"), "app");
  writeFileSync(path.join(root, "versions.yaml"), "a: 1");

  test("the same code and settings give the same key (the synth is skipped)", () => {
    expect(synthKey({ FACTORY_NODE_MIN: "2", PATH: "/x" }, root)).toBe(synthKey({ FACTORY_NODE_MIN: "2", PATH: "/y", FACTORY_RESULT_FILE: "/tmp/r" }, root));
  });

  test("a changed setting, an added setting or a changed file gives another key (the synth runs)", () => {
    const before = synthKey({ FACTORY_NODE_MIN: "2" }, root);
    expect(synthKey({ FACTORY_NODE_MIN: "3" }, root)).not.toBe(before);
    expect(synthKey({ FACTORY_NODE_MIN: "2", FACTORY_IMAGE_TAG: "abc" }, root)).not.toBe(before);
    writeFileSync(path.join(root, "versions.yaml"), "a: 2");
    expect(synthKey({ FACTORY_NODE_MIN: "2" }, root)).not.toBe(before);
  });
});
