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

/** How many nodes of which kind (the settings FACTORY_NODE_*); the sizes are totals over the zones. */
export interface NodeGroupSizing {
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  readonly instanceTypes: readonly string[];
  readonly diskSizeGiB: number;
  readonly capacityType: CapacityType;
}

export interface ManagedNodeGroupProps {
  /** The cluster the nodes join; the nodes' role and Name tag are `<clusterName>-node`. */
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
  /** Subnets of the nodes: private subnets only, one per zone; a node group each. */
  readonly subnetIds: string[];
  /**
   * Sizes (totals, split equally over the subnets' groups: each must be a multiple of their
   * number, and min at least one node a zone), instance types, disk and capacity type.
   */
  readonly sizing: NodeGroupSizing;
  /**
   * Kubernetes version of the nodes; follows the control plane when set to its version.
   * @default the cluster's version
   */
  readonly kubernetesVersion?: string;
  /**
   * The AMI release of the nodes (e.g. 1.35.7-20260827), of the same Kubernetes version: a change
   * rolls the nodes in place, one at a time in each zone's group.
   * @default AWS's recommended release when the group is created (then it never moves by itself)
   */
  readonly releaseVersion?: string;
  /**
   * Tags of the instances and root volumes the node group launches (beside their Name), e.g. the
   * platform's cost allocation tags: the provider's default tags do not reach them.
   * @default none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The platform's nodes: one EKS managed node group per private subnet (zone), identical but for
 * the subnet, sharing one node role and one launch template. One group per zone because the data
 * stores' volumes are zonal EBS: the Cluster Autoscaler models a group as lying in one zone, so a
 * group spanning zones may add a node in the wrong zone for a Pending pod whose volume is in the
 * other (its FAQ and the EKS best-practices guide: one group per zone, with
 * --balance-similar-node-groups, which keeps the zones' groups the same size).
 *
 * Amazon Linux 2023 nodes in private subnets. Its launch template
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
  /** One group per subnet, in the subnets' order. */
  readonly nodeGroups: EksNodeGroup[];
  readonly role: ServiceRole;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const { sizing } = props;
    const pool = props.poolName ?? "default";
    const zones = props.subnetIds.length;
    const sizes = [sizing.minSize, sizing.desiredSize, sizing.maxSize];
    if (zones < 1 || sizes.some((n) => n % zones !== 0) || sizing.minSize < zones) {
      throw new Error(
        `ManagedNodeGroup ${id}: min/desired/max ${sizes.join("/")} must be multiples of the ${zones} subnets' groups, min at least one node a zone`,
      );
    }

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

    // Created from the last zone to the first, each waiting for the next: replacing a group (a
    // roll, or a deployed platform's one group spanning every zone becoming the first zone's)
    // creates every new group before the first old one drains. The first keeps the id the single
    // group had, so that group is replaced create-first rather than destroyed.
    const groups: EksNodeGroup[] = [];
    for (let i = zones - 1; i >= 0; i--) {
      groups.unshift(
        new EksNodeGroup(this, i === 0 ? "node-group" : `node-group-${i}`, {
          clusterName: props.clusterName,
          // A generated name, so that a replacement can exist beside the group it replaces.
          nodeGroupNamePrefix: `${pool}-z${i}-`,
          version: props.kubernetesVersion,
          releaseVersion: props.releaseVersion,
          nodeRoleArn: this.role.role.arn,
          subnetIds: [props.subnetIds[i]],
          amiType: NODE_AMI_TYPE,
          instanceTypes: [...sizing.instanceTypes],
          capacityType: sizing.capacityType,
          scalingConfig: { minSize: sizing.minSize / zones, desiredSize: sizing.desiredSize / zones, maxSize: sizing.maxSize / zones },
          // One node at a time: with PDBs of maxUnavailable 1 a rolling update never stalls.
          updateConfig: { maxUnavailable: 1 },
          // EKS replaces a node that stays unhealthy (NotReady, kubelet or disk failures) itself.
          nodeRepairConfig: { enabled: true },
          launchTemplate: { id: template.id, version: template.latestVersion.toString() },
          // The same labels in every zone: the autoscaler balances only groups that look alike.
          labels: { "attractor-factory/pool": pool },
          // Nodes cannot join the cluster until their role has its policies.
          dependsOn: [...this.role.attachments, ...groups.slice(0, 1)],
          // desiredSize is where a new group starts; then the Cluster Autoscaler owns it (an apply that
          // reset it would drain the nodes the autoscaler added, data stores' included).
          lifecycle: { createBeforeDestroy: true, ignoreChanges: ["scaling_config[0].desired_size"] },
        }),
      );
    }
    this.nodeGroups = groups;
  }
}
