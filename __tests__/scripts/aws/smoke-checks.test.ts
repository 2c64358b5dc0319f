/** smoke-checks: one line per check, every check runs, exit 0 / 1 (a check failed) / 2 (cannot run). */
import { AWS, callsOf, runScript } from "../harness";

const WORKLOADS = "deployment.apps/factory-api\ndeployment.apps/factory-web\nstatefulset.apps/postgres";
const HEALTHY = [
  { match: "getent hosts factory.pelx.ai", stdout: "203.0.113.10    factory.pelx.ai\n203.0.113.11    factory.pelx.ai" },
  { match: "curl * --write-out %{http_code} *", stdout: "200" },
  { match: "kubectl * get deployments,statefulsets -o name", stdout: WORKLOADS },
];

describe("smoke-checks", () => {
  test("all checks pass: one PASS line each, exit 0, and the exact calls", () => {
    const r = runScript("smoke-checks.sh", { rules: HEALTHY });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines.map((l) => l.replace(/^\[\d\d:\d\d\] /, "").replace(/ +/g, " "))).toEqual([
      "PASS dns factory.pelx.ai resolves to 203.0.113.10,203.0.113.11",
      "PASS tls certificate for factory.pelx.ai is valid",
      "PASS web https://factory.pelx.ai/ answered HTTP 200",
      "PASS api https://factory.pelx.ai/api/healthz answered HTTP 200",
      "PASS rollout deployment.apps/factory-api rolled out",
      "PASS rollout deployment.apps/factory-web rolled out",
      "PASS rollout statefulset.apps/postgres rolled out",
      "PASS metrics metrics API answers",
      "smoke-checks: 8 passed, 0 failed",
    ]);
    const ctx = "kubectl --context attractor-factory-eks";
    expect(r.calls).toEqual([
      `${AWS} sts get-caller-identity --query Account --output text`,
      "getent hosts factory.pelx.ai",
      "curl --silent --show-error --output /dev/null --max-time 20 https://factory.pelx.ai/",
      "curl --silent --show-error --fail --location --output /dev/null --write-out %{http_code} --max-time 20 https://factory.pelx.ai/",
      "curl --silent --show-error --fail --location --output /dev/null --write-out %{http_code} --max-time 20 https://factory.pelx.ai/api/healthz",
      `${AWS} eks update-kubeconfig --name attractor-factory-eks --alias attractor-factory-eks`,
      `${ctx} -n factory-system get deployments,statefulsets -o name`,
      `${ctx} -n factory-system rollout status deployment.apps/factory-api --timeout=20s`,
      `${ctx} -n factory-system rollout status deployment.apps/factory-web --timeout=20s`,
      `${ctx} -n factory-system rollout status statefulset.apps/postgres --timeout=20s`,
      `${ctx} get --raw /apis/metrics.k8s.io/v1beta1/nodes`,
    ]);
  });

  test("the health path and hostname come from the configuration", () => {
    const r = runScript("smoke-checks.sh", {
      env: { FACTORY_API_HEALTH_PATH: "/api/v1/health", FACTORY_HOSTNAME: "factory.example.com" },
      rules: [{ match: "getent hosts factory.example.com", stdout: "203.0.113.10 factory.example.com" }, ...HEALTHY],
    });
    expect(r.status).toBe(0);
    expect(callsOf(r, "curl").pop()).toMatch(/ https:\/\/factory\.example\.com\/api\/v1\/health$/);
  });

  test("failures: every check still runs, each failure has its line and the exit code is 1", () => {
    const r = runScript("smoke-checks.sh", {
      rules: [
        { match: "getent hosts *", exit: 2 },
        { match: "curl --silent --show-error --output /dev/null *", exit: 60 },
        { match: "curl * https://factory.pelx.ai/api/healthz", exit: 22, stdout: "503" },
        { match: "kubectl * rollout status statefulset.apps/postgres *", exit: 1 },
        { match: "kubectl * get --raw *", exit: 1 },
        ...HEALTHY,
      ],
    });
    expect(r.status).toBe(1);
    const fails = r.stdout.split("\n").filter((l) => l.includes(" FAIL "));
    expect(fails.map((l) => l.replace(/^\[\d\d:\d\d\] FAIL /, "").replace(/ +/g, " "))).toEqual([
      "dns factory.pelx.ai does not resolve (is the dns stack deployed? publish-dns)",
      "tls https://factory.pelx.ai/: certificate not trusted",
      "api https://factory.pelx.ai/api/healthz: answered an HTTP error status (HTTP 503)",
      "rollout statefulset.apps/postgres not rolled out within 20s (kubectl -n factory-system describe statefulset.apps/postgres)",
      "metrics metrics API does not answer (metrics-server: deploy-addons)",
    ]);
    expect(r.stdout).toContain("smoke-checks: 3 passed, 5 failed");
  });

  test("an empty namespace and an unreachable cluster are failures", () => {
    const empty = runScript("smoke-checks.sh", { rules: [{ match: "kubectl * get deployments,statefulsets *", stdout: "" }, ...HEALTHY] });
    expect(empty.status).toBe(1);
    expect(empty.stdout).toContain("no Deployments or StatefulSets found in namespace factory-system");
    const unreachable = runScript("smoke-checks.sh", { rules: [{ match: "aws * eks update-kubeconfig *", exit: 254 }, ...HEALTHY] });
    expect(unreachable.status).toBe(1);
    expect(unreachable.stdout).toContain("cannot reach cluster attractor-factory-eks");
    expect(callsOf(unreachable, "kubectl")).toEqual([]);
  });

  test("a failed kubectl is reported as a kubectl failure with its message, not as an empty namespace", () => {
    const r = runScript("smoke-checks.sh", {
      rules: [{ match: "kubectl * get deployments,statefulsets *", exit: 1 }, ...HEALTHY],
      env: { FAKE_STDERR_kubectl: "error: You must be logged in to the server (Unauthorized)" },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL rollout +kubectl failed \(exit 1\): error: You must be logged in to the server \(Unauthorized\)$/m);
    expect(r.stdout).not.toContain("no Deployments or StatefulSets found");
  });

  test("cannot run (missing tools, wrong account): exit 2 and no check", () => {
    const missing = runScript("smoke-checks.sh", { missing: ["kubectl", "curl"] });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^smoke-checks: missing prerequisite: kubectl /m);
    expect(missing.stderr).toMatch(/^smoke-checks: missing prerequisite: curl /m);
    expect(missing.stdout).toBe("");
    const account = runScript("smoke-checks.sh", { rules: [{ match: "aws * sts get-caller-identity *", stdout: "111122223333" }] });
    expect(account.status).toBe(2);
    expect(account.calls).toHaveLength(1);
  });
});
