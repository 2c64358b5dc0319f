import { Construct } from "constructs";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksCluster as AwsEksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { ServiceRole, awsManagedPolicy } from "./service-role";

/** Every control-plane log type EKS offers. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

export interface EksClusterProps {
  /** The cluster's name; it also names the cluster's role (`<name>-cluster`), key alias and log group. */
  readonly clusterName: string;
  /** Kubernetes version (validated by config against versions.yaml). */
  readonly kubernetesVersion: string;
  /** Subnets for the control plane's network interfaces (the private subnets). */
  readonly subnetIds: string[];
  /** Kubernetes service network; must not overlap the VPC. */
  readonly serviceCidr: string;
  /**
   * Networks allowed to reach the public API endpoint.
   * @default ["0.0.0.0/0"] (authentication is still required; narrow it to your office/VPN)
   */
  readonly endpointPublicAccessCidrs?: readonly string[];
  /**
   * Retention of the control-plane logs, in days.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /**
   * The upgrade policy: STANDARD upgrades the cluster when its minor leaves standard support;
   * EXTENDED keeps it, at the extended support price. Set explicitly: AWS's own default is EXTENDED.
   * @default "STANDARD"
   */
  readonly supportType?: EksSupportType;
}

/** What happens when the cluster's Kubernetes minor leaves standard support. */
export type EksSupportType = "STANDARD" | "EXTENDED";

/**
 * An EKS control plane with secure defaults: Kubernetes secrets envelope-encrypted with a
 * customer-managed KMS key (rotated yearly), every control-plane log type shipped to a log group
 * with a retention, authentication through EKS access entries only (no aws-auth ConfigMap), a
 * private endpoint for nodes and a public one restricted to the given networks, and the IAM OIDC
 * provider that IRSA roles trust.
 */
export class EksCluster extends Construct {
  readonly cluster: AwsEksCluster;
  readonly oidcProvider: IamOpenidConnectProvider;
  readonly kmsKey: KmsKey;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const name = props.clusterName;

    this.kmsKey = new KmsKey(this, "secrets-key", {
      description: `Envelope encryption of Kubernetes secrets of EKS cluster ${name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    new KmsAlias(this, "secrets-key-alias", { name: `alias/eks/${name}`, targetKeyId: this.kmsKey.keyId });

    // Created before the cluster: EKS would otherwise create it itself, with no retention.
    const logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/eks/${name}/cluster`,
      retentionInDays: props.logRetentionDays ?? 90,
    });

    const role = new ServiceRole(this, "cluster-role", {
      roleName: `${name}-cluster`,
      servicePrincipal: "eks.amazonaws.com",
      managedPolicyArns: [awsManagedPolicy("AmazonEKSClusterPolicy")],
    });
    // The control plane uses the key through its role; scoped to this key only.
    const kmsUse = new DataAwsIamPolicyDocument(this, "kms-use", {
      statement: [
        {
          effect: "Allow",
          actions: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
          resources: [this.kmsKey.arn],
        },
      ],
    });
    const kmsPolicy = new IamRolePolicy(this, "cluster-kms", { role: role.role.id, name: `${name}-secrets-kms`, policy: kmsUse.json });

    this.cluster = new AwsEksCluster(this, "cluster", {
      name,
      version: props.kubernetesVersion,
      roleArn: role.role.arn,
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
        publicAccessCidrs: [...(props.endpointPublicAccessCidrs ?? ["0.0.0.0/0"])],
      },
      accessConfig: {
        authenticationMode: "API",
        // The deploying principal gets an explicit access entry instead (ClusterAdminAccess), so it
        // is visible in Terraform and can be removed without replacing the cluster.
        bootstrapClusterCreatorAdminPermissions: false,
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: this.kmsKey.arn } },
      enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
      kubernetesNetworkConfig: { serviceIpv4Cidr: props.serviceCidr, ipFamily: "ipv4" },
      upgradePolicy: { supportType: props.supportType ?? "STANDARD" },
      // The role may use the key before CreateCluster, which sets up encryption with it.
      dependsOn: [logGroup, ...role.attachments, kmsPolicy],
      // EKS takes these two only in CreateCluster and never reports them back, so an imported
      // cluster (an apply cut off after CreateCluster; see scripts/engine/adopt.ts) holds the
      // provider's import defaults, not ours, and both force a replacement. Ignoring them is safe:
      // a change to either can only take effect on a new cluster, and admin access is managed by
      // the access entries, which Terraform does read back.
      lifecycle: { ignoreChanges: ["bootstrap_self_managed_addons", "access_config[0].bootstrap_cluster_creator_admin_permissions"] },
    });

    this.oidcProvider = new IamOpenidConnectProvider(this, "oidc", {
      url: this.cluster.identity.get(0).oidc.get(0).issuer,
      clientIdList: ["sts.amazonaws.com"],
      // thumbprint_list is left out: IAM trusts the EKS issuer's certificate authority itself.
    });
  }
}
