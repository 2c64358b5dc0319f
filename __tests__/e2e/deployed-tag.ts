/**
 * The deployed image tag read for real: an app stack state (the kubernetes provider's shape; the
 * app stack itself cannot be deployed here) put in the local AWS API's state bucket, read back by
 * scripts/deployed-tag.ts through the real aws CLI, then removed before any other verb runs.
 */
import { spawnSync } from "child_process";
import { writeFileSync } from "fs";
import * as path from "path";
import { appState, SERVICES } from "../fixtures/app-state";
import { aws } from "./aws-queries";
import { config, env, root, stack, work } from "./context";
import { check, log } from "./report";

function deployedTag() {
  const r = spawnSync("node", ["--require", "./scripts/ts-register.js", "scripts/deployed-tag.ts"], { cwd: root, env, encoding: "utf8" });
  return { status: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

export function verifyDeployedTag(): void {
  const none = deployedTag();
  check("deployed-tag: no app deployed yet: exit 3, nothing printed", none.status === 3 && none.out === "", JSON.stringify(none));
  const key = `${stack("app")}/terraform.tfstate`;
  const file = path.join(work, "app-state.json");
  writeFileSync(file, JSON.stringify(appState(SERVICES("2026.12.06-e2e1234"))));
  aws(["s3api", "put-object", "--bucket", config.stateBucket, "--key", key, "--body", file]);
  try {
    const found = deployedTag();
    log(`deployed-tag with an app state in the bucket: exit ${found.status}: ${found.out || found.err}`);
    check(
      "deployed-tag: reads the tag the app stack's Deployments run from the state bucket",
      found.status === 0 && found.out === "2026.12.06-e2e1234",
      JSON.stringify(found),
    );
  } finally {
    aws(["s3api", "delete-object", "--bucket", config.stateBucket, "--key", key]);
  }
}
