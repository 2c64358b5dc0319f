/**
 * Kubernetes workload rules: containers locked down, with resources and probes; data-store volumes
 * retained, encrypted gp3 and backed up. The pod templates of every workload kind are read here,
 * for no-literal-secrets too.
 */
import { Item, isFalse, isTrue, items, many, one, parseRef } from "../resolve";
import { rule } from "../rule";
import type { Rule, SynthesizedStack, TfJson } from "../types";

interface PodSpec {
  readonly item: Item;
  readonly spec: TfJson;
  /** Jobs run to completion: no probes expected. */
  readonly batch: boolean;
}

/** Every pod template of every Kubernetes workload resource. */
export function podSpecs(stacks: readonly SynthesizedStack[]): PodSpec[] {
  const out: PodSpec[] = [];
  const template = (spec: TfJson | undefined) => one(one(spec?.template)?.spec);
  const kinds: [string[], (b: TfJson) => TfJson | undefined, boolean][] = [
    [
      [
        "kubernetes_deployment",
        "kubernetes_deployment_v1",
        "kubernetes_stateful_set",
        "kubernetes_stateful_set_v1",
        "kubernetes_daemonset",
        "kubernetes_daemon_set_v1",
        "kubernetes_replication_controller",
        "kubernetes_replication_controller_v1",
      ],
      (b) => template(one(b.spec)),
      false,
    ],
    [["kubernetes_job", "kubernetes_job_v1"], (b) => template(one(b.spec)), true],
    [["kubernetes_cron_job", "kubernetes_cron_job_v1"], (b) => template(one(one(one(b.spec)?.job_template)?.spec)), true],
    [["kubernetes_pod", "kubernetes_pod_v1"], (b) => one(b.spec), false],
  ];
  for (const [types, get, batch] of kinds) {
    for (const item of items(stacks, types)) {
      const spec = get(item.body);
      if (spec) out.push({ item, spec, batch });
    }
  }
  return out;
}

const containerSecurity = rule(
  "container-security-context",
  "Every container (and init container) runs as non-root, without privilege escalation or privileged mode, with all capabilities dropped and a read-only root filesystem.",
  (stacks, report) => {
    for (const { item, spec } of podSpecs(stacks)) {
      const pod = one(spec.security_context) ?? {};
      for (const c of [...many(spec.container), ...many(spec.init_container)]) {
        const sc = one(c.security_context) ?? {};
        const who = `container ${c.name}`;
        const facts = { container: c.name, image: c.image };
        const nonRoot = sc.run_as_non_root !== undefined ? isTrue(sc.run_as_non_root) : isTrue(pod.run_as_non_root);
        const uid = sc.run_as_user ?? pod.run_as_user;
        if (!nonRoot) report.add(item.stack, item.address, `${who}: run_as_non_root is not true`, facts);
        if (uid !== undefined && Number(uid) === 0) report.add(item.stack, item.address, `${who}: runs as uid 0`, facts);
        if (!isFalse(sc.allow_privilege_escalation)) report.add(item.stack, item.address, `${who}: allow_privilege_escalation is not false`, facts);
        if (isTrue(sc.privileged)) report.add(item.stack, item.address, `${who}: privileged`, facts);
        const caps = one(sc.capabilities);
        if (!many(caps?.drop).map(String).includes("ALL")) report.add(item.stack, item.address, `${who}: capabilities do not drop ALL`, facts);
        if (many(caps?.add).length > 0) report.add(item.stack, item.address, `${who}: adds capabilities ${JSON.stringify(caps?.add)}`, facts);
        if (!isTrue(sc.read_only_root_filesystem))
          report.add(item.stack, item.address, `${who}: read_only_root_filesystem is not true`, { ...facts, readOnlyRoot: false });
      }
    }
  },
);

const containerResourcesProbes = rule(
  "container-resources-probes",
  "Every container requests and limits CPU and memory; every long-running container (not Jobs) has readiness and liveness probes.",
  (stacks, report) => {
    for (const { item, spec, batch } of podSpecs(stacks)) {
      for (const c of many(spec.container)) {
        const res = one(c.resources);
        for (const kind of ["requests", "limits"]) {
          for (const r of ["cpu", "memory"]) {
            if (!one(res?.[kind])?.[r]) report.add(item.stack, item.address, `container ${c.name}: no ${r} in ${kind}`);
          }
        }
        if (!batch) {
          if (!one(c.readiness_probe)) report.add(item.stack, item.address, `container ${c.name}: no readiness probe`);
          if (!one(c.liveness_probe)) report.add(item.stack, item.address, `container ${c.name}: no liveness probe`);
        }
      }
    }
  },
);

const dataVolumes = rule(
  "data-volumes-retained",
  "Data-store volumes (StatefulSet claim templates, PersistentVolumeClaims) use a StorageClass of the platform that is gp3, encrypted and `Retain`, and StatefulSets keep their claims.",
  (stacks, report) => {
    const classes = items(stacks, ["kubernetes_storage_class", "kubernetes_storage_class_v1"]);
    const byName = (name: unknown) => classes.find((c) => one(c.body.metadata)?.name === name);
    const defaultClass = classes.find((c) => String(one(c.body.metadata)?.annotations?.["storageclass.kubernetes.io/is-default-class"]) === "true");
    const checkClaim = (item: Item, claim: string, className: unknown) => {
      const sc = className === undefined || className === null ? defaultClass : byName(className);
      if (!sc) {
        report.add(item.stack, item.address, `claim ${claim}: StorageClass ${JSON.stringify(className ?? "(default)")} is defined by no stack`);
        return;
      }
      const params = (sc.body.parameters ?? {}) as Record<string, unknown>;
      const problems = [
        sc.body.reclaim_policy !== "Retain" && `reclaim policy ${JSON.stringify(sc.body.reclaim_policy ?? "Delete")}`,
        params.type !== "gp3" && `volume type ${JSON.stringify(params.type)}`,
        !isTrue(params.encrypted) && "not encrypted",
      ].filter(Boolean);
      if (problems.length > 0)
        report.add(
          item.stack,
          item.address,
          `claim ${claim}: StorageClass ${one(sc.body.metadata)?.name} (${sc.stack.name}: ${sc.address}) is not retained/encrypted/gp3: ${problems.join(", ")}`,
        );
    };
    for (const ss of items(stacks, ["kubernetes_stateful_set", "kubernetes_stateful_set_v1"])) {
      const spec = one(ss.body.spec);
      for (const t of many(spec?.volume_claim_template)) checkClaim(ss, String(one(t.metadata)?.name), one(t.spec)?.storage_class_name);
      const retention = one(spec?.persistent_volume_claim_retention_policy);
      if (retention?.when_deleted === "Delete" || retention?.when_scaled === "Delete")
        report.add(ss.stack, ss.address, "persistent_volume_claim_retention_policy deletes claims");
    }
    for (const pvc of items(stacks, ["kubernetes_persistent_volume_claim", "kubernetes_persistent_volume_claim_v1"])) {
      checkClaim(pvc, String(one(pvc.body.metadata)?.name), one(pvc.body.spec)?.storage_class_name);
    }
  },
);

const dataVolumesBackedUp = rule(
  "data-volumes-backed-up",
  "Every data-store volume claim (StatefulSet claim templates, PersistentVolumeClaims) uses a StorageClass whose volumes carry a tag (`tagSpecification_N`) that an AWS Backup selection of EBS volumes selects by condition (`aws:ResourceTag/<key>`, ANDed with the resources).",
  (stacks, report) => {
    const selected = new Set(
      items(stacks, ["aws_backup_selection"])
        .filter((s) => many(s.body.resources).some((r) => /^arn:aws:ec2:[^:]*:[^:]*:volume\/\*$|^\*$/.test(String(r))))
        .flatMap((s) => many(s.body.condition).flatMap((c) => many(c.string_equals)))
        .filter((e) => String(e.key).startsWith("aws:ResourceTag/"))
        .map((e) => `${String(e.key).slice("aws:ResourceTag/".length)}=${e.value}`),
    );
    const classes = items(stacks, ["kubernetes_storage_class", "kubernetes_storage_class_v1"]);
    const defaultClass = classes.find((c) => String(one(c.body.metadata)?.annotations?.["storageclass.kubernetes.io/is-default-class"]) === "true");
    const checkClaim = (item: Item, claim: string, className: unknown) => {
      const sc = className === undefined || className === null ? defaultClass : classes.find((c) => one(c.body.metadata)?.name === className);
      if (!sc) return; // data-volumes-retained reports a class no stack defines
      const tags = Object.entries((sc.body.parameters ?? {}) as Record<string, unknown>)
        .filter(([k]) => /^tagSpecification_\d+$/.test(k))
        .map(([, v]) => String(v));
      if (!tags.some((t) => selected.has(t))) {
        report.add(
          item.stack,
          item.address,
          `claim ${claim}: StorageClass ${one(sc.body.metadata)?.name} writes no tag a backup selection of EBS volumes selects (writes: ${tags.join(", ") || "none"}; selected: ${[...selected].join(", ") || "none"})`,
        );
      }
    };
    for (const ss of items(stacks, ["kubernetes_stateful_set", "kubernetes_stateful_set_v1"])) {
      for (const t of many(one(ss.body.spec)?.volume_claim_template)) checkClaim(ss, String(one(t.metadata)?.name), one(t.spec)?.storage_class_name);
    }
    for (const pvc of items(stacks, ["kubernetes_persistent_volume_claim", "kubernetes_persistent_volume_claim_v1"])) {
      checkClaim(pvc, String(one(pvc.body.metadata)?.name), one(pvc.body.spec)?.storage_class_name);
    }
  },
);

const PRIORITY_CLASS = ["kubernetes_priority_class_v1", "kubernetes_priority_class"];

const priorityClasses = rule(
  "workload-priority-classes",
  "Every long-running workload names one of the platform's PriorityClasses, every StatefulSet (a data store, bound to its volume's zone) a higher one than any Deployment; the lowest class (the runner Jobs') never preempts, and a namespace quota admits no pod of another class (hard `pods: 0`, scope `PriorityClass NotIn [lowest]`), so a Job cannot raise itself.",
  (stacks, report) => {
    const classes = items(stacks, PRIORITY_CLASS);
    const valueOf = (stack: SynthesizedStack, name: unknown): number | undefined => {
      const ref = parseRef(stack, name);
      const pc = ref && PRIORITY_CLASS.includes(ref.type) ? ref.body : classes.find((c) => one(c.body.metadata)?.name === name)?.body;
      return pc === undefined ? undefined : Number(pc.value);
    };
    const workloads = podSpecs(stacks).filter((p) => !p.batch && p.item.type !== "kubernetes_pod_v1" && p.item.type !== "kubernetes_pod");
    const lowestStateful = Math.min(
      ...workloads.filter((w) => w.item.type.startsWith("kubernetes_stateful_set")).map((w) => valueOf(w.item.stack, w.spec.priority_class_name) ?? -Infinity),
    );
    for (const { item, spec } of workloads) {
      const value = valueOf(item.stack, spec.priority_class_name);
      if (value === undefined) {
        report.add(
          item.stack,
          item.address,
          `priority_class_name ${JSON.stringify(spec.priority_class_name ?? null)} is none of the platform's PriorityClasses`,
        );
      } else if (item.type.startsWith("kubernetes_deployment") && value >= lowestStateful) {
        report.add(
          item.stack,
          item.address,
          `its class (${value}) is not below every data store's (${lowestStateful}): a store could be preempted, or kept out of its zone, by it`,
        );
      }
    }
    if (classes.length === 0) return;
    const lowest = classes.reduce((a, b) => (Number(b.body.value) < Number(a.body.value) ? b : a));
    const lowestName = one(lowest.body.metadata)?.name;
    if (lowest.body.preemption_policy !== "Never")
      report.add(lowest.stack, lowest.address, "the lowest class (the runners') may preempt: preemption_policy must be Never");
    const names = (stack: SynthesizedStack, v: unknown) => v === lowestName || parseRef(stack, v)?.address === lowest.address;
    const quotas = items(stacks, ["kubernetes_resource_quota_v1", "kubernetes_resource_quota"]);
    const onlyLowest = quotas.some((q) => {
      const spec = one(q.body.spec);
      const exprs = many(one(spec?.scope_selector)?.match_expression);
      return (
        String(spec?.hard?.pods) === "0" &&
        exprs.some((e) => e.scope_name === "PriorityClass" && e.operator === "NotIn" && many(e.values).length === 1 && names(q.stack, many(e.values)[0]))
      );
    });
    if (!onlyLowest)
      report.add(
        lowest.stack,
        lowest.address,
        "no namespace quota admits only this class (hard pods 0, scope PriorityClass NotIn [it]): a runner Job could name a higher class",
      );
  },
);

/** In docs/guardrails.md's order; rules.ts concatenates the families in turn. */
export const WORKLOAD_RULES: readonly Rule[] = [containerSecurity, containerResourcesProbes, dataVolumes, dataVolumesBackedUp, priorityClasses];
