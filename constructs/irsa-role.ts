import { Construct } from "constructs";
import { Fn } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { attachManagedPolicies } from "./service-role";

export interface IrsaRoleProps {
  /** IAM role name. */
  readonly roleName: string;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer URL (https://oidc.eks.<region>.amazonaws.com/id/<id>). */
  readonly oidcIssuerUrl: string;
  /** Namespace of the one service account that may assume the role. */
  readonly namespace: string;
  /** Name of the one service account that may assume the role. */
  readonly serviceAccount: string;
  /**
   * ARNs of managed policies to attach.
   * @default none
   */
  readonly managedPolicyArns?: readonly string[];
  /**
   * An inline policy document (JSON text), e.g. an add-on's iam-policy.json.
   * @default none
   */
  readonly inlinePolicyJson?: string;
}

/**
 * An IAM role for a Kubernetes service account (IRSA). The trust policy admits web identities from
 * this cluster's OIDC provider only, for exactly one service account (`sub`) and only with the STS
 * audience (`aud`), so no other pod in the cluster can assume it.
 */
export class IrsaRole extends Construct {
  readonly role: IamRole;
  /** The managed-policy attachments: depend on these when the workload needs them at start. */
  readonly attachments: IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    const issuer = Fn.replace(props.oidcIssuerUrl, "https://", "");

    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [props.oidcProviderArn] }],
          condition: [
            { test: "StringEquals", variable: `${issuer}:sub`, values: [`system:serviceaccount:${props.namespace}:${props.serviceAccount}`] },
            { test: "StringEquals", variable: `${issuer}:aud`, values: ["sts.amazonaws.com"] },
          ],
        },
      ],
    });

    this.role = new IamRole(this, "role", { name: props.roleName, assumeRolePolicy: trust.json });

    this.attachments = attachManagedPolicies(this, this.role, props.managedPolicyArns ?? []);
    if (props.inlinePolicyJson !== undefined) {
      new IamRolePolicy(this, "inline", { role: this.role.id, name: props.roleName, policy: props.inlinePolicyJson });
    }
  }
}
