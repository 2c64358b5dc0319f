import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

export interface ServiceRoleProps {
  /** IAM role name. */
  readonly roleName: string;
  /** The AWS service principal that assumes the role, e.g. eks.amazonaws.com. */
  readonly servicePrincipal: string;
  /** ARNs of the AWS managed policies the role gets. */
  readonly managedPolicyArns: readonly string[];
}

/** An IAM role assumed by an AWS service (the EKS control plane, EC2 nodes), with managed policies. */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  /** The policy attachments: depend on these when the service needs its permissions at once. */
  readonly attachments: IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: [props.servicePrincipal] }],
        },
      ],
    });
    this.role = new IamRole(this, "role", { name: props.roleName, assumeRolePolicy: trust.json });
    this.attachments = attachManagedPolicies(this, this.role, props.managedPolicyArns);
  }
}

/** Attaches managed policies to a role, each keyed by its policy name (not its list position). */
export function attachManagedPolicies(scope: Construct, role: IamRole, policyArns: readonly string[]): IamRolePolicyAttachment[] {
  return policyArns.map((policyArn) => new IamRolePolicyAttachment(scope, policyArn.split("/").pop()!, { role: role.name, policyArn }));
}

/** ARN of an AWS managed policy (commercial partition: config only admits commercial regions). */
export function awsManagedPolicy(name: string): string {
  return `arn:aws:iam::aws:policy/${name}`;
}
