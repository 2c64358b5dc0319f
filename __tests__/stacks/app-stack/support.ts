/** The app stack synthesized once per test file with an image tag and custom volume sizes, and the lookups its tests share. */
import { resourcesOf, synthPlatform, TfJson } from "../../helpers";

export const TAG = "2026.11.30-abc1234";
export const withTag = synthPlatform({
  FACTORY_IMAGE_TAG: TAG,
  FACTORY_POSTGRES_STORAGE: "30Gi",
  FACTORY_REDIS_STORAGE: "8Gi",
  FACTORY_MINIO_STORAGE: "100Gi",
});
export const app = withTag.app;
export const withoutTag = synthPlatform();

export const DATA_STORES = ["postgres", "redis", "minio"] as const;
/** The container security context of the restricted Pod Security Standard, read-only root. */
export const RESTRICTED_CONTAINER = {
  run_as_non_root: true,
  allow_privilege_escalation: false,
  privileged: false,
  read_only_root_filesystem: true,
  capabilities: { drop: ["ALL"] },
  seccomp_profile: { type: "RuntimeDefault" },
};
export const APPS = ["factory-api", "factory-web", "factory-runner-controller"] as const;
export const REPOSITORY_REF = (repo: string) =>
  new RegExp(
    `^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-attractor-factory-ecr\\.outputs\\.cross-stack-output-aws_ecr_repository${repo}_[^}]*repository_url\\}`,
  );

export function named(json: TfJson, type: string, name: string): TfJson {
  const found = resourcesOf(json, type).filter((r) => r.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  return found[0];
}
export const key = (json: TfJson, type: string, name: string) => Object.entries(json.resource[type]).find(([, r]) => (r as TfJson).metadata.name === name)![0];
export const podSpec = (workload: TfJson) => workload.spec.template.spec;
export const container = (workload: TfJson) => podSpec(workload).container[0];
export const envOf = (workload: TfJson) => Object.fromEntries(container(workload).env.map((e: TfJson) => [e.name, e.value_from?.secret_key_ref ?? e.value]));

export const NS = `\${kubernetes_namespace_v1.${key(app, "kubernetes_namespace_v1", "factory-system")}.metadata[0].name}`;
export const RUNS = `\${kubernetes_namespace_v1.${key(app, "kubernetes_namespace_v1", "factory-runs")}.metadata[0].name}`;
export const secretRef = (store: string) => `\${kubernetes_secret_v1.${key(app, "kubernetes_secret_v1", `${store}-credentials`)}.metadata[0].name}`;
