/** Negative tests of the node rules (rules/nodes.ts): each defect of mini/defects.ts for them is reported, alone. */
import { describeNegatives } from "../mini/negative";
import { NODE_RULES } from "./nodes";

describeNegatives(NODE_RULES);
