/**
 * A change that is not routine: another VPC CIDR would replace the VPC and its subnets, and the
 * guard stops deploy-infra before it changes anything.
 */
import * as path from "path";
import { aws } from "./aws-queries";
import { outputs } from "./commands";
import { config, SPOT, work } from "./context";
import { check } from "./report";
import { Verb, verb } from "./verbs";

/** deploy-infra with another VPC CIDR, in an output directory of its own (one engine per directory, and its synthesized code differs). */
export function deployOtherVpcCidr(): Promise<Verb> {
  return verb(
    "deploy-infra",
    ["--yes"],
    "deploy-infra (guard)",
    undefined,
    { ...SPOT, FACTORY_VPC_CIDR: "10.43.0.0/16" },
    path.join(work, "guard", "cdktf.out"),
  );
}

export function verifyGuard(r: Verb): void {
  const vpc = /^ {2}attractor-factory-network: (aws_vpc\.\S+): replace \(destroy first\), forced by cidr_block$/m.exec(r.stderr)?.[1];
  check(
    "the guard: a VPC CIDR change stops deploy-infra before any change (exit 2), naming the network stack",
    r.status === 2 && /stopped before any change \(exit 2\): attractor-factory-network: stopped by the guard: /.test(r.last),
    `exit ${r.status}: ${r.last}`,
  );
  check(
    "the guard prints one line per protected resource: address, action, the attribute forcing it",
    !!vpc &&
      (r.stderr.match(/^ {2}attractor-factory-network: aws_subnet\.\S+: replace \(destroy first\), forced by .*cidr_block$/gm) ?? []).length === 4 &&
      !/allowed by --allow-replace/.test(r.stderr),
    r.stderr
      .split("\n")
      .filter((l) => /forced by/.test(l))
      .join(" | "),
  );
  check("the guard says how to go ahead on purpose", !!vpc && r.stderr.includes(`--allow-replace ${vpc}`));
  check(
    "the guard changed nothing: eks was never started, the VPC keeps its CIDR",
    !/attractor-factory-eks: terraform (plan|apply)/.test(r.stderr) &&
      aws(["ec2", "describe-vpcs", "--vpc-ids", outputs("network").VpcId]).Vpcs[0].CidrBlock === config.vpcCidr,
  );
}
