/** What a synthesized stack's code says (scripts/engine/synthesized-stack.ts): the stacks it reads, the resources it declares. */
import { mkdtempSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { countDeclaredResources, remoteStateStacks } from "../../../scripts/engine/synthesized-stack";

describe("the stacks a stack waits for (remoteStateStacks)", () => {
  test("remoteStateStacks names the stacks whose outputs a stack reads (remote state), not its ordering-only dependencies", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "stacks-test-"));
    const remote = (stack: string) => ({ backend: "s3", config: { bucket: "b", key: `${stack}/terraform.tfstate` } });
    writeFileSync(
      path.join(dir, "cdk.tf.json"),
      JSON.stringify({
        data: { terraform_remote_state: { "cross-stack-reference-input-p-cert": remote("p-cert"), "cross-stack-reference-input-p-eks": remote("p-eks") } },
      }),
    );
    expect(remoteStateStacks(dir)).toEqual(["p-cert", "p-eks"]);
    writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify({ resource: {} }));
    expect(remoteStateStacks(dir)).toEqual([]);
  });
});

describe("declared resources", () => {
  test("every resource the stack's code declares is counted, across resource types (the weight of its plan and apply)", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "stacks-test-"));
    writeFileSync(
      path.join(dir, "cdk.tf.json"),
      JSON.stringify({ resource: { aws_vpc: { a: {} }, aws_subnet: { b: {}, c: {} } }, data: { aws_region: { r: {} } } }),
    );
    expect(countDeclaredResources(dir)).toBe(3);
    writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify({}));
    expect(countDeclaredResources(dir)).toBe(0);
  });
});
