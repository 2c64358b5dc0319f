/**
 * The price table (prices.yaml) and the usage assumptions (usage.yaml) the cost estimate is made
 * from. Every price row names its region, unit, the public page it was read from and the date; a
 * reviewer checks and updates each figure there. Loading refuses a row without them.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { parse } from "yaml";

export const PRICES_FILE = path.join(__dirname, "..", "..", "prices.yaml");
export const USAGE_FILE = path.join(__dirname, "..", "..", "usage.yaml");

export interface PriceRow {
  /** USD per unit */
  readonly price: number;
  readonly unit: string;
  readonly region: string;
  /** the public page the figure was read from */
  readonly source: string;
  /** when it was read (YYYY-MM-DD) */
  readonly read: string;
}

export interface PriceTable {
  readonly currency: string;
  readonly region: string;
  /** Price rows by id: "eks-cluster-standard", "ec2/m6i.large", ... */
  readonly prices: Readonly<Record<string, PriceRow>>;
  /** Resource types that bill nothing by themselves, each with the reason (checked by a test). */
  readonly notBilled: Readonly<Record<string, string>>;
}

/** What prices depend on besides the code: traffic, log volume, growth. Each has a stated default in usage.yaml. */
const USAGE_KEYS = [
  "hoursPerMonth",
  "natGbPerMonth",
  "albAverageLcus",
  "controlPlaneLogGbPerMonth",
  "containerLogGbPerMonth",
  "ecrGbPerRepository",
  "stateBucketGb",
  "backupDailyChangeFraction",
  "spotPriceFraction",
  "kmsRequestsPerKeyPerMonth",
] as const;

export type Usage = Readonly<Record<(typeof USAGE_KEYS)[number], number>>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function loadPriceTable(file: string = PRICES_FILE): PriceTable {
  const table = parse(readFileSync(file, "utf8")) as PriceTable;
  if (!table?.prices || !table.region || !table.currency) throw new Error(`${file}: wants currency, region and prices`);
  for (const [id, row] of Object.entries(table.prices)) {
    const problems = [
      typeof row?.price === "number" && row.price >= 0 ? "" : "a price >= 0",
      row?.unit ? "" : "a unit",
      row?.region ? "" : "a region",
      /^https:\/\//.test(row?.source ?? "") ? "" : "a source (https URL)",
      DATE.test(String(row?.read ?? "")) ? "" : "the date it was read (YYYY-MM-DD)",
    ].filter(Boolean);
    if (problems.length) throw new Error(`${file}: price ${id} wants ${problems.join(", ")}`);
  }
  for (const [type, reason] of Object.entries(table.notBilled ?? {})) {
    if (!reason) throw new Error(`${file}: notBilled ${type} wants a reason`);
    if (table.prices[type]) throw new Error(`${file}: ${type} is both priced and not billed`);
  }
  return { ...table, notBilled: table.notBilled ?? {} };
}

export function loadUsage(file: string = USAGE_FILE): Usage {
  const usage = parse(readFileSync(file, "utf8")) as Record<string, { value: number; why: string }>;
  const out: Record<string, number> = {};
  for (const key of USAGE_KEYS) {
    const entry = usage?.[key];
    if (typeof entry?.value !== "number" || entry.value < 0 || !entry.why) throw new Error(`${file}: ${key} wants a value >= 0 and why (the assumption said)`);
    out[key] = entry.value;
  }
  return out as Usage;
}
