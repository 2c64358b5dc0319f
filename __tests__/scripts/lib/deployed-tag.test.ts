/**
 * The image tag the platform runs now, read from the app stack's state (scripts/lib/deployed-tag.ts)
 * and used by the verbs that plan the app stack when FACTORY_IMAGE_TAG is unset. The state here is
 * shaped as the kubernetes provider writes a Deployment's (its blocks are lists); the e2e reads one
 * from the local AWS API's bucket with the real aws CLI.
 */
import { AWS, callsOf, runScript } from "../harness";
import { deploymentImages, tagOfState } from "../../../scripts/lib/deployed-tag";
import { appState, REGISTRY, SERVICES } from "../../fixtures/app-state";

const STATE_CALL = `${AWS} s3 cp s3://attractor-factory-tfstate-582719176192-us-west-2/attractor-factory-app/terraform.tfstate - --only-show-errors`;
const stateRule = (state: unknown) => ({ match: STATE_CALL, stdout: JSON.stringify(state).replace(/\\/g, "\\\\") });

describe("reading the tag from the state", () => {
  test("the images of every Deployment's containers, and their one tag", () => {
    const state = appState(SERVICES("2026.12.01-abc1234"));
    expect(deploymentImages(state)).toHaveLength(3);
    expect(tagOfState(state, "attractor-factory")).toBe("2026.12.01-abc1234");
  });

  test("a state with no factory image (no app deployed) has no tag", () => {
    expect(tagOfState({ version: 4, resources: [] }, "attractor-factory")).toBeUndefined();
    expect(tagOfState(appState({ other: `${REGISTRY}/someone-else/api:v1` }), "attractor-factory")).toBeUndefined();
  });

  test("Deployments that run different tags are an error naming them, not a guess", () => {
    const state = appState({ ...SERVICES("v1"), "factory-web": `${REGISTRY}/attractor-factory/factory-web:v2` });
    expect(() => tagOfState(state, "attractor-factory")).toThrow(
      "the app stack's Deployments run different image tags (v1, v2): set FACTORY_IMAGE_TAG to the one to deploy",
    );
  });
});

describe("verbs without FACTORY_IMAGE_TAG", () => {
  test("deploy-app takes the tag the app stack runs now, says so, checks its images and deploys it", () => {
    const r = runScript("deploy-app.sh", { args: ["--yes"], rules: [stateRule(appState(SERVICES("abc123")))], env: { FAKE_RECORD_ENV: "FACTORY_IMAGE_TAG" } });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("image tag: abc123 (what attractor-factory-app runs now; FACTORY_IMAGE_TAG picks another)");
    expect(callsOf(r, "aws").filter((c) => c.includes("ecr describe-images"))).toHaveLength(4);
    expect(r.calls.find((c) => c.includes("engine apply"))).toMatch(/^FACTORY_IMAGE_TAG=abc123 engine apply /);
  });

  test("deploy-app with no app deployed yet asks for a tag (exit 2), before any plan", () => {
    const r = runScript("deploy-app.sh", { args: ["--yes"] });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      "missing prerequisite: FACTORY_IMAGE_TAG (the app stack runs no image yet to take it from: the tag build-push printed; a new account: deploy-all --source DIR)",
    );
    expect(callsOf(r, "engine")).toEqual([]);
  });

  test("FACTORY_IMAGE_TAG still wins: the state is not read", () => {
    const r = runScript("deploy-app.sh", { args: ["--yes"], env: { FACTORY_IMAGE_TAG: "xyz789" } });
    expect(r.status).toBe(0);
    expect(r.calls).not.toContain(STATE_CALL);
  });

  test("drift plans the app stack at the tag it runs; a tag whose images left ECR stops it before any plan (exit 1)", () => {
    const ok = runScript("drift.sh", { rules: [stateRule(appState(SERVICES("abc123")))] });
    expect(ok.stderr).toContain("image tag: abc123 (what attractor-factory-app runs now");
    expect(callsOf(ok, "engine")).toHaveLength(1);
    const gone = runScript("drift.sh", {
      rules: [stateRule(appState(SERVICES("abc123"))), { match: `${AWS} ecr describe-images --repository-name attractor-factory/factory-web *`, exit: 254 }],
    });
    expect(gone.status).toBe(1);
    expect(gone.stderr).toContain("image attractor-factory/factory-web:abc123 is not in ECR");
    expect(callsOf(gone, "engine")).toEqual([]);
  });

  test("drift and diff with no app deployed go on without a tag (the app stack is not planned)", () => {
    const r = runScript("drift.sh");
    expect(r.stderr).not.toContain("image tag:");
    expect(callsOf(r, "engine")).toHaveLength(1);
    expect(callsOf(runScript("diff.sh", { args: ["app"] }), "engine")).toHaveLength(1);
  });

  test("a state whose Deployments disagree stops the verb with its reason", () => {
    const state = appState({ ...SERVICES("v1"), "factory-web": `${REGISTRY}/attractor-factory/factory-web:v2` });
    const r = runScript("diff.sh", { args: ["app"], rules: [stateRule(state)] });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      "cannot tell which image tag attractor-factory-app runs: deployed-tag: the app stack's Deployments run different image tags (v1, v2)",
    );
  });
});
