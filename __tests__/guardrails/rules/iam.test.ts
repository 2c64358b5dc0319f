/** Negative tests of the IAM rules (rules/iam.ts): each defect of mini/defects.ts for them is reported, alone. */
import { describeNegatives } from "../mini/negative";
import { IAM_RULES } from "./iam";

describeNegatives(IAM_RULES);
