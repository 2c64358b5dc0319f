/** Negative tests of the Kubernetes workload rules (rules/workloads.ts): each defect of mini/defects.ts for them is reported, alone. */
import { describeNegatives } from "../mini/negative";
import { WORKLOAD_RULES } from "./workloads";

describeNegatives(WORKLOAD_RULES);
