/**
 * Stage 1, a new account interrupted twice on the way, as real life does it: deploy-infra gets
 * SIGINT while the eks stack's KMS key is created, the next run untaints the key and has its
 * Terraform killed once the cluster exists, the next is refused on the stale lock, unlock removes
 * it, and deploy-infra recovers (adopts, replaces nothing, leaves no duplicate). On the way, the
 * add-on check refusing a pin AWS does not offer.
 */
import { ZONE_COUNT } from "../../config";
import { AddonPin, unofferedPins } from "../../scripts/lib/addon-versions";
import { AwsCli } from "../../scripts/lib/aws-cli";
import { aws, countPlatform, exists, lockObjects } from "./aws-queries";
import { terraformPids, waitUntil } from "./commands";
import { config, env, stack } from "./context";
import { check, checkEqual, log } from "./report";
import { mustVerb, verb } from "./verbs";

/**
 * First Ctrl-C (SIGINT to the verb) while the eks stack's KMS key is being created: the provider
 * is still waiting on the new key, so Terraform records it as tainted, and a plain re-apply would
 * replace the key and with it the cluster that it encrypts.
 */
export async function deployNewAccountInterrupted(): Promise<void> {
  let kmsKey = "";
  const eksKeys = () =>
    (
      aws(["resourcegroupstaggingapi", "get-resources", "--resource-type-filters", "kms:key", "--tag-filters", `Key=Stack,Values=${stack("eks")}`])
        .ResourceTagMappingList as { ResourceARN: string }[]
    )
      .map((m) => m.ResourceARN.split("/").pop()!)
      // The secrets key (the cluster is encrypted with it); Container Insights' logs have a key of their own.
      .filter((id) => {
        const key = aws(["kms", "describe-key", "--key-id", id]).KeyMetadata;
        return key.KeyState === "Enabled" && String(key.Description).startsWith("Envelope encryption of Kubernetes secrets");
      });
  const interrupted = await verb("deploy-infra", ["--yes"], "deploy-infra (new account, SIGINT)", async (child, output) => {
    // The verb's own output says when the key is being created (the eks stack's line: the backup
    // stack creates a KMS key too, often well before); then AWS is asked until it exists.
    const creating = new RegExp(`\\[${stack("eks")}\\] aws_kms_key\\.cluster_secrets-key_\\S+: Creating\\.\\.\\.`);
    await waitUntil("the eks stack's KMS key being created", () => creating.test(output()), 600, 200);
    await waitUntil("the eks stack's KMS key", () => (kmsKey = eksKeys()[0] ?? "") !== "", 60);
    child.kill("SIGINT");
    log(`sent SIGINT to deploy-infra once KMS key ${kmsKey} existed`);
  });
  check(
    "an interrupted verb exits non-zero and its last line says so",
    interrupted.status === 1 && /interrupted \(SIGINT\)/.test(interrupted.last),
    `exit ${interrupted.status}: ${interrupted.last}`,
  );
  check(
    "an interrupted verb says what it left and leaves no lock (Terraform stopped gracefully)",
    /left: state with \d+ resource\(s\), lock released/.test(interrupted.stderr) && lockObjects().length === 0,
    lockObjects().join(", "),
  );
  check(
    "deploy-infra checked every pinned EKS add-on version against AWS before applying",
    /EKS add-on versions offered by AWS for Kubernetes /.test(interrupted.stderr),
  );
  await addonCheckRefusesUnofferedPin();

  // Then the next run is killed: its Terraform gets SIGKILL once the cluster exists.
  const killed = await verb("deploy-infra", ["--yes"], "deploy-infra (terraform killed)", async (_child, output) => {
    await waitUntil("the cluster being created", () => /\] aws_eks_cluster\.\S+: Creating\.\.\./.test(output()), 600, 200);
    await waitUntil("the cluster", () => exists(["eks", "describe-cluster", "--name", config.clusterName]), 120);
    let pids: number[] = [];
    await waitUntil("terraform apply of the eks stack", () => (pids = terraformPids("eks", "apply")).length > 0, 30);
    for (const pid of pids) process.kill(pid, "SIGKILL");
    log(`killed terraform apply (pid ${pids.join(", ")}) of ${stack("eks")}`);
  });
  check(
    "the run after the interruption untaints the KMS key the interrupted apply created, instead of replacing it",
    /untainted aws_kms_key\./.test(killed.stderr),
    killed.stderr
      .split("\n")
      .filter((l) => /taint|REPLACE/.test(l))
      .join(" | "),
  );
  check("a killed Terraform: the verb exits non-zero", killed.status !== 0 && killed.status !== null, `exit ${killed.status}`);
  check(
    "a killed Terraform: the last line names the stack, the kill and the lock",
    killed.last.includes(stack("eks")) && /killed by SIGKILL/.test(killed.last) && /npm run unlock -- /.test(killed.last),
    killed.last,
  );

  const locked = await verb("deploy-infra", ["--yes"], "deploy-infra (locked)");
  check(
    "a stale lock: the verb stops before any change (exit 2), naming the stack, the lock and the unlock verb",
    locked.status === 2 && locked.last.includes(`${stack("eks")}/terraform.tfstate.tflock`) && locked.last.includes(`npm run unlock -- ${stack("eks")}`),
    `exit ${locked.status}: ${locked.last}`,
  );

  const unlocked = await verb("unlock", [stack("eks")], "unlock eks");
  check(
    "unlock removes the stale lock",
    unlocked.status === 0 && lockObjects().length === 0,
    `exit ${unlocked.status}: ${unlocked.last}; locks: ${lockObjects().join(", ")}`,
  );

  const recovered = await mustVerb("deploy-infra", ["--yes"], "deploy-infra (recovery)");
  check(
    "recovery adopts what the killed apply created (the cluster among them)",
    new RegExp(`adopting aws_eks_cluster\\.\\S+ = ${config.clusterName} `).test(recovered.stderr),
    recovered.stderr
      .split("\n")
      .filter((l) => /adopt/.test(l))
      .join(" | "),
  );
  check(
    "neither run after an interruption replaced or destroyed anything",
    [killed, recovered].every((r) => !/REPLACE|replace \(create first\)/.test(r.stderr) && !/[1-9]\d* destroyed/.test(r.stderr)),
  );
  checkEqual(
    "after recovery: no duplicate VPC, cluster, KMS key (the cluster's, the backup vault's, Container Insights' logs' and the alert topic's), node group (one a zone) or NAT gateway",
    countPlatform(),
    {
      vpcs: 1,
      clusters: 1,
      kmsKeys: 4,
      nodegroups: ZONE_COUNT,
      natGateways: 1,
    },
  );
  checkEqual("after recovery: the eks stack's KMS key is the one the interrupted apply created", eksKeys(), [kmsKey]);
  check(
    "deploy-infra on a new account, after two interruptions: exit 0, last line says done",
    recovered.status === 0 && /deploy-infra: done$/.test(recovered.last),
    recovered.last,
  );
  // That the recovered eks stack plans nothing else is the drift check's (second-run.ts): its one
  // change is the log group's retention, changed out of band after the recovery.
}

/** The add-on check refuses a pin AWS does not offer, with one line (the real aws CLI against moto). */
async function addonCheckRefusesUnofferedPin(): Promise<void> {
  const cli = new AwsCli({ region: config.region, profile: undefined, env });
  const pins: AddonPin[] = [{ stack: stack("eks"), name: "coredns", version: "v1.99.0-eksbuild.1", kubernetesVersion: config.kubernetesVersion }];
  const lines = await unofferedPins(cli, pins);
  check(
    "the add-on check names the add-on, the pin and what AWS offers when the pin is not offered",
    lines.length === 1 &&
      new RegExp(
        `^EKS add-on coredns is pinned to v1\\.99\\.0-eksbuild\\.1 \\(versions\\.yaml\\), which AWS does not offer for Kubernetes ${config.kubernetesVersion.replace(".", "\\.")}; AWS offers: v\\d`,
      ).test(lines[0]),
    lines.join(" | "),
  );
}
