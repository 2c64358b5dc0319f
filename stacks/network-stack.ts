import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { FactoryConfig } from "../config";
import { FactoryStack } from "./factory-stack";
import { VpcNetwork } from "../constructs/vpc-network";

/** The VPC the cluster runs in. */
export class NetworkStack extends FactoryStack {
  readonly vpcId: string;
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];

  constructor(scope: Construct, config: FactoryConfig) {
    super(scope, "network", { config });
    const network = new VpcNetwork(this, "network", {
      name: config.stackPrefix,
      cidr: config.vpcCidr,
      clusterName: config.clusterName,
      natGateways: config.natGateways,
    });
    this.vpcId = network.vpc.id;
    this.publicSubnetIds = network.publicSubnets.map((s) => s.id);
    this.privateSubnetIds = network.privateSubnets.map((s) => s.id);

    new TerraformOutput(this, "VpcId", { value: this.vpcId });
    new TerraformOutput(this, "PublicSubnetIds", { value: this.publicSubnetIds });
    new TerraformOutput(this, "PrivateSubnetIds", { value: this.privateSubnetIds });
  }
}
