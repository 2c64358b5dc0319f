/**
 * npm run check-versions (scripts/lib/version-check.ts): what AWS recommends against the pins, per
 * Kubernetes minor. The e2e runs it against the local AWS API; here AWS's answers are stand-ins.
 */
import { AwsCli, AwsCliError } from "../../../scripts/lib/aws-cli";
import { amiReleaseParameter, checkMinor, compareVersions, formatFindings, verdict } from "../../../scripts/lib/version-check";

/** SSM's recommended release per minor and describe-addon-versions' default per add-on and minor. */
function fakeAws(ami: Record<string, string>, defaults: Record<string, Record<string, string>>): AwsCli {
  return {
    async jsonAsync(args: readonly string[]) {
      if (args[0] === "ssm") {
        const minor = Object.keys(ami).find((m) => args.includes(amiReleaseParameter(m)));
        if (!minor) throw new AwsCliError(args, 254, "An error occurred (ParameterNotFound) when calling the GetParameter operation");
        return ami[minor];
      }
      const k8s = args[args.indexOf("--kubernetes-version") + 1];
      return {
        addons: Object.entries(defaults).map(([name, byMinor]) => ({
          addonName: name,
          addonVersions: [{ addonVersion: byMinor[k8s], compatibilities: [{ clusterVersion: k8s, defaultVersion: true }] }],
        })),
      };
    },
  } as unknown as AwsCli;
}

test("versions order by each number in turn: eksbuild and AMI build dates alike", () => {
  expect(compareVersions("v1.14.3-eksbuild.3", "v1.13.2-eksbuild.11")).toBeGreaterThan(0);
  expect(compareVersions("v1.22.3-eksbuild.10", "v1.22.3-eksbuild.9")).toBeGreaterThan(0);
  expect(compareVersions("1.35.7-20260930", "1.35.7-20260827")).toBeGreaterThan(0);
  expect(compareVersions("1.35.7-20260827", "1.35.7-20260827")).toBe(0);
});

test("a recommendation newer than the pin is 'newer'; equal or older is 'current'; no pin or no recommendation says so", () => {
  expect(verdict("1.35.7-20260827", "1.35.8-20261105")).toBe("newer");
  expect(verdict("1.35.8-20261105", "1.35.7-20260827")).toBe("current");
  expect(verdict(undefined, "1.34.9-20261105")).toBe("unpinned");
  expect(verdict("1.34.9-20261105", undefined)).toBe("unknown");
});

test("one minor: the AMI release and every add-on checked, the newer ones named on the last line", async () => {
  const aws = fakeAws({ "1.35": "1.35.8-20261105" }, { coredns: { "1.35": "v1.14.3-eksbuild.3" }, "vpc-cni": { "1.35": "v1.22.3-eksbuild.1" } });
  const findings = await checkMinor(aws, "1.35", {
    amiRelease: "1.35.7-20260827",
    addons: { coredns: "v1.13.2-eksbuild.11", "vpc-cni": "v1.22.3-eksbuild.1" },
  });
  expect(findings.map((f) => [f.what, f.verdict])).toEqual([
    ["node AMI (AL2023 x86_64 standard)", "newer"],
    ["add-on coredns", "newer"],
    ["add-on vpc-cni", "current"],
  ]);
  const text = formatFindings(findings);
  expect(text.split("\n").pop()).toBe(
    "check-versions: 2 newer than pinned: 1.35 node AMI (AL2023 x86_64 standard) 1.35.8-20261105, 1.35 add-on coredns v1.14.3-eksbuild.3",
  );
  expect(text).toMatch(/^1\.35 node AMI \(AL2023 x86_64 standard\) +1\.35\.7-20260827 +NEWER: AWS recommends 1\.35\.8-20261105/m);
});

test("a minor AWS has no AMI parameter for is reported, not an error; all current says so last", async () => {
  const findings = await checkMinor(fakeAws({}, { coredns: { "1.34": "v1.13.2-eksbuild.11" } }), "1.34", {
    amiRelease: undefined,
    addons: { coredns: "v1.13.2-eksbuild.11" },
  });
  expect(findings.map((f) => f.verdict)).toEqual(["unknown", "current"]);
  expect(formatFindings(findings).split("\n").pop()).toBe("check-versions: every pin is at or above what AWS recommends");
});

test("any other AWS error is not swallowed", async () => {
  const aws = {
    async jsonAsync(args: readonly string[]) {
      throw new AwsCliError(args, 255, "Could not connect to the endpoint URL");
    },
  } as unknown as AwsCli;
  await expect(checkMinor(aws, "1.35", { amiRelease: "1.35.7-20260827", addons: {} })).rejects.toThrow("Could not connect");
});
