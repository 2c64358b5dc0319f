/**
 * The deployed image tag for real: an app stack state (the kubernetes provider's shape; the app
 * stack itself cannot be deployed here) put in the local AWS API's state bucket, read back by
 * scripts/deployed-tag.ts and by the verbs through the real aws CLI, then removed before any
 * other verb runs. deploy-all and drift take the tag from it and refuse it before any plan, since
 * its images are not in ECR; with no app state, deploy-all asks for a tag.
 */
import { writeFileSync } from "fs";
import * as path from "path";
import { appState, SERVICES } from "../fixtures/app-state";
import { aws } from "./aws-queries";
import { run } from "./commands";
import { config, SPOT, stack, work } from "./context";
import { check, log } from "./report";
import { verb, Verb } from "./verbs";

const TAG = "2026.12.06-e2e1234";

function deployedTag() {
  const r = run("node", ["--require", "./scripts/ts-register.js", "scripts/deployed-tag.ts"], { logName: "deployed-tag" });
  return { status: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

const planned = (v: Verb) => /==> \[\d\d:\d\d\] (apply|plan) /.test(v.stderr);

export async function verifyDeployedTag(): Promise<void> {
  const none = deployedTag();
  check("deployed-tag: no app deployed yet: exit 3, nothing printed", none.status === 3 && none.out === "", JSON.stringify(none));
  const first = await verb("deploy-all", ["--yes"], "deploy-all (no tag, no app)", undefined, SPOT);
  check(
    "deploy-all with no tag and no app asks for the tag build-push printed (exit 2), before any plan",
    first.status === 2 && /missing prerequisite: FACTORY_IMAGE_TAG \(the app stack runs no image yet/.test(first.last) && !planned(first),
    first.last,
  );
  const key = `${stack("app")}/terraform.tfstate`;
  const file = path.join(work, "app-state.json");
  writeFileSync(file, JSON.stringify(appState(SERVICES(TAG))));
  aws(["s3api", "put-object", "--bucket", config.stateBucket, "--key", key, "--body", file]);
  try {
    const found = deployedTag();
    log(`deployed-tag with an app state in the bucket: exit ${found.status}: ${found.out || found.err}`);
    check("deployed-tag: reads the tag the app stack's Deployments run from the state bucket", found.status === 0 && found.out === TAG, JSON.stringify(found));
    const [all, drift] = await Promise.all([
      verb("deploy-all", ["--yes"], "deploy-all (the running tag, not in ECR)", undefined, SPOT),
      verb("drift", [], "drift (the running tag, not in ECR)", undefined, SPOT),
    ]);
    for (const [name, v, code] of [
      ["deploy-all", all, 2],
      ["drift", drift, 1],
    ] as const) {
      check(
        `${name} takes the running tag from the app stack's state, says so, and refuses it before any plan (its images are not in ECR): exit ${code}`,
        v.status === code &&
          v.stderr.includes(`image tag: ${TAG} (what ${stack("app")} runs now; FACTORY_IMAGE_TAG picks another)`) &&
          v.stderr.includes(`image ${config.stackPrefix}/factory-api:${TAG} is not in ECR`) &&
          !/: done$/.test(v.last) &&
          !planned(v),
        v.last,
      );
    }
  } finally {
    aws(["s3api", "delete-object", "--bucket", config.stateBucket, "--key", key]);
  }
}
