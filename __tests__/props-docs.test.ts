/**
 * The props of every construct and stack are documented where they are declared: each field of an
 * exported `...Props` interface has a doc comment, an optional field's doc states its default with
 * `@default`, and every field is readonly. The files are found by walking the source folders, so a
 * file that moves is still checked; a field inherited through `extends` is checked where declared.
 */
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
/** The folders walked, relative to the project root. */
const SCANNED = ["constructs", "stacks", "config", "lib", "guardrails"];

type Problem = "missing doc" | "missing @default" | "not readonly";

interface Finding {
  readonly interfaceName: string;
  readonly field: string;
  readonly problem: Problem;
}

interface PropsInterface {
  readonly name: string;
  readonly fields: number;
}

/** One line a reader can act on: `constructs/eks-cluster.ts: EksClusterProps.clusterName: missing doc`. */
function line(file: string, f: Finding): string {
  return `${file}: ${f.interfaceName}.${f.field}: ${f.problem}`;
}

/** Every .ts file under `entry` (a folder, walked) or `entry` itself; tests, declarations and dependencies are skipped. */
function tsFiles(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!entry.endsWith(".ts")) {
    return readdirSync(full, { withFileTypes: true }).flatMap((d) => {
      const rel = path.posix.join(entry, d.name);
      if (d.isDirectory()) return d.name === "node_modules" || d.name === "__tests__" || d.name.startsWith(".") ? [] : tsFiles(rel);
      return d.isFile() && d.name.endsWith(".ts") && !d.name.endsWith(".d.ts") ? [rel] : [];
    });
  }
  return [entry];
}

function isExported(node: ts.InterfaceDeclaration): boolean {
  return (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export) !== 0;
}

function memberName(member: ts.TypeElement, sf: ts.SourceFile): string {
  return member.name ? member.name.getText(sf) : member.getText(sf).split(":")[0].trim();
}

/** The exported `...Props` interfaces of one source text and what is missing from their fields. */
function checkPropsSource(fileName: string, text: string): { interfaces: PropsInterface[]; findings: Finding[] } {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const interfaces: PropsInterface[] = [];
  const findings: Finding[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isInterfaceDeclaration(node) && node.name.text.endsWith("Props") && isExported(node)) {
      interfaces.push({ name: node.name.text, fields: node.members.length });
      for (const member of node.members) {
        const field = memberName(member, sf);
        const report = (problem: Problem) => findings.push({ interfaceName: node.name.text, field, problem });
        const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
        if (!docs.some((d) => (ts.getTextOfJSDocComment(d.comment) ?? "").trim() !== "")) report("missing doc");
        const optional = (ts.isPropertySignature(member) || ts.isMethodSignature(member)) && member.questionToken !== undefined;
        const defaults = ts.getJSDocTags(member).filter((t) => t.tagName.text === "default");
        if (optional && !defaults.some((t) => (ts.getTextOfJSDocComment(t.comment) ?? "").trim() !== "")) report("missing @default");
        const readonly = ts.canHaveModifiers(member) && (ts.getModifiers(member) ?? []).some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword);
        if (!readonly) report("not readonly");
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { interfaces, findings };
}

const scanned = SCANNED.flatMap(tsFiles)
  .sort()
  .map((file) => ({ file, ...checkPropsSource(file, readFileSync(path.join(ROOT, file), "utf8")) }));

/** Every finding of one kind across the scanned files, one line each. */
function failures(problem: Problem): string[] {
  return scanned.flatMap(({ file, findings }) => findings.filter((f) => f.problem === problem).map((f) => line(file, f)));
}

test("the scan walks the source folders and finds the construct and stack props", () => {
  const files = scanned.map((s) => s.file);
  const names = scanned.flatMap((s) => s.interfaces.map((i) => i.name));
  expect(files.some((f) => f.startsWith("constructs/") && f.split("/").length > 2)).toBe(true); // a nested folder is walked
  expect(files).toContain("config/index.ts");
  expect(names).toEqual(expect.arrayContaining(["EksClusterProps", "PlatformStackProps"]));
  expect(scanned.flatMap((s) => s.interfaces).reduce((n, i) => n + i.fields, 0)).toBeGreaterThan(100);
});

test("every field of an exported Props interface has a doc comment", () => {
  expect(failures("missing doc")).toEqual([]);
});

test("every optional field's doc states its default with @default", () => {
  expect(failures("missing @default")).toEqual([]);
});

test("every field of an exported Props interface is readonly", () => {
  expect(failures("not readonly")).toEqual([]);
});

test("the checker catches a missing comment, a missing @default and a field that is not readonly", () => {
  const source = [
    "export interface SampleProps {",
    "  readonly undocumented: string;",
    "  /** Documented, optional, with no default stated. */",
    "  readonly noDefault?: number;",
    "  /** Documented but writable. */",
    "  writable: string;",
    "  /** Documented, optional, with its default. @default 2 */",
    "  readonly good?: number;",
    "  /**",
    "   * Documented on several lines.",
    '   * @default "x"',
    "   */",
    "  readonly alsoGood?: string;",
    "}",
    "/** Not exported: not checked. */",
    "interface HiddenProps { loose?: string }",
    "/** Not named ...Props: not checked. */",
    "export interface Settings { loose?: string }",
  ].join("\n");
  const { interfaces, findings } = checkPropsSource("sample.ts", source);
  expect(interfaces.map((i) => i.name)).toEqual(["SampleProps"]);
  expect(findings.map((f) => line("sample.ts", f))).toEqual([
    "sample.ts: SampleProps.undocumented: missing doc",
    "sample.ts: SampleProps.noDefault: missing @default",
    "sample.ts: SampleProps.writable: not readonly",
  ]);
  // A comment that is only a tag does not say what the field is; an empty @default states nothing.
  const bare = checkPropsSource(
    "bare.ts",
    "export interface BareProps {\n  /** @default 1 */\n  readonly a?: number;\n  /** The b. @default */\n  readonly b?: number;\n}",
  );
  expect(bare.findings.map((f) => line("bare.ts", f))).toEqual(["bare.ts: BareProps.a: missing doc", "bare.ts: BareProps.b: missing @default"]);
});
