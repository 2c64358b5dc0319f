/** Negative tests of the TLS rules (rules/tls.ts): each defect of mini/defects.ts for them is reported, alone. */
import { describeNegatives } from "../mini/negative";
import { TLS_RULES } from "./tls";

describeNegatives(TLS_RULES);
