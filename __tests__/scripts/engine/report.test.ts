/** The verdict of an apply or destroy (scripts/engine/report.ts): its exit code from the stacks' outcomes. */
import { report } from "../../../scripts/engine/report";

describe("the verdict of an apply stopped by the guard", () => {
  const quiet = <T>(f: () => T): T => {
    const write = process.stderr.write;
    process.stderr.write = (() => true) as never;
    try {
      return f();
    } finally {
      process.stderr.write = write;
    }
  };
  const blockedNetwork = { stack: "network", ok: false, blocked: true, text: "stopped by the guard: ..." };

  test("nothing changed anywhere: exit 2, like a prerequisite", () => {
    expect(
      quiet(() =>
        report("apply", [
          { stack: "state", ok: true, text: "no changes" },
          blockedNetwork,
          { stack: "eks", ok: false, text: "not started (an earlier stack failed)" },
        ]),
      ),
    ).toBe(2);
  });

  test("another stack was applied meanwhile: exit 1", () => {
    expect(
      quiet(() => report("apply", [{ stack: "ecr", ok: true, changed: true, text: "applied: 0 added, 1 changed, 0 destroyed in 3 s" }, blockedNetwork])),
    ).toBe(1);
  });
});
