/** The checks settings are validated with: names, networks, sizes, ARNs. */
import { isAligned, isPrivateRange, parseCidr } from "../lib/cidr";

export const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
export function isDnsName(v: string): boolean {
  const labels = v.split(".");
  return v.length <= 253 && labels.length >= 2 && labels.every((l) => DNS_LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
}

/** Why `v` cannot be the VPC network, or undefined when it can. */
export function vpcCidrProblem(v: string): string | undefined {
  const c = parseCidr(v);
  if (!c || !isAligned(c)) return "an IPv4 network in CIDR notation whose address is the network's first, e.g. 10.42.0.0/16";
  if (c.prefix < 16 || c.prefix > 24)
    return `a prefix from /16 to /24 (AWS allows /16 at most; /24 is the smallest that holds 2 public and 2 private subnets), not /${c.prefix}`;
  if (!isPrivateRange(v)) return "a private (RFC 1918) range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16";
  return undefined;
}

export function isPublicCidr(v: string): boolean {
  const c = parseCidr(v);
  return !!c && isAligned(c);
}

export const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.(nano|micro|small|medium|large|metal|\d*xlarge)$/;
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const K8S_QUANTITY = /^[1-9]\d{0,4}(Mi|Gi|Ti)$/;
export const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;

/** S3 bucket naming rules (general purpose buckets). */
export function isBucketName(v: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) && !v.includes("..") && !/^\d+\.\d+\.\d+\.\d+$/.test(v) && !v.startsWith("xn--") && !v.endsWith("-s3alias")
  );
}
