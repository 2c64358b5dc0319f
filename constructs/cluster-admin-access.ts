import { Construct } from "constructs";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamSessionContext } from "@cdktf/provider-aws/lib/data-aws-iam-session-context";

export const CLUSTER_ADMIN_POLICY_ARN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

export interface ClusterAdminAccessProps {
  /** The cluster whose admin access entries these are. */
  readonly clusterName: string;
  /**
   * Further IAM role or user ARNs given cluster admin.
   * @default none: only the deploying principal
   */
  readonly extraAdminArns?: readonly string[];
}

/**
 * Cluster-admin access entries: one for the principal that deploys (its IAM role, not the
 * temporary STS session, so that the next deploy by the same role keeps access) and one for each
 * extra principal. The deploying principal must not be listed again: it is known only at apply,
 * where EKS refuses a second entry for it.
 */
export class ClusterAdminAccess extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAdminAccessProps) {
    super(scope, id);
    const caller = new DataAwsCallerIdentity(this, "caller");
    const session = new DataAwsIamSessionContext(this, "caller-session", { arn: caller.arn });

    this.admin("deployer", props.clusterName, session.issuerArn);
    const byId = new Map<string, string>();
    for (const arn of props.extraAdminArns ?? []) {
      // Keyed by the principal's name so that adding or removing one leaves the others alone.
      const entryId = `admin-${arn.split(":").pop()!.replace(/\//g, "-")}`;
      const other = byId.get(entryId);
      if (other !== undefined) {
        throw new Error(`ClusterAdminAccess ${id}: ${arn} and ${other} have the same name; extra admins must differ in their role or user path and name`);
      }
      byId.set(entryId, arn);
      this.admin(entryId, props.clusterName, arn);
    }
  }

  private admin(id: string, clusterName: string, principalArn: string): void {
    const entry = new EksAccessEntry(this, id, { clusterName, principalArn, type: "STANDARD" });
    new EksAccessPolicyAssociation(this, `${id}-cluster-admin`, {
      clusterName,
      principalArn: entry.principalArn,
      policyArn: CLUSTER_ADMIN_POLICY_ARN,
      accessScope: { type: "cluster" },
    });
  }
}
