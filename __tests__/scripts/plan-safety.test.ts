/**
 * The plan-safety rehearsal's verdicts (scripts/plan-safety.ts) and its table of routine changes
 * (scripts/lib/routine-changes.ts). The e2e runs the rehearsal on the platform it deployed; here the
 * plans are shaped as `terraform show -json` gives them, and the changes are synthesized.
 */
import { Testing } from "cdktf";
import { loadConfig } from "../../config";
import { Plan } from "../../scripts/engine/adopt";
import { laterAmiRelease, ROUTINE_CHANGES, RoutineChange } from "../../scripts/lib/routine-changes";
import { judge, table } from "../../scripts/plan-safety";
import { buildPlatform } from "../../stacks/platform";
import { atTerraformPath } from "../helpers";

const change = (c: Partial<RoutineChange> = {}): RoutineChange => ({ name: "x", stacks: ["eks"], settings: () => ({}), ...c });
const rc = (address: string, actions: string[]) => ({ address, type: address.split(".")[0], mode: "managed", change: { actions } });
const plan = (...changes: ReturnType<typeof rc>[]) => [{ stack: "eks", plan: { resource_changes: changes } as unknown as Plan }];
const byName = (name: string) => ROUTINE_CHANGES.find((c) => c.name === name)!;

describe("plan-safety verdicts", () => {
  test("an empty plan fails: it proves nothing", () => {
    const v = judge(change(), plan(rc("aws_vpc.a", ["no-op"])));
    expect(v.ok).toBe(false);
    expect(v.verdict).toMatch(/^EMPTY/);
  });

  test("the pending code change: an empty plan is the in-sync answer; a plan of changes is judged like any other", () => {
    const pending = byName("pending code change");
    expect(pending.settings(loadConfig({ FACTORY_AWS_PROFILE: "" }))).toEqual({});
    expect(judge(pending, plan(rc("aws_vpc.a", ["no-op"])))).toMatchObject({ ok: true, verdict: "safe: nothing pending (the stacks match the code)" });
    const migration = judge(pending, plan(rc("aws_eks_node_group.zone0", ["create", "delete"]), rc("aws_eks_node_group.zone1", ["create"])));
    expect(migration).toMatchObject({
      ok: true,
      add: 2,
      destroy: 1,
      verdict: "safe: rolled, successor first (aws_eks_node_group); added (aws_eks_node_group)",
    });
    expect(judge(pending, plan(rc("aws_eks_node_group.n", ["delete", "create"]))).ok).toBe(false);
  });

  test("a protected resource deleted before its successor exists fails, naming it", () => {
    const v = judge(change(), plan(rc("aws_eks_node_group.n", ["delete", "create"])));
    expect([v.ok, v.add, v.destroy]).toEqual([false, 1, 1]);
    expect(v.verdict).toContain("UNSAFE: aws_eks_node_group.n replace (destroy first)");
  });

  test("the upgrade must update the cluster, node group and add-ons in place: a missing one fails", () => {
    const upgrade = byName("next Kubernetes minor");
    const v = judge(upgrade, plan(rc("aws_eks_cluster.c", ["update"]), rc("aws_eks_node_group.n", ["update"])));
    expect(v.ok).toBe(false);
    expect(v.verdict).toContain("expected aws_eks_addon updated in place: not in the plan");
    expect(judge(upgrade, plan(rc("aws_eks_cluster.c", ["update"]), rc("aws_eks_node_group.n", ["update"]), rc("aws_eks_addon.a", ["update"]))).ok).toBe(true);
  });

  test("an instance type change must roll the node group: an in-place update or a destroy-first replacement fails", () => {
    const types = byName("node instance types");
    expect(judge(types, plan(rc("aws_eks_node_group.n", ["create", "delete"]))).verdict).toBe("safe: rolled, successor first (aws_eks_node_group)");
    expect(judge(types, plan(rc("aws_eks_node_group.n", ["update"]))).ok).toBe(false);
  });
});

describe("routine changes", () => {
  const current = loadConfig({ FACTORY_AWS_PROFILE: "" });

  test("every change's settings are valid configuration, and differ from the current one", () => {
    for (const c of ROUTINE_CHANGES) {
      const settings = c.settings(current);
      if ("notApplicable" in settings) continue;
      const env: Record<string, string> = { FACTORY_AWS_PROFILE: "" };
      for (const [k, v] of Object.entries(settings)) if (v !== undefined) env[k] = v;
      expect(() => loadConfig(env)).not.toThrow();
      // The code's own pending change sets nothing: the same configuration, on purpose.
      if (c.name === "pending code change") continue;
      expect(JSON.stringify({ ...loadConfig(env), ...c.pins?.(current) })).not.toBe(JSON.stringify(current));
    }
  });

  test("the AMI release bump: a later build of the pinned release, the same Kubernetes patch; not applicable without a pin", () => {
    expect(laterAmiRelease("1.35.7-20260827")).toBe("1.35.7-20261001");
    expect(laterAmiRelease("1.36.4-20261231", 1)).toBe("1.36.4-20270101");
    expect(() => laterAmiRelease("v20260827")).toThrow("not an AMI release such as 1.35.7-20260827: v20260827");
    const bump = byName("node AMI release bump");
    expect(bump.pins!(current)).toEqual({ nodeAmiRelease: laterAmiRelease(current.nodeAmiRelease!) });
    expect(bump.settings({ ...current, nodeAmiRelease: undefined })).toEqual({
      notApplicable: `versions.yaml pins no AMI release for Kubernetes ${current.kubernetesVersion}`,
    });
  });

  test("admin principal removed applies once one is configured, and drops the last one", () => {
    expect("notApplicable" in byName("admin principal removed").settings(current)).toBe(true);
    const arn = `arn:aws:iam::${current.accountId}:role/ops`;
    const withOne = loadConfig({ FACTORY_AWS_PROFILE: "", FACTORY_ADMIN_PRINCIPAL_ARNS: arn });
    expect(byName("admin principal removed").settings(withOne)).toEqual({ FACTORY_ADMIN_PRINCIPAL_ARNS: undefined });
  });

  // The app stack needs the kubernetes provider to plan, which this machine does not have; its
  // routine change is checked at synth: only the autoscalers' bounds change.
  test("replica bounds change only the HorizontalPodAutoscalers of the app stack", () => {
    const synth = (env: Record<string, string>) =>
      JSON.parse(Testing.synth(buildPlatform(Testing.app(), loadConfig({ FACTORY_AWS_PROFILE: "", FACTORY_IMAGE_TAG: "abc123", ...env })).app));
    const settings = byName("API/web replica bounds").settings(current) as Record<string, string>;
    const before = synth({});
    const after = synth(settings);
    // What Terraform ignores (a Deployment's replicas, owned by its autoscaler) plans no change.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const planned = (body: any) => {
      const copy = JSON.parse(JSON.stringify(body ?? {}));
      if (copy.lifecycle?.ignore_changes?.includes("spec[0].replicas")) delete copy.spec.replicas;
      return JSON.stringify(copy);
    };
    const differing: string[] = [];
    for (const [type, resources] of Object.entries(after.resource as Record<string, Record<string, unknown>>)) {
      for (const [name, body] of Object.entries(resources)) if (planned(body) !== planned(before.resource[type]?.[name])) differing.push(type);
    }
    expect(differing.length).toBeGreaterThan(0);
    expect([...new Set(differing)]).toEqual(["kubernetes_horizontal_pod_autoscaler_v2"]);
  });

  test("a data store volume +10 GiB changes only what Terraform ignores (the claim template's size): the plan is empty, the StatefulSet stays", () => {
    const synth = (env: Record<string, string>) =>
      JSON.parse(Testing.synth(buildPlatform(Testing.app(), loadConfig({ FACTORY_AWS_PROFILE: "", FACTORY_IMAGE_TAG: "abc123", ...env })).app));
    const change = byName("data store volume +10 GiB");
    const settings = change.settings(current) as Record<string, string>;
    expect(settings).toEqual({ FACTORY_POSTGRES_STORAGE: "30Gi" });
    expect(change.settings({ ...current, dataStoreSizes: { ...current.dataStoreSizes, postgres: "1500Mi" } })).toEqual({ FACTORY_POSTGRES_STORAGE: "11740Mi" });
    const [before, after] = [synth({}), synth(settings)];
    const changed: string[] = [];
    for (const [type, resources] of Object.entries(after.resource as Record<string, Record<string, TfJsonLike>>)) {
      for (const [name, body] of Object.entries(resources)) {
        const old = before.resource[type]?.[name];
        if (JSON.stringify(body) === JSON.stringify(old)) continue;
        changed.push(`${type}.${body.metadata?.name}`);
        // What differs is exactly what one of its ignore_changes paths names.
        const ignored = (body.lifecycle?.ignore_changes ?? []).filter(
          (p: string) => JSON.stringify(atTerraformPath(body, p)) !== JSON.stringify(atTerraformPath(old, p)),
        );
        expect(ignored).toHaveLength(1);
        const without = (b: TfJsonLike) => JSON.stringify({ ...b, spec: { ...b.spec, volume_claim_template: undefined } });
        expect(without(body)).toBe(without(old));
      }
    }
    expect(changed).toEqual(["kubernetes_stateful_set_v1.postgres"]);
    expect(judge(change, plan())).toMatchObject({ ok: true, verdict: "safe: the StatefulSets stay (deploy-app grows the claim in place)" });
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfJsonLike = Record<string, any>;

describe("plan-safety table", () => {
  test("each change's estimated monthly cost has a column of its own, before the verdict", () => {
    const row = {
      change: "NAT gateway per AZ",
      settings: "",
      stacks: "network",
      add: 2,
      update: 1,
      destroy: 0,
      ok: true,
      planned: true,
      verdict: "safe: added",
    };
    const text = table([
      { ...row, cost: "est. +$36.50/month" },
      { ...row, change: "x", planned: false, cost: "-", verdict: "not applicable: y" },
    ]).split("\n");
    expect(text[0]).toMatch(/^change\s+stacks\s+add\s+change\s+destroy\s+cost \(estimate\)\s+verdict$/);
    expect(text[1]).toMatch(/^NAT gateway per AZ\s+network\s+2\s+1\s+0\s+est\. \+\$36\.50\/month\s+safe: added$/);
    expect(text[2]).toMatch(/^x\s+network\s+-\s+-\s+-\s+-\s+not applicable: y$/);
  });
});
