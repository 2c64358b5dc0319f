/** build-push: tag logic, dirty-tree refusal, ECR login, build and push plan (stand-in docker/aws). */
import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { AWS, appCheckout as checkout, callsOf, runScript } from "../harness";

const IMAGES = ["factory-api", "factory-web", "factory-runner-controller", "factory-runner"];
const REGISTRY = "582719176192.dkr.ecr.us-west-2.amazonaws.com";

describe("build-push", () => {
  test("tags with the commit, logs in, builds linux/amd64 and pushes the four images, prints the tag", () => {
    const { dir, sha } = checkout();
    const tag = sha.slice(0, 12);
    const r = runScript("build-push.sh", { args: ["--source", dir], rules: [{ match: "aws * ecr describe-images *", exit: 254 }] });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    // the two sides of `aws ecr get-login-password | docker login ...` run concurrently
    const login = [`${AWS} ecr get-login-password`, `docker login --username AWS --password-stdin ${REGISTRY}`];
    expect(r.calls.slice(1, 3).sort()).toEqual(login);
    expect([r.calls[0], ...login, ...r.calls.slice(3)]).toEqual([
      `${AWS} sts get-caller-identity --query Account --output text`,
      ...login,
      ...IMAGES.flatMap((image) => [
        `${AWS} ecr describe-images --repository-name attractor-factory/${image} --image-ids imageTag=${tag}`,
        `docker build --platform linux/amd64 --label org.opencontainers.image.revision=${sha} --tag ${REGISTRY}/attractor-factory/${image}:${tag} ${dir}/${image}`,
        `docker push ${REGISTRY}/attractor-factory/${image}:${tag}`,
      ]),
    ]);
    expect(r.stdout).toBe(`FACTORY_IMAGE_TAG=${tag}\n`);
  });

  test("refuses a dirty tree, before logging in or building", () => {
    const { dir } = checkout();
    writeFileSync(path.join(dir, "factory-web", "new.txt"), "x");
    const r = runScript("build-push.sh", { args: ["--source", dir] });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("refusing to build:");
    expect(r.stderr).toContain("1 uncommitted change(s) (commit them, or pass --allow-dirty)");
    expect(r.calls).toEqual([]);
    expect(r.stdout).toBe("");
  });

  test("--allow-dirty builds a tag that does not claim to be the commit", () => {
    const { dir, sha } = checkout();
    writeFileSync(path.join(dir, "factory-api", "Dockerfile"), "FROM busybox\n");
    const r = runScript("build-push.sh", { args: ["--source", dir, "--allow-dirty"], rules: [{ match: "aws * ecr describe-images *", exit: 254 }] });
    expect(r.status).toBe(0);
    const tag = /^FACTORY_IMAGE_TAG=(.*)$/m.exec(r.stdout)![1];
    expect(tag).toMatch(new RegExp(`^${sha.slice(0, 12)}-dirty-\\d{14}$`));
    expect(callsOf(r, "docker")).toContain(`docker push ${REGISTRY}/attractor-factory/factory-runner:${tag}`);
    expect(callsOf(r, "docker").find((c) => c.startsWith("docker build"))).toContain(`revision=${sha}-dirty `);
  });

  test("--tag overrides the commit; config/index.ts validates it", () => {
    const { dir } = checkout();
    const ok = runScript("build-push.sh", { args: ["--source", dir, "--tag", "v1.2.3"], rules: [{ match: "aws * ecr describe-images *", exit: 254 }] });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe("FACTORY_IMAGE_TAG=v1.2.3\n");
    const bad = runScript("build-push.sh", { args: ["--source", dir, "--tag", "latest"] });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error: FACTORY_IMAGE_TAG="latest" is invalid: /m);
    expect(bad.calls).toEqual([]);
  });

  test("a tag already in ECR is not built or pushed again (immutable repositories)", () => {
    const { dir, sha } = checkout();
    const tag = sha.slice(0, 12);
    const r = runScript("build-push.sh", {
      args: ["--source", dir],
      rules: [
        { match: "aws * ecr describe-images --repository-name attractor-factory/factory-api *", exit: 0 },
        { match: "aws * ecr describe-images *", exit: 254 },
      ],
    });
    expect(r.status).toBe(0);
    expect(callsOf(r, "docker").filter((c) => c.includes("factory-api:"))).toEqual([]);
    expect(callsOf(r, "docker")).toContain(`docker push ${REGISTRY}/attractor-factory/factory-web:${tag}`);
    expect(r.stderr).toContain("factory-api: attractor-factory/factory-api:" + tag + " is already in ECR, skipped");
  });

  test("--context builds an image from another directory; a missing Dockerfile is a prerequisite", () => {
    const { dir } = checkout();
    const r = runScript("build-push.sh", { args: ["--source", dir, "--context", "factory-runner=elsewhere"] });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`missing prerequisite: ${dir}/elsewhere/Dockerfile for factory-runner (pass --context factory-runner=DIR)`);
    expect(r.calls).toEqual([]);
  });

  test("not a git checkout: needs --tag", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "factory-src-"));
    for (const image of IMAGES) {
      mkdirSync(path.join(dir, image));
      writeFileSync(path.join(dir, image, "Dockerfile"), "FROM scratch\n");
    }
    const r = runScript("build-push.sh", { args: ["--source", dir] });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("is not a git checkout, so there is no commit to tag with (pass --tag)");
  });

  test("names missing docker and aws", () => {
    const r = runScript("build-push.sh", { missing: ["docker", "aws"] });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^build-push: missing prerequisite: aws /m);
    expect(r.stderr).toMatch(/^build-push: missing prerequisite: docker /m);
    expect(r.calls).toEqual([]);
  });
});
