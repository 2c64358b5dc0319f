import { Construct } from "constructs";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { ServiceRole, awsManagedPolicy } from "./service-role";

/** Node role policies: join the cluster, run the VPC CNI, pull from ECR, be reachable through SSM. */
export const NODE_ROLE_POLICIES = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEKS_CNI_Policy",
  "AmazonEC2ContainerRegistryReadOnly",
  "AmazonSSMManagedInstanceCore",
].map(awsManagedPolicy);

export const NODE_AMI_TYPE = "AL2023_x86_64_STANDARD";

export type CapacityType = "ON_DEMAND" | "SPOT";

/** How many nodes of which kind (the settings FACTORY_NODE_*). */
export interface NodeGroupSizing {
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  readonly instanceTypes: readonly string[];
  readonly diskSizeGiB: number;
  readonly capacityType: CapacityType;
}

export interface ManagedNodeGroupProps {
  readonly clusterName: string;
  /**
   * Name of the pool: the prefix of the node group's generated name (node group names are unique
   * per cluster; Terraform appends a 26-character suffix, EKS allows 63 in all), the value of the
   * `attractor-factory/pool` node label.
   * @default "default"
   */
  readonly poolName?: string;
  /** Prefix of the launch template's generated name (unique per account), e.g. `<cluster>-default`. */
  readonly launchTemplateNamePrefix: string;
  /** Subnets of the nodes: private subnets only. */
  readonly subnetIds: string[];
  /** Sizes, instance types, disk and capacity type (validated by config). */
  readonly sizing: NodeGroupSizing;
  /**
   * Kubernetes version of the nodes; follows the control plane when set to its version.
   * @default the cluster's version
   */
  readonly kubernetesVersion?: string;
  /**
   * Tags of the instances and root volumes the node group launches (beside their Name), e.g. the
   * platform's cost allocation tags: the provider's default tags do not reach them.
   * @default none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An EKS managed node group of Amazon Linux 2023 nodes in private subnets. Its launch template
 * requires IMDSv2 with a hop limit of 1, so pods cannot reach the node's instance credentials
 * (add-ons that need the region or VPC id are given them explicitly), encrypts the root volume
 * (gp3) and opens no SSH (use SSM Session Manager). No security group is set in the template, so
 * EKS attaches only the cluster security group: exactly one group tagged for the cluster.
 *
 * Changes never take every node down at once:
 * - what EKS can change in place (sizes, labels, Kubernetes version, and the launch template:
 *   disk size, metadata options) rolls node by node, honouring pod disruption budgets;
 * - what it cannot (instance types, capacity type, AMI type, subnets) replaces the group
 *   create-before-destroy: the new group, under a new generated name, is ACTIVE (its nodes joined
 *   and Ready) before the old group is deleted, and EKS drains each old node through the eviction
 *   API (PDBs honoured, for up to 5 minutes a node) while the pods move to the new nodes.
 * Instance types stay on the group rather than in the launch template because a template holds one
 * type, and SPOT capacity wants several; one mechanism then covers every replacing attribute.
 */
export class ManagedNodeGroup extends Construct {
  readonly nodeGroup: EksNodeGroup;
  readonly role: ServiceRole;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const { sizing } = props;
    const pool = props.poolName ?? "default";

    this.role = new ServiceRole(this, "node-role", {
      roleName: `${props.clusterName}-node`,
      servicePrincipal: "ec2.amazonaws.com",
      managedPolicyArns: NODE_ROLE_POLICIES,
    });

    const template = new LaunchTemplate(this, "launch-template", {
      namePrefix: `${props.launchTemplateNamePrefix}-`,
      description: `Nodes of EKS cluster ${props.clusterName}`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
      },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { volumeSize: sizing.diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      // The provider's default tags do not reach what the node group's Auto Scaling group launches.
      tagSpecifications: [
        { resourceType: "instance", tags: { Name: `${props.clusterName}-node`, ...props.tags } },
        { resourceType: "volume", tags: { Name: `${props.clusterName}-node`, ...props.tags } },
      ],
    });

    this.nodeGroup = new EksNodeGroup(this, "node-group", {
      clusterName: props.clusterName,
      // A generated name, so that a replacement can exist beside the group it replaces.
      nodeGroupNamePrefix: `${pool}-`,
      version: props.kubernetesVersion,
      nodeRoleArn: this.role.role.arn,
      subnetIds: props.subnetIds,
      amiType: NODE_AMI_TYPE,
      instanceTypes: [...sizing.instanceTypes],
      capacityType: sizing.capacityType,
      scalingConfig: { minSize: sizing.minSize, desiredSize: sizing.desiredSize, maxSize: sizing.maxSize },
      // One node at a time: with PDBs of maxUnavailable 1 a rolling update never stalls.
      updateConfig: { maxUnavailable: 1 },
      // EKS replaces a node that stays unhealthy (NotReady, kubelet or disk failures) itself.
      nodeRepairConfig: { enabled: true },
      launchTemplate: { id: template.id, version: template.latestVersion.toString() },
      labels: { "attractor-factory/pool": pool },
      // Nodes cannot join the cluster until their role has its policies.
      dependsOn: this.role.attachments,
      // desiredSize is where a new group starts; then the Cluster Autoscaler owns it (an apply that
      // reset it would drain the nodes the autoscaler added, data stores' included).
      lifecycle: { createBeforeDestroy: true, ignoreChanges: ["scaling_config[0].desired_size"] },
    });
  }
}
