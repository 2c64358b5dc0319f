/** Negative tests of the security group rules (rules/security-groups.ts): each defect of mini/defects.ts for them is reported, alone. */
import { describeNegatives } from "../mini/negative";
import { SECURITY_GROUP_RULES } from "./security-groups";

describeNegatives(SECURITY_GROUP_RULES);
