/** Negative tests of the secrets rule (rules/secrets.ts): each defect of mini/defects.ts for them is reported, alone. */
import { describeNegatives } from "../mini/negative";
import { SECRET_RULES } from "./secrets";

describeNegatives(SECRET_RULES);
