import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { Testing, TerraformStack } from "cdktf";
import { resourcesOf, synthPlatform, TfJson } from "../helpers";
import { VERSIONS } from "../../versions";
import { ALB_CONTROLLER_SERVICE_ACCOUNT } from "../../constructs/addons/aws-load-balancer-controller/role";
import { CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } from "../../constructs/addons/cluster-autoscaler/role";
import { ClusterAutoscaler } from "../../constructs/addons/cluster-autoscaler/release";
import { loadHelmValues, mergeHelmValues } from "../../constructs/k8s/helm-values";
import { PinnedHelmRelease } from "../../constructs/k8s/pinned-helm-release";

const { addons, eks } = synthPlatform();

const REMOTE = "data.terraform_remote_state.cross-stack-reference-input";
/** A cross-stack reference to an output of `stack` whose name contains `output`. */
const fromStack = (stack: string, output: RegExp) =>
  new RegExp(`^\\$\\{${REMOTE}-attractor-factory-${stack}\\.outputs\\.cross-stack-output-[^}]*${output.source}[^}]*\\}$`);

function release(json: TfJson, name: string): TfJson {
  const r = resourcesOf(json, "helm_release").find((x) => x.name === name);
  if (!r) throw new Error(`no helm_release ${name}`);
  return r;
}
const valuesOf = (r: TfJson) => JSON.parse(r.values[0]);

describe("provider wiring", () => {
  const kubernetes = addons.provider.kubernetes[0];
  const helm = addons.provider.helm[0].kubernetes;

  test("kubernetes provider: endpoint and CA from the eks stack, CA base64-decoded", () => {
    expect(kubernetes.host).toMatch(fromStack("eks", /endpoint/));
    expect(kubernetes.cluster_ca_certificate).toMatch(/^\$\{base64decode\(data\.terraform_remote_state\.[^)]*certificate_authority[^)]*\)\}$/);
  });

  test("kubernetes and helm providers authenticate with aws eks get-token for the eks stack's cluster, region and profile", () => {
    for (const exec of [kubernetes.exec[0], helm.exec]) {
      expect(exec.api_version).toBe("client.authentication.k8s.io/v1beta1");
      expect(exec.command).toBe("aws");
      expect(exec.args.slice(0, 3)).toEqual(["eks", "get-token", "--cluster-name"]);
      expect(exec.args[3]).toMatch(fromStack("eks", /name/));
      expect(exec.args.slice(4)).toEqual(["--region", "us-west-2", "--profile", "ai-sandbox-administrator"]);
    }
    expect(helm.host).toBe(kubernetes.host);
    expect(helm.cluster_ca_certificate).toBe(kubernetes.cluster_ca_certificate);
  });

  test("without a profile, get-token uses the default credential chain (no --profile)", () => {
    const json = synthPlatform({ FACTORY_AWS_PROFILE: "" }).addons;
    expect(json.provider.kubernetes[0].exec[0].args).not.toContain("--profile");
    expect(json.provider.helm[0].kubernetes.exec.args).not.toContain("--profile");
  });

  test("no token or static credential is configured: a token would expire in 15 minutes", () => {
    for (const cfg of [kubernetes, helm]) {
      for (const key of ["token", "client_key", "client_certificate", "password", "username", "config_path"]) expect(cfg).not.toHaveProperty(key);
    }
  });

  test("the add-ons stack configures no AWS provider", () => {
    expect(addons.provider).not.toHaveProperty("aws");
  });
});

describe("AWS Load Balancer Controller", () => {
  const alb = release(addons, "aws-load-balancer-controller");
  const values = valuesOf(alb);

  test("is the eks-charts chart at the version pinned in versions.yaml, in kube-system", () => {
    expect(alb.repository).toBe("https://aws.github.io/eks-charts");
    expect(alb.chart).toBe("aws-load-balancer-controller");
    expect(alb.version).toBe(VERSIONS.charts.awsLoadBalancerController.version);
    expect(alb.namespace).toBe("kube-system");
    expect(alb.atomic).toBe(true);
  });

  test("the chart's controller version is the one the IAM policy file was taken from", () => {
    const readme = readFileSync(path.join(__dirname, "..", "..", "constructs", "addons", "aws-load-balancer-controller", "README.md"), "utf8");
    const policyVersion = /Controller version it matches \| \*\*(v[\d.]+)\*\*/.exec(readme)?.[1];
    expect(policyVersion).toBe(VERSIONS.charts.awsLoadBalancerController.appVersion);
    expect(readme).toContain(`\`aws-load-balancer-controller\` **${VERSIONS.charts.awsLoadBalancerController.version}**`);
  });

  test("values: cluster name from the eks stack, region, and the VPC id from the network stack (no IMDS needed)", () => {
    expect(values.clusterName).toMatch(fromStack("eks", /name/));
    expect(values.region).toBe("us-west-2");
    expect(values.vpcId).toMatch(fromStack("network", /vpc/));
  });

  test("values: the service account carries the IRSA role of the eks stack", () => {
    expect(values.serviceAccount).toEqual({
      create: true,
      name: ALB_CONTROLLER_SERVICE_ACCOUNT.name,
      annotations: { "eks.amazonaws.com/role-arn": expect.stringMatching(fromStack("eks", /alb-controller-role.*arn/)) },
    });
  });

  test("values: the file's static values are merged in", () => {
    const file = loadHelmValues(path.join(__dirname, "..", "..", "helm-values", "aws-load-balancer-controller.yaml"));
    expect(Object.keys(file).length).toBeGreaterThan(0);
    expect(values).toMatchObject(file);
    expect(values.replicaCount).toBe(2);
    expect(values.defaultTargetType).toBe("ip");
  });

  test("values: targets registered from EndpointSlices, not the deprecated v1 Endpoints", () => {
    expect(values.enableEndpointSlices).toBe(true);
  });

  test("IRSA trust: only that service account (sub) with the STS audience (aud), through the cluster's OIDC provider", () => {
    const doc = resourcesOf(eks, "aws_iam_policy_document", "data").find((d) =>
      JSON.stringify(d).includes(`system:serviceaccount:${ALB_CONTROLLER_SERVICE_ACCOUNT.namespace}:${ALB_CONTROLLER_SERVICE_ACCOUNT.name}`),
    );
    expect(doc).toBeDefined();
    const stmt = doc!.statement[0];
    expect(stmt.actions).toEqual(["sts:AssumeRoleWithWebIdentity"]);
    expect(stmt.principals[0].type).toBe("Federated");
    expect(stmt.principals[0].identifiers[0]).toMatch(/aws_iam_openid_connect_provider/);
    const byVar = Object.fromEntries(stmt.condition.map((c: TfJson) => [c.variable.replace(/^.*:/, ""), c]));
    expect(byVar.sub).toMatchObject({ test: "StringEquals", values: [`system:serviceaccount:kube-system:${values.serviceAccount.name}`] });
    expect(byVar.aud).toMatchObject({ test: "StringEquals", values: ["sts.amazonaws.com"] });
  });
});

describe("Cluster Autoscaler", () => {
  const ca = release(addons, "cluster-autoscaler");
  const values = valuesOf(ca);

  test("is the kubernetes/autoscaler chart at the version pinned in versions.yaml, in kube-system", () => {
    expect([ca.repository, ca.chart, ca.version, ca.namespace, ca.atomic]).toEqual([
      "https://kubernetes.github.io/autoscaler",
      "cluster-autoscaler",
      VERSIONS.charts.clusterAutoscaler.version,
      "kube-system",
      true,
    ]);
  });

  test("its image matches the cluster's Kubernetes minor (versions.yaml), for every version the project pins", () => {
    expect(values.image).toEqual({ tag: VERSIONS.kubernetes.clusterAutoscaler["1.35"] });
    expect(values.image.tag).toMatch(/^v1\.35\.\d+$/);
    const next = valuesOf(release(synthPlatform({ FACTORY_KUBERNETES_VERSION: "1.36" }).addons, "cluster-autoscaler"));
    expect(next.image.tag).toMatch(/^v1\.36\.\d+$/);
  });

  test("a mismatched image is refused at synth", () => {
    const stack = new TerraformStack(Testing.app(), "ca");
    expect(
      () =>
        new ClusterAutoscaler(stack, "ca", {
          pin: VERSIONS.charts.clusterAutoscaler,
          imageTag: "v1.34.5",
          kubernetesVersion: "1.35",
          clusterName: "c",
          region: "us-west-2",
          roleArn: "arn",
        }),
    ).toThrow("ClusterAutoscaler: image tag v1.34.5 does not match Kubernetes 1.35 (the minors must match)");
  });

  test("auto-discovers the managed node group of this cluster (its ASG's tags), in the configured region", () => {
    expect(values.cloudProvider).toBe("aws");
    expect(values.autoDiscovery).toEqual({ clusterName: expect.stringMatching(fromStack("eks", /name/)) });
    expect(values.awsRegion).toBe("us-west-2");
  });

  test("its service account carries the IRSA role of the eks stack", () => {
    expect(values.rbac.serviceAccount).toEqual({
      create: true,
      name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name,
      annotations: { "eks.amazonaws.com/role-arn": expect.stringMatching(fromStack("eks", /cluster-autoscaler-role.*arn/)) },
    });
  });

  test("scale-down: PodDisruptionBudgets respected (its default), nodes with scratch emptyDirs removable, least waste, the zones' groups balanced, runners not expendable", () => {
    expect(values.extraArgs).toEqual({
      "skip-nodes-with-local-storage": false,
      expander: "least-waste",
      "balance-similar-node-groups": true,
      "expendable-pods-priority-cutoff": -10,
      v: 2,
    });
    expect(Object.keys(values.extraArgs)).not.toContain("skip-nodes-with-system-pods");
  });

  test("IRSA policy: describe what it needs; resize or terminate only Auto Scaling groups tagged for this cluster", () => {
    const doc = resourcesOf(eks, "aws_iam_policy_document", "data").find((d) =>
      (d.statement ?? []).some((s: TfJson) => s.sid === "ScaleThisClustersNodeGroups"),
    )!;
    const scale = doc.statement.find((s: TfJson) => s.sid === "ScaleThisClustersNodeGroups");
    expect(scale.actions).toEqual(["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]);
    expect(scale.condition).toEqual([{ test: "StringEquals", variable: "aws:ResourceTag/k8s.io/cluster-autoscaler/attractor-factory-eks", values: ["owned"] }]);
    const discover = doc.statement.find((s: TfJson) => s.sid === "Discover");
    expect(discover.actions.every((a: string) => /^(autoscaling|ec2):(Describe|Get)|^eks:DescribeNodegroup$/.test(a))).toBe(true);
  });

  test("IRSA trust: only kube-system/cluster-autoscaler", () => {
    const doc = resourcesOf(eks, "aws_iam_policy_document", "data").find((d) =>
      JSON.stringify(d).includes("system:serviceaccount:kube-system:cluster-autoscaler"),
    );
    expect(doc).toBeDefined();
  });
});

describe("metrics-server", () => {
  const ms = release(addons, "metrics-server");

  test("is the kubernetes-sigs chart at the version pinned in versions.yaml, in kube-system", () => {
    expect(ms.repository).toBe(VERSIONS.charts.metricsServer.repository);
    expect(ms.chart).toBe("metrics-server");
    expect(ms.version).toBe(VERSIONS.charts.metricsServer.version);
    expect(ms.namespace).toBe("kube-system");
  });

  test("values come from helm-values/metrics-server.yaml", () => {
    const file = loadHelmValues(path.join(__dirname, "..", "..", "helm-values", "metrics-server.yaml"));
    expect(valuesOf(ms)).toEqual(file);
    expect(file.replicas).toBe(2);
  });
});

describe("StorageClasses", () => {
  const classes = resourcesOf(addons, "kubernetes_storage_class_v1");
  const byName = Object.fromEntries(classes.map((c) => [c.metadata.name, c]));

  test("gp3 is the one default class: EBS CSI, gp3, encrypted, WaitForFirstConsumer, expandable", () => {
    expect(byName.gp3).toMatchObject({
      storage_provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true" },
      volume_binding_mode: "WaitForFirstConsumer",
      allow_volume_expansion: true,
      reclaim_policy: "Delete",
    });
    const defaults = classes.filter((c) => c.metadata.annotations["storageclass.kubernetes.io/is-default-class"] === "true");
    expect(defaults.map((c) => c.metadata.name)).toEqual(["gp3"]);
  });

  test("gp3-retain (the data stores' class) keeps the EBS volume when its claim is deleted", () => {
    expect(byName["gp3-retain"]).toMatchObject({
      storage_provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true" },
      volume_binding_mode: "WaitForFirstConsumer",
      allow_volume_expansion: true,
      reclaim_policy: "Retain",
    });
  });
});

describe("EBS CSI driver (EKS add-on of the eks stack)", () => {
  test("is installed at the pinned version with its IRSA role", () => {
    const addon = resourcesOf(eks, "aws_eks_addon").find((a) => a.addon_name === "aws-ebs-csi-driver");
    expect(addon?.addon_version).toBe(VERSIONS.kubernetes.eksAddons[VERSIONS.kubernetes.default]["aws-ebs-csi-driver"]);
    expect(addon?.service_account_role_arn).toMatch(/aws_iam_role\..*ebs-csi/);
  });
});

describe("helm-values files", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "helm-values-"));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  test("a malformed file is a one-line error naming the file", () => {
    const file = write("broken.yaml", "replicaCount: 2\nresources:\n  requests: [cpu: 1\n");
    expect(() => loadHelmValues(file)).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: not a valid Helm values file: [^\\n]+$`));
  });

  test("a file whose top level is not a mapping is an error", () => {
    const file = write("list.yaml", "- a\n- b\n");
    expect(() => loadHelmValues(file)).toThrow(`${file}: not a valid Helm values file: the top level must be a mapping`);
  });

  test("a duplicate key is an error (YAML would silently keep one)", () => {
    const file = write("dup.yaml", "replicas: 1\nreplicas: 2\n");
    expect(() => loadHelmValues(file)).toThrow(`${file}: not a valid Helm values file`);
  });

  test("a missing file is an error naming it", () => {
    expect(() => loadHelmValues(path.join(dir, "absent.yaml"))).toThrow(`${path.join(dir, "absent.yaml")}: not a valid Helm values file`);
  });

  test("an empty file is an empty mapping", () => {
    expect(loadHelmValues(write("empty.yaml", "# nothing\n"))).toEqual({});
  });

  test("a file may not set a computed value", () => {
    expect(() => mergeHelmValues({ serviceAccount: { name: "other" } }, { serviceAccount: { name: "aws-load-balancer-controller" } }, "f.yaml")).toThrow(
      "f.yaml: serviceAccount.name is computed from the stacks; remove it from the file",
    );
  });

  test("a release whose values file is malformed fails synth with the file's name", () => {
    const file = write("release.yaml", "a: [\n");
    const stack = new TerraformStack(Testing.app(), "s");
    expect(() => new PinnedHelmRelease(stack, "r", { pin: VERSIONS.charts.metricsServer, releaseName: "r", namespace: "n", valuesFile: file })).toThrow(file);
  });
});

describe("versions.yaml", () => {
  test("every chart and image is pinned to an exact version", () => {
    for (const pin of Object.values(VERSIONS.charts)) expect(pin.version).toMatch(/^\d+\.\d+\.\d+$/);
    for (const image of Object.values(VERSIONS.images)) {
      expect(image).toMatch(/:[A-Za-z0-9_.-]+$/);
      expect(image).not.toMatch(/:(latest|stable|\d+|\d+-alpine)$/);
    }
  });
});
