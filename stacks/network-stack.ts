import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { FactoryConfig, ZONE_COUNT } from "../config";
import { PlatformStack } from "./platform-stack";
import { VpcNetwork } from "../constructs/vpc-network";

export interface NetworkStackProps {
  /** The validated settings (config/index.ts). */
  readonly config: FactoryConfig;
}

/** The VPC the cluster runs in. */
export class NetworkStack extends PlatformStack {
  readonly vpcId: string;
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, { config: props.config });
    const { config } = props;
    const network = new VpcNetwork(this, "network", {
      name: config.stackPrefix,
      cidr: config.vpcCidr,
      clusterName: config.clusterName,
      natGateways: config.natGateways,
      azCount: ZONE_COUNT,
    });
    this.vpcId = network.vpc.id;
    this.publicSubnetIds = network.publicSubnets.map((s) => s.id);
    this.privateSubnetIds = network.privateSubnets.map((s) => s.id);

    new TerraformOutput(this, "VpcId", { value: this.vpcId, description: "The VPC" });
    new TerraformOutput(this, "PublicSubnetIds", { value: this.publicSubnetIds, description: "The public subnets (load balancers, NAT), one per AZ" });
    new TerraformOutput(this, "PrivateSubnetIds", {
      value: this.privateSubnetIds,
      description: "The private subnets (nodes, pods, the control plane's interfaces), one per AZ",
    });
  }
}
