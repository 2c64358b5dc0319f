/** The command line of the verbs' engine (scripts/engine/args.ts): verbs, options and bad usage. */
import { parseArgs } from "../../../scripts/engine/args";

describe("arguments", () => {
  test("verbs, stacks and options", async () => {
    const o = parseArgs(["apply", "--yes", "--outdir", "/tmp/x/cdktf.out", "a", "b"]);
    expect([o.verb, o.yes, o.outdir, o.stacks]).toEqual(["apply", true, "/tmp/x/cdktf.out", ["a", "b"]]);
    expect(parseArgs(["destroy", "--no-refresh", "dns", "dns", "app"]).noRefresh.has("dns")).toBe(true);
  });

  test("apply takes --allow-replace ADDRESS, repeatable; plan takes --show", () => {
    const o = parseArgs(["apply", "--allow-replace", "aws_vpc.a", "--allow-replace", "eks:aws_eks_cluster.b", "network"]);
    expect([...o.allowReplace]).toEqual(["aws_vpc.a", "eks:aws_eks_cluster.b"]);
    expect(o.stacks).toEqual(["network"]);
    const p = parseArgs(["plan", "--show", "eks"]);
    expect([p.verb, p.show, p.stacks]).toEqual(["plan", true, ["eks"]]);
  });

  test.each([
    [["deploy", "a"], /unknown verb "deploy"/],
    [["apply"], /name at least one stack/],
    [["apply", "--yse", "a"], /unknown option --yse/],
    [["unlock", "a", "b"], /unlock takes one stack/],
  ])("bad usage %j is refused", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
