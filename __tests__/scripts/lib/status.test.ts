/** npm run status's verdict (scripts/lib/status.ts judge): healthy, or each problem named. */
import { isoTime, judge, StatusFacts } from "../../../scripts/lib/status";

const NOW = new Date("2026-12-06T12:00:00Z");
const HEALTHY: StatusFacts = {
  alarms: { inAlarm: [], ok: 19, noData: [{ name: "attractor-factory-certificate-expires-within-30-days", since: "2026-12-06T09:00:00.000Z" }] },
  backups: [
    { claim: "data-postgres-0", volume: "vol-1", completed: "2026-12-06T03:40:00.000Z" },
    { claim: "data-redis-0", volume: "vol-2", completed: "2026-12-06T03:41:00.000Z" },
  ],
  cluster: { version: "1.35", status: "ACTIVE", supportType: "STANDARD" },
  nodeGroups: [
    { name: "default-z0-1", zone: "us-west-2a", status: "ACTIVE", desired: 1, issues: 0 },
    { name: "default-z1-1", zone: "us-west-2b", status: "ACTIVE", desired: 1, issues: 0 },
  ],
  runningNodes: { "us-west-2a": 1, "us-west-2b": 1 },
  imageTag: "abc123",
  certificate: { status: "ISSUED", notAfter: "2027-10-01T00:00:00.000Z" },
};

test("a healthy platform: every section on a line, no problem", () => {
  const { lines, problems } = judge(HEALTHY, NOW);
  expect(problems).toEqual([]);
  expect(lines.map((l) => l.split(/\s{2,}/)[0])).toEqual([
    "alarms",
    "backup data-postgres-0",
    "backup data-redis-0",
    "cluster",
    "nodes us-west-2a",
    "nodes us-west-2b",
    "image tag",
    "certificate",
  ]);
  expect(lines.join("\n")).toContain("8.3 h ago");
});

test("an alarm in ALARM, a backup over 26 h old, a degraded node group and a certificate near expiry are each a problem", () => {
  const { problems } = judge(
    {
      ...HEALTHY,
      alarms: {
        inAlarm: ["attractor-factory-nodes-not-ready"],
        ok: 18,
        noData: [{ name: "attractor-factory-postgres-volume-80-percent", since: "2026-12-05T12:00:00.000Z" }],
      },
      backups: [{ claim: "data-postgres-0", volume: "vol-1", completed: "2026-12-05T06:00:00.000Z" }],
      nodeGroups: [{ name: "default-z0-1", zone: "us-west-2a", status: "DEGRADED", desired: 1, issues: 2 }],
      certificate: { status: "ISSUED", notAfter: "2026-12-20T00:00:00.000Z" },
    },
    NOW,
  );
  expect(problems).toEqual([
    "alarm attractor-factory-nodes-not-ready",
    "alarm attractor-factory-postgres-volume-80-percent without data for 24 h",
    "backup of data-postgres-0 30 h old",
    "node group default-z0-1 DEGRADED with 2 health issue(s)",
    "certificate expires in 13 days",
  ]);
});

test("a partly deployed platform says what is not deployed, and is not unhealthy for it", () => {
  const { lines, problems } = judge({}, NOW);
  expect(problems).toEqual([]);
  expect(lines).toEqual([
    expect.stringMatching(/^alarms +none \(monitoring not deployed\)$/),
    expect.stringMatching(/^backups +no data store volumes yet/),
    expect.stringMatching(/^cluster +not deployed$/),
    expect.stringMatching(/^image tag +none \(no app deployed\)$/),
    expect.stringMatching(/^certificate +not deployed$/),
  ]);
});

test("a data store volume with no completed backup is a problem", () => {
  expect(judge({ backups: [{ claim: "data-minio-0", volume: "vol-3" }] }, NOW).problems).toEqual(["no backup of data-minio-0"]);
});

test("AWS timestamps are read whether the CLI prints them as ISO 8601 or as seconds since the epoch", () => {
  expect(isoTime("2027-10-01T00:00:00+00:00")).toBe("2027-10-01T00:00:00.000Z");
  expect(isoTime(1822348800)).toBe("2027-10-01T00:00:00.000Z");
  expect(isoTime("1822348800.0")).toBe("2027-10-01T00:00:00.000Z");
});
