/**
 * smoke-checks with the real curl against a local HTTPS server standing in for the ALB
 * (https_stand_in.py: a certificate from a test CA, 127.0.0.1 only). The test's curl
 * configuration (its HOME's .curlrc) trusts that CA and connects the hostname's port 443 to the
 * server; name resolution (getent) and the cluster (kubectl) remain stand-ins: the first would need
 * this machine's /etc/hosts, the second a cluster.
 */
import { ChildProcess, spawn } from "child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { runScript } from "../../harness";

const HOST = "factory.pelx.ai";
const SERVER = path.join(__dirname, "https_stand_in.py");
const running: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  running.splice(0).forEach((p) => p.kill("SIGTERM"));
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

/** Starts the stand-in ALB; resolves with the HOME whose .curlrc points the hostname at it. */
function standIn(...args: string[]): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "smoke-https-"));
  dirs.push(dir);
  const child = spawn("python3", [SERVER, "--workdir", dir, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  running.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    let ready = false;
    child.stdout!.on("data", (d) => {
      out += String(d);
      const port = /PORT=(\d+)/.exec(out)?.[1];
      if (!port || ready) return;
      ready = true;
      const home = path.join(dir, "home");
      mkdirSync(home);
      writeFileSync(path.join(home, ".curlrc"), `connect-to = "${HOST}:443:127.0.0.1:${port}"\ncacert = "${path.join(dir, "ca.pem")}"\n`);
      resolve(home);
    });
    child.on("exit", (code) => {
      if (!ready) reject(new Error(`https_stand_in.py exited ${code}: ${out}`));
    });
  });
}

/** smoke-checks with the real curl (--timeout seconds); the HTTP checks' lines (tls, web, api), without the time. */
function smoke(home: string, timeout = 10) {
  const r = runScript("smoke-checks.sh", {
    args: ["--timeout", String(timeout)],
    real: ["curl"],
    env: { HOME: home },
    rules: [
      { match: `getent hosts ${HOST}`, stdout: `127.0.0.1       ${HOST}` },
      { match: "kubectl * get deployments,statefulsets -o name", stdout: "deployment.apps/factory-api" },
    ],
  });
  const lines = r.stdout
    .split("\n")
    .map((l) => l.replace(/^\[\d\d:\d\d\] /, "").replace(/ +/g, " "))
    .filter((l) => / (tls|web|api) /.test(l));
  return { status: r.status, lines, last: r.stdout.trim().split("\n").pop() };
}

test("a valid certificate for the hostname and a healthy API: every HTTP check passes, exit 0", async () => {
  const r = smoke(await standIn("--name", HOST));
  expect(r.lines).toEqual([
    `PASS tls certificate for ${HOST} is valid`,
    `PASS web https://${HOST}/ answered HTTP 200`,
    `PASS api https://${HOST}/api/healthz answered HTTP 200`,
  ]);
  expect([r.status, r.last]).toEqual([0, "smoke-checks: 6 passed, 0 failed"]);
});

test("a certificate for another name: its own line, exit 1", async () => {
  const r = smoke(await standIn("--name", "other.example.org"));
  expect(r.lines[0]).toBe(`FAIL tls https://${HOST}/: certificate not valid for ${HOST} (issued for another name)`);
  expect(r.lines.filter((l) => l.startsWith("FAIL"))).toHaveLength(3);
  expect(r.status).toBe(1);
});

test("an expired certificate: its own line, exit 1", async () => {
  const r = smoke(await standIn("--name", HOST, "--expired"));
  expect(r.lines[0]).toBe(`FAIL tls https://${HOST}/: certificate for ${HOST} has expired`);
  expect(r.status).toBe(1);
});

test("a 502 from the API's health path: the api check fails with the status, the rest pass", async () => {
  const r = smoke(await standIn("--name", HOST, "--health-status", "502"));
  expect(r.lines).toEqual([
    `PASS tls certificate for ${HOST} is valid`,
    `PASS web https://${HOST}/ answered HTTP 200`,
    `FAIL api https://${HOST}/api/healthz: answered an HTTP error status (HTTP 502)`,
  ]);
  expect([r.status, r.last]).toEqual([1, "smoke-checks: 5 passed, 1 failed"]);
});

test("a server that never answers: each HTTP check times out with its own line, exit 1", async () => {
  const r = smoke(await standIn("--name", HOST, "--hang"), 1);
  expect(r.lines).toEqual([
    `FAIL tls https://${HOST}/: timed out after 1s`,
    `FAIL web https://${HOST}/: timed out after 1s`,
    `FAIL api https://${HOST}/api/healthz: timed out after 1s`,
  ]);
  expect(r.status).toBe(1);
});
