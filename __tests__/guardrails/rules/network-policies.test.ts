/** Negative tests of the NetworkPolicy rules (rules/network-policies.ts): each defect of mini/defects.ts for them is reported, alone. */
import { describeNegatives } from "../mini/negative";
import { NETWORK_POLICY_RULES } from "./network-policies";

describeNegatives(NETWORK_POLICY_RULES);
