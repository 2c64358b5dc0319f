import { Construct } from "constructs";
import { readFileSync } from "fs";
import * as path from "path";
import { IrsaRole } from "../../irsa-role";

/** The controller's service account; the Helm release in the add-ons stack creates it. */
export const ALB_CONTROLLER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-load-balancer-controller" } as const;

/** Upstream IAM policy of the pinned controller version (provenance: constructs/addons/aws-load-balancer-controller/README.md). */
export const ALB_CONTROLLER_POLICY_FILE = path.join(__dirname, "iam-policy.json");

export interface AlbControllerRoleProps {
  /** The cluster's name: the role is `<clusterName>-alb-controller`. */
  readonly clusterName: string;
  /** ARN of the cluster's IAM OIDC provider, trusted by the role. */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer URL (https://oidc.eks.<region>.amazonaws.com/id/<id>). */
  readonly oidcIssuerUrl: string;
  /**
   * The controller's IAM policy document.
   * @default the file ALB_CONTROLLER_POLICY_FILE
   */
  readonly policyFile?: string;
}

/** The IRSA role of the AWS Load Balancer Controller, with the upstream policy for its version. */
export class AlbControllerRole extends IrsaRole {
  constructor(scope: Construct, id: string, props: AlbControllerRoleProps) {
    const file = props.policyFile ?? ALB_CONTROLLER_POLICY_FILE;
    let policy: string;
    try {
      // Parsed and re-serialized: a malformed file fails synth here, not in IAM.
      policy = JSON.stringify(JSON.parse(readFileSync(file, "utf8")));
    } catch (e) {
      throw new Error(`${file}: not a valid IAM policy JSON document (${(e as Error).message})`, { cause: e });
    }
    super(scope, id, {
      roleName: `${props.clusterName}-alb-controller`,
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuerUrl: props.oidcIssuerUrl,
      namespace: ALB_CONTROLLER_SERVICE_ACCOUNT.namespace,
      serviceAccount: ALB_CONTROLLER_SERVICE_ACCOUNT.name,
      inlinePolicyJson: policy,
    });
  }
}
