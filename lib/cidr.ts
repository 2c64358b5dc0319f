/**
 * IPv4 CIDR arithmetic: parsing, alignment, overlap and Terraform's cidrsubnet. Pure functions
 * without dependencies, shared by the settings (validation) and the network construct (layout).
 */

/** An IPv4 network: its first address as a 32-bit number, and its prefix length. */
export interface Cidr {
  readonly base: number;
  readonly prefix: number;
}

/** Parses "a.b.c.d/n", or undefined when malformed. */
export function parseCidr(v: string): Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(v);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { base, prefix };
}

/** Parses a CIDR the caller has validated; throws (naming it) when it is malformed. */
function mustParse(v: string): Cidr {
  const c = parseCidr(v);
  if (!c) throw new Error(`${JSON.stringify(v)} is not an IPv4 network in CIDR notation`);
  return c;
}

/** How many addresses a network of this prefix holds. */
export function cidrSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** Whether the address is the network's first (10.42.0.0/16, not 10.42.1.0/16). */
export function isAligned(c: Cidr): boolean {
  return c.base % cidrSize(c.prefix) === 0;
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = mustParse(a);
  const y = mustParse(b);
  return x.base < y.base + cidrSize(y.prefix) && y.base < x.base + cidrSize(x.prefix);
}

/** Whether `inner` lies wholly inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = mustParse(outer);
  const i = mustParse(inner);
  return i.prefix >= o.prefix && i.base >= o.base && i.base < o.base + cidrSize(o.prefix);
}

function formatIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/** Splits `cidr` into subnets of `newPrefix` and returns the `index`-th (like Terraform's cidrsubnet). */
export function subnetCidr(cidr: string, newPrefix: number, index: number): string {
  const c = mustParse(cidr);
  return `${formatIp(c.base + index * cidrSize(newPrefix))}/${newPrefix}`;
}

/** The RFC 1918 private ranges. */
export const PRIVATE_RANGES: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

export function isPrivateRange(v: string): boolean {
  return PRIVATE_RANGES.some((r) => cidrContains(r, v));
}
