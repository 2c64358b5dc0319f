/** Every operator script, its library and the test stand-ins pass shellcheck (Debian package `shellcheck`). */
import { spawnSync } from "child_process";
import { readdirSync } from "fs";
import * as path from "path";
import { ROOT } from "../harness";

const FILES = [
  ...readdirSync(path.join(ROOT, "scripts", "aws"))
    .filter((f) => f.endsWith(".sh"))
    .map((f) => `scripts/aws/${f}`),
  ...readdirSync(path.join(ROOT, "scripts", "aws", "lib"))
    .filter((f) => f.endsWith(".sh"))
    .map((f) => `scripts/aws/lib/${f}`),
  "__tests__/fakes/fake.sh",
  ...readdirSync(path.join(ROOT, "__tests__", "fakes", "bin")).map((f) => `__tests__/fakes/bin/${f}`),
];

test("shellcheck is installed (CI must install the Debian package shellcheck)", () => {
  const r = spawnSync("shellcheck", ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw new Error("shellcheck is not installed: apt-get install -y shellcheck (.ci/run must install it)");
  }
});

test("the fourteen operator scripts exist", () => {
  expect(FILES.filter((f) => f.startsWith("scripts/aws/") && !f.includes("/lib/")).sort()).toEqual(
    [
      "build-push",
      "deploy-addons",
      "deploy-all",
      "deploy-app",
      "deploy-infra",
      "destroy-all",
      "diff",
      "drift",
      "install-alb-controller",
      "publish-dns",
      "restore-data-store",
      "smoke-checks",
      "status",
      "unlock",
    ].map((s) => `scripts/aws/${s}.sh`),
  );
});

test("every script passes shellcheck, following sourced files", () => {
  const r = spawnSync("shellcheck", ["--external-sources", "--severity=style", ...FILES], { cwd: ROOT, encoding: "utf8" });
  if (r.error) throw new Error(`shellcheck could not run: ${r.error.message} (apt-get install -y shellcheck)`);
  expect(r.stdout + r.stderr).toBe("");
  expect(r.status).toBe(0);
});

test("every script is strict (set -euo pipefail) and executable", () => {
  for (const f of FILES.filter((f) => f.endsWith(".sh") && !f.includes("/lib/") && !f.includes("fake.sh"))) {
    const r = spawnSync("bash", ["-c", `head -n 12 "${f}" | grep -qx 'set -euo pipefail' && test -x "${f}"`], { cwd: ROOT });
    expect({ file: f, ok: r.status === 0 }).toEqual({ file: f, ok: true });
  }
});
