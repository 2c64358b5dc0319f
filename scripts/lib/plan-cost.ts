/**
 * The monthly cost a plan adds or saves, for the verbs' plan summaries: its planned values priced
 * against its prior state with the cost estimate's table (scripts/lib/cost.ts, prices.yaml). An
 * estimate, and said so ("est."); a plan that changes no priced resource gets no figure.
 */
import { Plan } from "./adopt";
import { deltaText, planDelta, PRICED_TYPES, Pricing } from "./cost";
import { loadPriceTable, loadUsage } from "./price-table";

let pricing: Pricing | undefined;

/** Whether the plan changes a resource the estimate prices (then its values are worth reading). */
export function changesPricedResource(plan: Plan): boolean {
  return (plan.resource_changes ?? []).some(
    (rc) => rc.mode !== "data" && PRICED_TYPES.includes(rc.type) && !["no-op", "read"].includes(rc.change.actions.join(",")),
  );
}

/**
 * "est. +$32.85/month" (and the difference at max size when it is another) for a plan with values (`terraform show -json`), "" when it changes nothing
 * priced. The ALB's public addresses are counted for two public subnets (the network stack's own
 * are not in another stack's plan).
 */
export function costNote(stack: string, plan: Plan): string {
  if (!changesPricedResource(plan)) return "";
  pricing ??= { table: loadPriceTable(), usage: loadUsage(), facts: { publicSubnets: 2 } };
  const d = planDelta(stack, plan, pricing);
  if (!d) return "";
  return `${deltaText(d)}${d.unpriced.length ? ` (unpriced: ${d.unpriced.join(", ")})` : ""}`;
}
