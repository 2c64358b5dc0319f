import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { IrsaRole } from "./irsa-role";
import { awsManagedPolicy } from "./service-role";

/** The version of each managed add-on (versions.yaml `kubernetes.eksAddons.<minor>`). */
export interface EksAddonVersions {
  readonly "vpc-cni": string;
  readonly "kube-proxy": string;
  readonly coredns: string;
  readonly "aws-ebs-csi-driver": string;
  /** Container Insights (constructs/addons/container-insights/addon.ts), created with its log groups. */
  readonly "amazon-cloudwatch-observability": string;
}

export interface EksManagedAddonsProps {
  /** The cluster the add-ons are installed in; the EBS CSI driver's role is `<clusterName>-ebs-csi`. */
  readonly clusterName: string;
  /** Pinned add-on versions for the cluster's Kubernetes version (versions.yaml). */
  readonly versions: EksAddonVersions;
  /** The cluster's IAM OIDC provider, trusted by the EBS CSI driver's IRSA role. */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer URL (https://oidc.eks.<region>.amazonaws.com/id/<id>). */
  readonly oidcIssuerUrl: string;
  /** The node groups: every add-on is created (and upgraded) after them. */
  readonly nodes: readonly ITerraformDependable[];
}

/** The VPC CNI add-on's configuration (its schema: aws eks describe-addon-configuration). */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: "true" } as const;

/** Service account of the EBS CSI controller (fixed by the EKS add-on). */
export const EBS_CSI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "ebs-csi-controller-sa" } as const;

/**
 * The EKS managed add-ons the cluster runs on, at pinned versions: VPC CNI (network policies on), kube-proxy, CoreDNS
 * and the EBS CSI driver (with its own IRSA role, AmazonEBSCSIDriverPolicy) that backs the data
 * stores' gp3 volumes. EKS owns their configuration (conflicts resolved by overwriting).
 */
export class EksManagedAddons extends Construct {
  readonly ebsCsiRole: IrsaRole;
  readonly addons: Record<Exclude<keyof EksAddonVersions, "amazon-cloudwatch-observability">, EksAddon>;

  constructor(scope: Construct, id: string, props: EksManagedAddonsProps) {
    super(scope, id);

    this.ebsCsiRole = new IrsaRole(this, "ebs-csi-role", {
      roleName: `${props.clusterName}-ebs-csi`,
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuerUrl: props.oidcIssuerUrl,
      namespace: EBS_CSI_SERVICE_ACCOUNT.namespace,
      serviceAccount: EBS_CSI_SERVICE_ACCOUNT.name,
      managedPolicyArns: [awsManagedPolicy("service-role/AmazonEBSCSIDriverPolicy")],
    });

    // Every add-on waits for the nodes: coredns and the EBS CSI controller need nodes to become
    // ACTIVE, and on a version upgrade the order is control plane, nodes, then add-ons. (The
    // cluster starts with EKS's self-managed vpc-cni and kube-proxy, which these then adopt.)
    const addon = (
      name: Exclude<keyof EksAddonVersions, "amazon-cloudwatch-observability">,
      extra: { serviceAccountRoleArn?: string; dependsOn?: ITerraformDependable[]; configurationValues?: string } = {},
    ) =>
      new EksAddon(this, name, {
        clusterName: props.clusterName,
        addonName: name,
        addonVersion: props.versions[name],
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        serviceAccountRoleArn: extra.serviceAccountRoleArn,
        configurationValues: extra.configurationValues,
        dependsOn: [...props.nodes, ...(extra.dependsOn ?? [])],
      });

    this.addons = {
      // The CNI's network policy agent enforces the app's NetworkPolicies (off by default: they
      // would be accepted by the API and silently not enforced).
      "vpc-cni": addon("vpc-cni", { configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION) }),
      "kube-proxy": addon("kube-proxy"),
      coredns: addon("coredns"),
      "aws-ebs-csi-driver": addon("aws-ebs-csi-driver", {
        serviceAccountRoleArn: this.ebsCsiRole.role.arn,
        dependsOn: this.ebsCsiRole.attachments,
      }),
    };
  }
}
