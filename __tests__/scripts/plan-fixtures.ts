/**
 * Shared by the engine's unit tests (adopt.test.ts, plan-text.test.ts): a planned create, and an
 * AwsCli that answers from a table instead of calling AWS.
 */
import { ResourceChange } from "../../scripts/engine/adopt";
import { AwsCli } from "../../scripts/lib/aws-cli";

/** An AwsCli whose answers are looked up by the joined arguments (first matching prefix wins). */
export function fakeAws(answers: Record<string, unknown>): AwsCli & { calls: string[] } {
  const calls: string[] = [];
  const aws = {
    calls,
    json(args: readonly string[]) {
      const call = args.join(" ");
      calls.push(call);
      const key = Object.keys(answers).find((k) => call.startsWith(k));
      if (key === undefined) throw new Error(`unexpected aws call: ${call}`);
      const answer = answers[key];
      if (answer instanceof Error) throw answer;
      return answer;
    },
    jsonOrUndefined(args: readonly string[]) {
      try {
        return aws.json(args);
      } catch {
        return undefined;
      }
    },
    async jsonAsync(args: readonly string[]) {
      return aws.json(args);
    },
    async jsonOrUndefinedAsync(args: readonly string[]) {
      return aws.jsonOrUndefined(args);
    },
  };
  return aws as unknown as AwsCli & { calls: string[] };
}

export const create = (address: string, type: string, after: Record<string, unknown>): ResourceChange => ({
  address,
  type,
  mode: "managed",
  change: { actions: ["create"], after },
});
