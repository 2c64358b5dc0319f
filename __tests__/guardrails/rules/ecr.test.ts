/** Negative tests of the ECR rules (rules/ecr.ts): each defect of mini/defects.ts for them is reported, alone. */
import { describeNegatives } from "../mini/negative";
import { ECR_RULES } from "./ecr";

describeNegatives(ECR_RULES);
