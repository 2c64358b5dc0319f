/**
 * The destructive-plan guard (scripts/engine/plan-guard.ts): which planned deletions stop a verb, the
 * line it prints for each, and --allow-replace. Plans are shaped as `terraform show -json` gives
 * them; the e2e runs the guard on real plans.
 */
import { Plan } from "../../../scripts/engine/adopt";
import { guardPlan, PROTECTED, violationLines, violations } from "../../../scripts/engine/plan-guard";

type Actions = string[];
const rc = (address: string, actions: Actions, extra: { replace_paths?: (string | number)[][]; action_reason?: string } = {}) => ({
  address,
  type: address.split(".")[0],
  mode: "managed",
  action_reason: extra.action_reason,
  change: { actions, before: {}, after: {}, replace_paths: extra.replace_paths },
});
const plan = (...changes: ReturnType<typeof rc>[]): Plan => ({ resource_changes: changes }) as unknown as Plan;

const NG = "aws_eks_node_group.nodes_node-group_9A1B";

describe("destructive-plan guard", () => {
  test("a node group replaced destroy-first (every node gone before a new one exists) is stopped, naming the attribute", () => {
    const v = violations(plan(rc(NG, ["delete", "create"], { replace_paths: [["instance_types"]] })));
    expect(v).toEqual([{ address: NG, action: "replace (destroy first)", cause: "forced by instance_types" }]);
  });

  test("finishing a roll that was cut off passes: the deposed old node group is deleted, its successor exists", () => {
    const deposed = { ...rc(NG, ["delete"]), deposed: "a1b2c3d4" };
    expect(violations({ resource_changes: [deposed] } as unknown as Plan)).toEqual([]);
    expect(violations(plan(rc(NG, ["delete"])))).toHaveLength(1);
  });

  test("a node group rolled create-first (its successor ready before it drains) passes", () => {
    expect(violations(plan(rc(NG, ["create", "delete"], { replace_paths: [["capacity_type"]] })))).toEqual([]);
  });

  test.each([
    "aws_eks_cluster.eks_cluster_1",
    "aws_vpc.network_vpc_1",
    "aws_subnet.network_private-0_1",
    "aws_nat_gateway.network_nat-0_1",
    "aws_ecr_repository.repos_factory-api_1",
    "aws_kms_key.eks_secrets-key_1",
    "aws_iam_openid_connect_provider.eks_oidc_1",
    "aws_acm_certificate.cert_1",
    "aws_s3_bucket.state_bucket_1",
    "kubernetes_namespace_v1.namespace_1",
    "kubernetes_stateful_set_v1.data_postgres_statefulset_1",
    "kubernetes_service_v1.data_postgres_service_1",
    "kubernetes_secret_v1.data_postgres_credentials_secret_1",
    "random_password.data_postgres_credentials_password_1",
  ])("deleting or replacing %s is stopped, even create-first", (address) => {
    for (const actions of [["delete"], ["delete", "create"], ["create", "delete"]]) {
      expect(violations(plan(rc(address, actions))).map((v) => v.address)).toEqual([address]);
    }
  });

  test("what is not protected passes: an API Service, a log group, an access entry, a role", () => {
    const p = plan(
      rc("kubernetes_service_v1.services_factory-api_service_1", ["delete", "create"]),
      rc("aws_cloudwatch_log_group.eks_log-group_1", ["delete"]),
      rc("aws_eks_access_entry.admin_extra-0_1", ["delete"]),
      rc("aws_iam_role.nodes_node-role_1", ["delete", "create"]),
    );
    expect(violations(p)).toEqual([]);
  });

  test("updates in place, creates and reads pass", () => {
    const p = plan(rc("aws_eks_cluster.eks_cluster_1", ["update"]), rc("aws_vpc.network_vpc_1", ["no-op"]), rc("aws_subnet.network_private-1_1", ["create"]));
    expect(violations(p)).toEqual([]);
  });

  test("the cause says why when no attribute forces it: removed from the code, tainted", () => {
    const p = plan(
      rc("aws_vpc.network_vpc_1", ["delete"], { action_reason: "delete_because_no_resource_config" }),
      rc("aws_kms_key.eks_key_1", ["delete", "create"], { action_reason: "replace_because_tainted" }),
    );
    expect(violations(p).map((v) => v.cause)).toEqual(["removed from the code", "tainted in state"]);
  });

  test("one line per resource: stack, address, action, the forcing attribute paths", () => {
    const p = plan(rc("aws_eks_cluster.eks_cluster_1", ["delete", "create"], { replace_paths: [["vpc_config", 0, "subnet_ids"], ["name"]] }));
    expect(violationLines("attractor-factory-eks", violations(p))).toEqual([
      "attractor-factory-eks: aws_eks_cluster.eks_cluster_1: replace (destroy first), forced by vpc_config[0].subnet_ids, name",
    ]);
  });

  test("--allow-replace lets named addresses through (plain or stack:address), and only those", () => {
    const p = plan(rc("aws_vpc.network_vpc_1", ["delete", "create"]), rc("aws_subnet.network_public-0_1", ["delete", "create"]));
    expect(guardPlan(p, "attractor-factory-network", new Set()).blocked.map((v) => v.address)).toEqual([
      "aws_vpc.network_vpc_1",
      "aws_subnet.network_public-0_1",
    ]);
    expect(guardPlan(p, "attractor-factory-network", new Set(["aws_vpc.network_vpc_1"])).blocked.map((v) => v.address)).toEqual([
      "aws_subnet.network_public-0_1",
    ]);
    expect(
      guardPlan(p, "attractor-factory-network", new Set(["attractor-factory-network:aws_subnet.network_public-0_1", "aws_vpc.network_vpc_1"])).blocked,
    ).toEqual([]);
    expect(guardPlan(p, "attractor-factory-network", new Set(["attractor-factory-eks:aws_vpc.network_vpc_1"])).blocked.length).toBe(2);
  });

  test("what the verb reports as allowed is exactly what --allow-replace names; with nothing named, nothing is allowed", () => {
    const p = plan(rc("aws_vpc.network_vpc_1", ["delete", "create"]), rc("aws_subnet.network_public-0_1", ["delete", "create"]));
    expect(guardPlan(p, "n", new Set()).allowed).toEqual([]);
    const g = guardPlan(p, "n", new Set(["aws_vpc.network_vpc_1"]));
    expect([g.blocked.map((v) => v.address), g.allowed.map((v) => v.address)]).toEqual([["aws_subnet.network_public-0_1"], ["aws_vpc.network_vpc_1"]]);
  });

  test("the protected list covers every kind the issue names, each once", () => {
    const types = PROTECTED.map((k) => k.type);
    expect(new Set(types).size).toBe(types.length);
    expect(types).toEqual(
      expect.arrayContaining([
        "aws_eks_cluster",
        "aws_eks_node_group",
        "aws_vpc",
        "aws_subnet",
        "aws_nat_gateway",
        "aws_ecr_repository",
        "aws_kms_key",
        "aws_backup_vault",
        "aws_iam_openid_connect_provider",
        "aws_acm_certificate",
        "aws_s3_bucket",
        "kubernetes_stateful_set_v1",
        "kubernetes_service_v1",
        "kubernetes_secret_v1",
      ]),
    );
  });
});

test("the data stores' objects in the synthesized app stack match the guard's address patterns (a renamed scope would not)", () => {
  const { Testing } = require("cdktf") as typeof import("cdktf");
  const { buildPlatform } = require("../../../stacks/platform") as typeof import("../../../stacks/platform");
  const { loadConfig } = require("../../../config") as typeof import("../../../config");
  const app = JSON.parse(Testing.synth(buildPlatform(Testing.app(), loadConfig({ FACTORY_AWS_PROFILE: "", FACTORY_IMAGE_TAG: "abc123" })).app));
  const addresses = (type: string) => Object.keys(app.resource[type] ?? {}).map((name) => `${type}.${name}`);
  const dataStores = ["postgres", "redis", "minio"];
  for (const type of ["kubernetes_stateful_set_v1", "kubernetes_service_v1", "kubernetes_secret_v1"]) {
    const ofStores = addresses(type).filter((a) => dataStores.some((d) => a.includes(`_${d}_`)));
    expect(ofStores).toHaveLength(3);
    const p = plan(...ofStores.map((a) => rc(a, ["delete", "create"])));
    expect(violations(p).map((v) => v.address)).toEqual(ofStores);
  }
  expect(addresses("random_password").length).toBeGreaterThan(0);
  expect(violations(plan(...addresses("random_password").map((a) => rc(a, ["delete"])))).length).toBe(addresses("random_password").length);
  expect(addresses("kubernetes_namespace_v1")).toHaveLength(2);
  expect(violations(plan(...addresses("kubernetes_namespace_v1").map((a) => rc(a, ["delete", "create"])))).length).toBe(2);
});
