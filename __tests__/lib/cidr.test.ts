import { cidrContains, cidrsOverlap, isAligned, isPrivateRange, parseCidr, subnetCidr } from "../../lib/cidr";

describe("CIDR arithmetic (lib/cidr.ts)", () => {
  test("parses a network into its first address and prefix", () => {
    expect(parseCidr("10.42.0.0/16")).toEqual({ base: 10 * 2 ** 24 + 42 * 2 ** 16, prefix: 16 });
  });

  test.each(["10.42.0.0", "10.42.0.256/16", "10.42.0.0/33", "10.42.0/16", " 10.42.0.0/16"])("refuses the malformed %j", (v) => {
    expect(parseCidr(v)).toBeUndefined();
  });

  test("an address inside the network is not aligned", () => {
    expect(isAligned(parseCidr("10.42.0.0/16")!)).toBe(true);
    expect(isAligned(parseCidr("10.42.1.0/16")!)).toBe(false);
  });

  test("subnetCidr numbers subnets like Terraform's cidrsubnet", () => {
    expect(subnetCidr("10.42.0.0/16", 18, 1)).toBe("10.42.64.0/18");
    expect(subnetCidr("10.42.0.0/16", 20, 8)).toBe("10.42.128.0/20");
    expect(subnetCidr("192.168.4.0/24", 28, 9)).toBe("192.168.4.144/28");
  });

  test("overlap and containment", () => {
    expect(cidrsOverlap("10.42.0.0/16", "10.42.128.0/20")).toBe(true);
    expect(cidrsOverlap("10.42.0.0/16", "172.20.0.0/16")).toBe(false);
    expect(cidrContains("10.0.0.0/8", "10.42.0.0/16")).toBe(true);
    expect(cidrContains("10.42.0.0/16", "10.0.0.0/8")).toBe(false);
  });

  test("private ranges are RFC 1918 only", () => {
    expect(["10.42.0.0/16", "172.20.0.0/16", "192.168.0.0/24"].map(isPrivateRange)).toEqual([true, true, true]);
    expect(["172.32.0.0/16", "11.0.0.0/16", "0.0.0.0/0"].map(isPrivateRange)).toEqual([false, false, false]);
  });

  test("a malformed network given to the arithmetic is an error naming it", () => {
    expect(() => subnetCidr("10.42.0/16", 18, 0)).toThrow('"10.42.0/16" is not an IPv4 network in CIDR notation');
  });
});
