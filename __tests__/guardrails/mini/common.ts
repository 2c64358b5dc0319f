/**
 * What the mini platform's stacks share: the defect switch, the state backend, the cluster name and
 * how an element's address is recorded for the tests.
 */
import { S3Backend, TerraformStack } from "cdktf";
import type { Defect } from "./defects";

/** Whether the one defect of this synthesis is `d`. */
export type Is = (d: Defect) => boolean;

export interface Address {
  readonly stack: string;
  readonly address: string;
}

/** Addresses of the mini platform's elements, by role. */
export interface Addresses {
  readonly [role: string]: Address;
}

export const at = (stack: TerraformStack, el: { terraformResourceType: string; friendlyUniqueId: string }, data = false): Address => ({
  stack: stack.node.id,
  address: `${data ? "data." : ""}${el.terraformResourceType}.${el.friendlyUniqueId}`,
});

/** The cost allocation tags of what a stack creates (the cost-allocation-tags rule). */
export const costTags = (stack: TerraformStack) => ({ Project: "mini", Stack: stack.node.id });

export const BUCKET = "mini-tfstate";
export const CLUSTER = "mini";

/** An encrypted, locked S3 backend under its own key. */
export function backend(stack: TerraformStack, key: string): void {
  new S3Backend(stack, { bucket: BUCKET, key: `${key}/terraform.tfstate`, region: "us-west-2", encrypt: true });
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
