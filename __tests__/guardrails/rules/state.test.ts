/** Negative tests of the Terraform state rules (rules/state.ts): each defect of mini/defects.ts for them is reported, alone. */
import { describeNegatives } from "../mini/negative";
import { STATE_RULES } from "./state";

describeNegatives(STATE_RULES);
