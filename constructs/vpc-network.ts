import { Construct } from "constructs";
import { Fn } from "cdktf";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { subnetCidr, parseCidr } from "../lib/cidr";

/** One NAT gateway for the VPC (cheaper), or one per availability zone (survives an AZ outage). */
export type NatGatewayMode = "single" | "per-az";

export interface VpcNetworkProps {
  /** Name prefix of every resource (Name tags). */
  readonly name: string;
  /** IPv4 network of the VPC, /16 to /24 (validated by config). */
  readonly cidr: string;
  /** Cluster whose load balancers and nodes use these subnets (discovery tags). */
  readonly clusterName: string;
  /**
   * One NAT gateway for the VPC, or one per availability zone.
   * @default "single"
   */
  readonly natGateways?: NatGatewayMode;
  /**
   * Number of availability zones (each gets a public and a private subnet).
   * @default 2
   */
  readonly azCount?: number;
}

/**
 * The subnets of a VPC network of `cidr` (prefix p): private subnets are the first two /(p+2)
 * quarters, public subnets /(p+4) blocks at the start of the third quarter; the rest is free for
 * later use. The app's network policies admit the load balancer from the public ones.
 */
export function subnetLayout(cidr: string, azCount = 2): { readonly public: string[]; readonly private: string[] } {
  const parsed = parseCidr(cidr);
  if (!parsed) throw new Error(`VpcNetwork: not an IPv4 CIDR: "${cidr}"`);
  const indexes = [...Array(azCount).keys()];
  return {
    public: indexes.map((i) => subnetCidr(cidr, parsed.prefix + 4, 8 + i)),
    private: indexes.map((i) => subnetCidr(cidr, parsed.prefix + 2, i)),
  };
}

/**
 * A VPC laid out for EKS: per AZ a large private subnet (nodes and pods, VPC CNI gives every pod a
 * VPC address) and a small public one (load balancers, NAT), with the tags the AWS Load Balancer
 * Controller uses to discover them.
 */
export class VpcNetwork extends Construct {
  readonly vpc: Vpc;
  readonly publicSubnets: Subnet[] = [];
  readonly privateSubnets: Subnet[] = [];
  readonly natGateways: NatGateway[] = [];

  constructor(scope: Construct, id: string, props: VpcNetworkProps) {
    super(scope, id);
    const azCount = props.azCount ?? 2;
    const layout = subnetLayout(props.cidr, azCount);
    const clusterTag = { [`kubernetes.io/cluster/${props.clusterName}`]: "shared" };

    // Only AZs that need no opt-in (excludes Local and Wavelength Zones).
    const azs = new DataAwsAvailabilityZones(this, "azs", {
      state: "available",
      filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    });

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.name },
    });

    // The default security group allows all traffic between its members; nothing should use it.
    new DefaultSecurityGroup(this, "default-sg", { vpcId: this.vpc.id, tags: { Name: `${props.name}-default-unused` } });

    const igw = new InternetGateway(this, "igw", { vpcId: this.vpc.id, tags: { Name: props.name } });

    const publicRoutes = new RouteTable(this, "public-rt", {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
      tags: { Name: `${props.name}-public` },
    });

    for (let i = 0; i < azCount; i++) {
      const az = Fn.element(azs.names, i);
      const pub = new Subnet(this, `public-${i}`, {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: layout.public[i],
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-public-${i}`, "kubernetes.io/role/elb": "1", ...clusterTag },
      });
      new RouteTableAssociation(this, `public-rta-${i}`, { subnetId: pub.id, routeTableId: publicRoutes.id });
      this.publicSubnets.push(pub);

      this.privateSubnets.push(
        new Subnet(this, `private-${i}`, {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock: layout.private[i],
          tags: { Name: `${props.name}-private-${i}`, "kubernetes.io/role/internal-elb": "1", ...clusterTag },
        }),
      );
    }

    const natCount = (props.natGateways ?? "single") === "per-az" ? azCount : 1;
    for (let i = 0; i < natCount; i++) {
      const eip = new Eip(this, `nat-eip-${i}`, { domain: "vpc", tags: { Name: `${props.name}-nat-${i}` } });
      this.natGateways.push(
        new NatGateway(this, `nat-${i}`, {
          allocationId: eip.id,
          subnetId: this.publicSubnets[i].id,
          tags: { Name: `${props.name}-nat-${i}` },
          dependsOn: [igw],
        }),
      );
    }

    // One private route table per AZ, so switching to per-AZ NAT only changes routes.
    this.privateSubnets.forEach((subnet, i) => {
      const rt = new RouteTable(this, `private-rt-${i}`, {
        vpcId: this.vpc.id,
        route: [{ cidrBlock: "0.0.0.0/0", natGatewayId: this.natGateways[i % natCount].id }],
        tags: { Name: `${props.name}-private-${i}` },
      });
      new RouteTableAssociation(this, `private-rta-${i}`, { subnetId: subnet.id, routeTableId: rt.id });
    });
  }
}
