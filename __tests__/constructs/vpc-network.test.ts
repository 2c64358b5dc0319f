/** VpcNetwork: a VPC laid out for EKS: per AZ a large private and a small public subnet, tagged for discovery. */
import { VpcNetwork, VpcNetworkProps, subnetLayout } from "../../constructs/vpc-network";
import { all, awsStack, byKey, only, synth, TfJson } from "./support";

const props: VpcNetworkProps = { name: "attractor-factory", cidr: "10.42.0.0/16", clusterName: "attractor-factory" };

function build(overrides: Partial<VpcNetworkProps> = {}): TfJson {
  const stack = awsStack();
  new VpcNetwork(stack, "net", { ...props, ...overrides });
  return synth(stack);
}
const subnets = (json: TfJson, kind: "public" | "private") => all(json, "aws_subnet").filter((s) => s.tags.Name.startsWith(`attractor-factory-${kind}-`));
const address = (json: TfJson, type: string, name: string) => {
  const key = Object.entries(byKey(json, type)).find(([, r]) => r.tags.Name === name)?.[0];
  if (!key) throw new Error(`no ${type} named ${name}`);
  return key;
};

/** A route table's routes: each the one route to 0.0.0.0/0, given as its target (the attributes not null). */
const defaultRoutes = (rt: TfJson) =>
  rt.route.map((r: TfJson) => {
    expect(r.cidr_block).toBe("0.0.0.0/0");
    return Object.fromEntries(Object.entries(r).filter(([k, v]) => k !== "cidr_block" && v !== null));
  });

test("VpcNetwork: subnetLayout: private subnets are the first two quarters, public ones small blocks at the start of the third", () => {
  expect(subnetLayout("10.42.0.0/16")).toEqual({ private: ["10.42.0.0/18", "10.42.64.0/18"], public: ["10.42.128.0/20", "10.42.144.0/20"] });
  expect(() => subnetLayout("10.42.0.0")).toThrow('VpcNetwork: not an IPv4 CIDR: "10.42.0.0"');
});

test("VpcNetwork: the VPC has DNS support and host names (EKS needs both)", () => {
  expect(only(build(), "aws_vpc")).toEqual({
    cidr_block: "10.42.0.0/16",
    enable_dns_hostnames: true,
    enable_dns_support: true,
    tags: { Name: "attractor-factory" },
  });
});

test("VpcNetwork: two AZs by default, each with a public and a private subnet of the layout", () => {
  const json = build();
  expect(subnets(json, "private").map((s) => s.cidr_block)).toEqual(["10.42.0.0/18", "10.42.64.0/18"]);
  expect(subnets(json, "public").map((s) => s.cidr_block)).toEqual(["10.42.128.0/20", "10.42.144.0/20"]);
  expect(subnets(json, "private").map((s) => s.availability_zone)).toEqual(subnets(json, "public").map((s) => s.availability_zone));
});

test("VpcNetwork: azCount sets the number of AZs", () => {
  expect(subnets(build({ azCount: 3 }), "private")).toHaveLength(3);
});

test("VpcNetwork: only AZs that need no opt-in (no Local or Wavelength Zones)", () => {
  expect(only(build(), "aws_availability_zones", "data")).toEqual({ state: "available", filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] });
});

test("VpcNetwork: subnets carry the load balancer controller's discovery tags; public ones give no public IPs", () => {
  const json = build();
  for (const s of subnets(json, "public")) {
    expect(s.tags).toMatchObject({ "kubernetes.io/role/elb": "1", "kubernetes.io/cluster/attractor-factory": "shared" });
    expect(s.map_public_ip_on_launch).toBe(false);
  }
  for (const s of subnets(json, "private"))
    expect(s.tags).toMatchObject({ "kubernetes.io/role/internal-elb": "1", "kubernetes.io/cluster/attractor-factory": "shared" });
});

test("VpcNetwork: public subnets route to the internet gateway", () => {
  const json = build();
  const publicRt = address(json, "aws_route_table", "attractor-factory-public");
  expect(defaultRoutes(json.resource.aws_route_table[publicRt])).toEqual([
    { gateway_id: `\${aws_internet_gateway.${Object.keys(byKey(json, "aws_internet_gateway"))[0]}.id}` },
  ]);
  const associated = all(json, "aws_route_table_association").filter((a) => a.route_table_id === `\${aws_route_table.${publicRt}.id}`);
  expect(associated).toHaveLength(2);
});

test("VpcNetwork: one NAT gateway by default, in the first public subnet, behind every private route table", () => {
  const json = build();
  const nat = only(json, "aws_nat_gateway");
  expect(nat.subnet_id).toBe(`\${aws_subnet.${address(json, "aws_subnet", "attractor-factory-public-0")}.id}`);
  const natRef = `\${aws_nat_gateway.${Object.keys(byKey(json, "aws_nat_gateway"))[0]}.id}`;
  for (const i of [0, 1]) {
    const rt = json.resource.aws_route_table[address(json, "aws_route_table", `attractor-factory-private-${i}`)];
    expect(defaultRoutes(rt)).toEqual([{ nat_gateway_id: natRef }]);
  }
});

test("VpcNetwork: natGateways per-az gives each AZ's private route table the NAT gateway of its own AZ", () => {
  const json = build({ natGateways: "per-az" });
  expect(all(json, "aws_nat_gateway")).toHaveLength(2);
  expect(all(json, "aws_eip")).toHaveLength(2);
  for (const i of [0, 1]) {
    const nat = address(json, "aws_nat_gateway", `attractor-factory-nat-${i}`);
    expect(json.resource.aws_nat_gateway[nat].subnet_id).toBe(`\${aws_subnet.${address(json, "aws_subnet", `attractor-factory-public-${i}`)}.id}`);
    const rt = json.resource.aws_route_table[address(json, "aws_route_table", `attractor-factory-private-${i}`)];
    expect(defaultRoutes(rt)).toEqual([{ nat_gateway_id: `\${aws_nat_gateway.${nat}.id}` }]);
  }
});

test("VpcNetwork: the default security group is taken over with no rules, so nothing can use it", () => {
  const sg = only(build(), "aws_default_security_group");
  expect(sg.ingress).toBeUndefined();
  expect(sg.egress).toBeUndefined();
  expect(sg.tags).toEqual({ Name: "attractor-factory-default-unused" });
});
