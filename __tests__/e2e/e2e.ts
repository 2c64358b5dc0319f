/**
 * End-to-end test of the operator verbs: scripts/aws/*.sh run as an operator runs them, with the
 * real aws CLI, cdktf and Terraform (hashicorp/aws 5.100.0 from the image's mirror), through the
 * S3 backend, against a local AWS API (moto, with the project's small extension in
 * __tests__/e2e/moto/). Only the environment points them at moto (AWS_ENDPOINT_URL, test
 * credentials, FACTORY_AWS_PROFILE=""); --outdir keeps their output out of the checkout.
 *
 *   npm run test:e2e
 *
 * Steps: start moto -> the pre-existing hosted zone and operators' role -> deploy-infra on the new
 * account, interrupted by SIGINT while the eks stack's KMS key is created (add-on versions were
 * checked against AWS first) -> deploy-infra untaints the key, its Terraform killed once the
 * cluster exists -> refused on the lock -> unlock -> deploy-infra recovers (adopts, replaces
 * nothing, no duplicates) -> an out-of-band change, which drift reports for its stack only, diff
 * shows, and deploy-infra puts back while it rolls the node group to SPOT (the new group ACTIVE
 * before the old one goes; nothing else changes) -> the single-group platform of the earlier
 * release, upgraded to a node group a zone (plan-safety judges it, deploy-infra applies it) -> the plan-safety rehearsal of every routine
 * change (the next Kubernetes minor among them), beside: drift (everything in sync again), the
 * guard stopping a VPC CIDR change, the bootstrap from another checkout, the ALB the ingress would
 * get, what moto holds, publish-dns -> plan dns again, prove state locking, restore-data-store
 * (the plan, a failure rolled back, a restore) -> destroy-all of the partial platform (addons and
 * app never deployed; it names the data volumes it keeps) -> decommission the bucket -> check
 * nothing is left -> the same account deployed again from scratch (tear down and build again),
 * destroyed again, nothing left -> the plan-safety and drift tables, and the wall time of each verb run. Ends
 * with "e2e: N passed, N failed".
 *
 * This file is the sequence; the modules beside it hold the rest: context.ts (work directory,
 * configuration, environment, the stacks by short name), report.ts (the output), moto-server.ts and
 * local-aws.ts (the local AWS API), commands.ts, aws-queries.ts and verbs.ts (running things), and
 * one module per stage's checks.
 */
import { mkdirSync, rmSync } from "fs";
import { createPreExisting, startLocalAws } from "./local-aws";
import { stopMoto } from "./moto-server";
import { logDir, SPOT, work } from "./context";
import { allPassed, log, printSummary, stoppedBy } from "./report";
import { mustVerb } from "./verbs";
import { deployNewAccountInterrupted } from "./new-account";
import { addonsVerbBeforeTheCluster, addonsVerbWithoutProviders } from "./addons-verb";
import { bootstrapElsewhere, checkInSync, driftAfterReapply, driftThenRoll } from "./second-run";
import { deployOtherVpcCidr, verifyGuard } from "./guard";
import { planSafety } from "./rehearsal";
import { verifyInfra } from "./deployed";
import { verifyAlerts } from "./alerts";
import { migrateFromOneGroup } from "./migration";
import { verifyCheckVersions } from "./check-versions";
import { verifyDeployedTag } from "./deployed-tag";
import { createIngressAlb, deleteIngressAlb, planIsEmpty, verifyDns } from "./dns";
import { verifyLocking } from "./locking";
import { verifyRestore } from "./restore";
import { decommissionStateBucket, deployAgainAfterDestroy, destroyPartialPlatform, verifyNothingLeft } from "./destroy";

async function main(): Promise<void> {
  mkdirSync(logDir, { recursive: true });
  log(`work directory ${work}`);
  await startLocalAws();
  // What exists before this project in a real account: the public hosted zone and the operators' role.
  const zoneId = createPreExisting();

  // 1. A new account: the first deploy's command (docs/operating.md), interrupted twice on the way,
  // as real life does it; the add-ons verb before the cluster exists and after.
  await addonsVerbBeforeTheCluster();
  await deployNewAccountInterrupted();
  await addonsVerbWithoutProviders();

  // 2. Drift: a change made outside the code is reported for exactly its stack; deploy-infra
  // brings it back while it rolls the node group, and changes nothing else.
  await driftThenRoll();
  // The platform an earlier release left (one node group over both zones), upgraded to a group a
  // zone: plan-safety judges it, deploy-infra applies it without a moment without ready nodes.
  await migrateFromOneGroup();
  // What AWS recommends against versions.yaml (the AMI release and add-on defaults).
  verifyCheckVersions();
  // The image tag the app stack runs, read from its state (an app state put there for the test).
  await verifyDeployedTag();
  // Three read-only runs side by side (none of them changes anything or holds a lock for long):
  // - the plan-safety rehearsal of every routine change on the deployed platform (its
  //   configuration now has SPOT nodes; it takes no lock), awaited at the end of step 4;
  // - drift, which must find everything in sync again;
  // - a change that is not routine: another VPC CIDR replaces the VPC and its subnets, and the
  //   guard stops deploy-infra before it changes anything.
  log("plan-safety rehearsal, drift and the guard, side by side");
  const rehearsal = planSafety(SPOT);
  rehearsal.catch(() => undefined); // awaited below
  const [inSync, guarded] = await Promise.all([driftAfterReapply(), deployOtherVpcCidr()]);
  checkInSync(inSync);
  verifyGuard(guarded);
  bootstrapElsewhere();

  // 3. The ALB the Load Balancer Controller would create for the ingress, then what AWS holds.
  const alb = createIngressAlb();
  log("checking resources");
  verifyInfra();
  // Metrics, logs and alerts: the alert path end to end, and npm run status.
  verifyAlerts();

  // 4. publish-dns (still beside the rehearsal: it plans no dns), and beside it state locking is
  // proven on the ecr stack (the rehearsal's plans take no lock, publish-dns locks dns only) and
  // a data store is restored from its backup; then the dns stack plans no changes.
  log("publish-dns; proving state locking; restore-data-store");
  const locking = verifyLocking();
  const restored = verifyRestore();
  restored.catch(() => undefined); // awaited below
  await mustVerb("publish-dns", ["--yes", "--wait-timeout", "60", "--poll-interval", "1"], "publish-dns", SPOT);
  verifyDns(zoneId, alb);
  await Promise.all([planIsEmpty("dns", "after publish-dns"), locking, restored]);
  await rehearsal;

  // 5. destroy-all from a partial platform: addons and app were never deployed. Then the state
  // bucket goes by hand, and nothing may be left.
  deleteIngressAlb(alb);
  await destroyPartialPlatform();
  decommissionStateBucket();
  log("checking that nothing is left");
  await verifyNothingLeft(zoneId);

  // 6. Tear down and build again: the same account deploys from scratch after destroy-all.
  log("the same account, deployed again after destroy-all, then destroyed again");
  await deployAgainAfterDestroy(zoneId);
}

main()
  .catch((e) => stoppedBy(e, logDir))
  .finally(() => {
    stopMoto();
    printSummary();
    if (allPassed() && !process.env.FACTORY_E2E_KEEP) rmSync(work, { recursive: true, force: true });
    process.exit(allPassed() ? 0 : 1);
  });
