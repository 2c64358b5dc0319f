/**
 * NetworkPolicy rules: every namespace denies by default, and data stores admit only pods of their
 * own namespace.
 */
import { Item, items, many, one, resolveTo } from "../resolve";
import { rule } from "../rule";
import type { Rule, SynthesizedStack, TfJson } from "../types";

const POLICIES = ["kubernetes_network_policy", "kubernetes_network_policy_v1"];
const WORKLOADS = [
  "kubernetes_deployment",
  "kubernetes_deployment_v1",
  "kubernetes_stateful_set",
  "kubernetes_stateful_set_v1",
  "kubernetes_job",
  "kubernetes_job_v1",
];

/** A namespace attribute as a name: a literal, or the name of the namespace resource it refers to. */
function namespaceName(stacks: readonly SynthesizedStack[], item: Item, value: unknown): string {
  if (value === undefined || value === null) return "default";
  const ns = resolveTo(stacks, item.stack, value, ["kubernetes_namespace", "kubernetes_namespace_v1"])[0];
  return ns ? String(one(one(ns.body)?.metadata)?.name) : String(value);
}

/** Whether a pod selector selects pods with these labels (an empty selector selects every pod). */
function selects(selector: TfJson | undefined, labels: Record<string, unknown>): boolean {
  if (!selector) return true;
  const byLabel = Object.entries((selector.match_labels ?? {}) as Record<string, unknown>).every(([k, v]) => labels[k] === v);
  const byExpression = many(selector.match_expressions).every((e) => {
    const has = e.key in labels;
    const values = many(e.values).map(String);
    switch (e.operator) {
      case "In":
        return has && values.includes(String(labels[e.key]));
      case "NotIn":
        return !has || !values.includes(String(labels[e.key]));
      case "Exists":
        return has;
      case "DoesNotExist":
        return !has;
      default:
        return false;
    }
  });
  return byLabel && byExpression;
}

const namespacesDefaultDeny = rule(
  "namespaces-default-deny",
  "Every namespace the Kubernetes stacks declare or run workloads in (but kube-system) has a NetworkPolicy that selects every pod and denies all ingress and egress (both policy types, no rules), so that only what a policy states is allowed.",
  (stacks, report) => {
    const denied = new Set(
      items(stacks, POLICIES)
        .filter((p) => {
          const spec = one(p.body.spec);
          const selector = one(spec?.pod_selector);
          const all = !selector || (Object.keys(selector.match_labels ?? {}).length === 0 && many(selector.match_expressions).length === 0);
          const types = many(spec?.policy_types).map(String);
          return all && types.includes("Ingress") && types.includes("Egress") && many(spec?.ingress).length === 0 && many(spec?.egress).length === 0;
        })
        .map((p) => namespaceName(stacks, p, one(p.body.metadata)?.namespace)),
    );
    const namespaces = new Map<string, Item>();
    for (const ns of items(stacks, ["kubernetes_namespace", "kubernetes_namespace_v1"])) namespaces.set(String(one(ns.body.metadata)?.name), ns);
    for (const w of items(stacks, WORKLOADS)) {
      const name = namespaceName(stacks, w, one(w.body.metadata)?.namespace);
      if (!namespaces.has(name)) namespaces.set(name, w);
    }
    for (const [name, item] of namespaces) {
      if (name !== "kube-system" && !denied.has(name))
        report.add(item.stack, item.address, `namespace ${name} has no default-deny NetworkPolicy (empty pod selector, Ingress and Egress, no rules)`);
    }
  },
);

const dataStoresIsolated = rule(
  "data-stores-isolated",
  "No NetworkPolicy admits anything to a data store (a StatefulSet with a volume claim template) but pods of its own namespace chosen by a pod selector: no rule without a source, no namespace selector (the runner Jobs' namespace among them), no address block.",
  (stacks, report) => {
    const stores = items(stacks, ["kubernetes_stateful_set", "kubernetes_stateful_set_v1"])
      .filter((s) => many(one(s.body.spec)?.volume_claim_template).length > 0)
      .map((s) => ({
        item: s,
        namespace: namespaceName(stacks, s, one(s.body.metadata)?.namespace),
        labels: (one(one(one(s.body.spec)?.template)?.metadata)?.labels ?? {}) as Record<string, unknown>,
      }));
    for (const p of items(stacks, POLICIES)) {
      const spec = one(p.body.spec);
      const ns = namespaceName(stacks, p, one(p.body.metadata)?.namespace);
      for (const store of stores.filter((s) => s.namespace === ns && selects(one(spec?.pod_selector), s.labels))) {
        const name = one(store.item.body.metadata)?.name;
        for (const ingress of many(spec?.ingress)) {
          const peers = many(ingress.from);
          if (peers.length === 0) report.add(p.stack, p.address, `admits every source to data store ${name} (an ingress rule without from)`);
          for (const peer of peers) {
            if (peer.namespace_selector !== undefined)
              report.add(p.stack, p.address, `admits pods of other namespaces to data store ${name} (namespace selector)`);
            if (peer.ip_block !== undefined) report.add(p.stack, p.address, `admits an address block to data store ${name} (${one(peer.ip_block)?.cidr})`);
          }
        }
      }
    }
  },
);

/** In docs/guardrails.md's order; rules.ts concatenates the families in turn. */
export const NETWORK_POLICY_RULES: readonly Rule[] = [namespacesDefaultDeny, dataStoresIsolated];
