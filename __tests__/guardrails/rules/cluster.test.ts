/** Negative tests of the EKS control-plane rules (rules/cluster.ts): each defect of mini/defects.ts for them is reported, alone. */
import { describeNegatives } from "../mini/negative";
import { CLUSTER_RULES } from "./cluster";

describeNegatives(CLUSTER_RULES);
