/**
 * The documentation (README.md and docs/*.md) stays true and navigable: every generated block is
 * what its generator writes now, every relative link resolves (file and heading), README.md stays
 * short, and no line outside code blocks and generated tables is too long to read.
 */
import { readFileSync } from "fs";
import * as path from "path";
import {
  BLOCKS,
  ROOT,
  anchorsOf,
  blockText,
  blocksIn,
  brokenLinks,
  docFiles,
  endMarker,
  githubSlug,
  headerSummary,
  proseLines,
  renderBlocks,
  renderVerbs,
  startMarker,
} from "../../scripts/docs";

const MAX_README_LINES = 150;
const MAX_LINE = 200;

const files = docFiles();
const rel = (file: string) => path.relative(ROOT, file);
const read = (file: string) => readFileSync(file, "utf8");

/** The lines longer than MAX_LINE outside code blocks; a generated block's table rows are exempt. */
function longLines(text: string): number[] {
  const generated = new Set<number>();
  let inBlock = false;
  text.split("\n").forEach((line, i) => {
    if (/^<!-- [a-z0-9-]+:start /.test(line)) inBlock = true;
    else if (/^<!-- [a-z0-9-]+:end -->/.test(line)) inBlock = false;
    else if (inBlock && line.startsWith("|")) generated.add(i + 1);
  });
  return proseLines(text)
    .filter(({ line, n }) => line.length > MAX_LINE && !generated.has(n))
    .map(({ n }) => n);
}

test("the pages: README.md and the docs/ pages", () => {
  expect(files.map(rel)).toEqual(expect.arrayContaining(["README.md", "docs/operating.md", "docs/engine.md", "docs/configuration.md"]));
});

describe("every generated block is current (run `npm run docs`)", () => {
  const placed = files.flatMap((file) => blocksIn(read(file)).map((name) => ({ file: rel(file), name })));

  test("every generator's block is in exactly one page, and every block has a generator", () => {
    expect(placed.map((p) => p.name).sort()).toEqual(Object.keys(BLOCKS).sort());
  });

  test.each(placed)("$file: block $name", ({ file, name }) => {
    const text = read(path.join(ROOT, file));
    expect(blockText(text, name)).toBe(BLOCKS[name]());
  });

  test("a stale block is found (negative)", () => {
    const page = `a\n${startMarker("verbs")}\nold text\n${endMarker("verbs")}\nb`;
    const fresh = renderBlocks(page, { verbs: () => "new text" });
    expect(fresh).not.toBe(page);
    expect(blockText(fresh, "verbs")).toBe("new text");
    expect(() => renderBlocks(`${startMarker("nonesuch")}\n${endMarker("nonesuch")}`, {})).toThrow(/block "nonesuch" has no generator/);
  });
});

describe("every relative link resolves", () => {
  test.each(files.map(rel))("%s", (file) => {
    expect(brokenLinks(path.join(ROOT, file), read(path.join(ROOT, file)))).toEqual([]);
  });

  test("a missing file, a missing heading and a missing anchor on the same page are reported (negative)", () => {
    const page = path.join(ROOT, "docs", "in-memory.md");
    const text = [
      "# A page",
      "## Same page",
      "[ok](../README.md#the-stacks) [ok](operating.md) [ok](#same-page) [web](https://example.com/x#y)",
      "[gone](nowhere.md) [bad anchor](operating.md#no-such-heading)",
      "[bad here](#nope) `[in code](nowhere.md)`",
      "```",
      "[in a code block](nowhere-either.md)",
      "```",
    ].join("\n");
    expect(brokenLinks(page, text).map((b) => [b.line, b.target])).toEqual([
      [4, "nowhere.md"],
      [4, "operating.md#no-such-heading"],
      [5, "#nope"],
    ]);
  });

  test("GitHub's heading anchors", () => {
    expect(githubSlug("Runtime: isolation, network policies, rollouts and node scaling")).toBe("runtime-isolation-network-policies-rollouts-and-node-scaling");
    expect(githubSlug("`npm run status`")).toBe("npm-run-status");
    expect(githubSlug("The state bucket's own state")).toBe("the-state-buckets-own-state");
    expect([...anchorsOf("# A\n## Notes\n```\n# not a heading\n```\n## Notes\n")]).toEqual(["a", "notes", "notes-1"]);
  });
});

describe("short README, readable lines", () => {
  test(`README.md has at most ${MAX_README_LINES} lines`, () => {
    expect(read(path.join(ROOT, "README.md")).split("\n").length - 1).toBeLessThanOrEqual(MAX_README_LINES);
  });

  test.each(files.map(rel))(`%s: no line over ${MAX_LINE} characters outside code blocks and generated tables`, (file) => {
    expect(longLines(read(path.join(ROOT, file)))).toEqual([]);
  });

  test("a long line is found; in a code block or a generated table it is not (negative)", () => {
    const long = "x".repeat(MAX_LINE + 1);
    const text = [long, "```", long, "```", startMarker("b"), `| ${long} |`, endMarker("b"), `| ${long} |`].join("\n");
    expect(longLines(text)).toEqual([1, 8]);
  });
});

describe("the verbs table", () => {
  test("a verb is described by the first sentence of its script's header; an alias is not a row of its own", () => {
    const scripts = { a: "scripts/aws/a.sh", b: "scripts/aws/b.sh", synth: "cdktf synth" };
    const sources: Record<string, string> = {
      a: "#!/usr/bin/env bash\n# Does A. More about A\n# on the next line.\nset -e\n",
      b: '#!/usr/bin/env bash\n# b: an alias.\nsource "$(dirname "${BASH_SOURCE[0]}")/a.sh"\n',
    };
    const table = renderVerbs(scripts, (verb) => sources[verb]);
    expect(table).toContain("| `npm run a` (alias `b`) | Does A. |");
    expect(table).not.toContain("| `npm run b`");
    expect(table).toContain("| `npm run synth` |");
    expect(() => renderVerbs({ ...scripts, nonesuch: "tsx x.ts" }, (verb) => sources[verb])).toThrow(
      /SCRIPT_SUMMARIES has no line for npm script\(s\) nonesuch/,
    );
  });

  test("headerSummary", () => {
    expect(headerSummary("#!/bin/sh\n# Is it up? Then more.\n")).toBe("Is it up?");
    expect(headerSummary("#!/bin/sh\n# One (a.b) line, wrapped\n# here. Second.\n")).toBe("One (a.b) line, wrapped here.");
    expect(() => headerSummary("#!/bin/sh\nset -e\n")).toThrow(/no header comment/);
  });
});
