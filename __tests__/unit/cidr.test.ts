import { contains, overlaps, parseCidr, subnetAt } from "../../src/lib/cidr";

describe("parseCidr", () => {
  it("parses a block and its range", () => {
    const c = parseCidr("10.0.0.0/16");
    expect(c.text).toBe("10.0.0.0/16");
    expect(c.prefix).toBe(16);
    expect(c.last - c.first + 1n).toBe(65536n);
  });

  it.each([
    ["abc", /not an IPv4 CIDR block/],
    ["10.0.0.0", /not an IPv4 CIDR block/],
    ["10.0.0.0/33", /not a valid IPv4 CIDR block/],
    ["300.0.0.0/8", /not a valid IPv4 CIDR block/],
    ["10.0.0.1/16", /host bits set/],
  ])("rejects %s", (text, message) => {
    expect(() => parseCidr(text)).toThrow(message);
  });

  it("suggests the canonical block when host bits are set", () => {
    expect(() => parseCidr("10.0.3.0/16")).toThrow(expect.objectContaining({ suggestion: "10.0.0.0/16" }));
  });
});

describe("subnetAt", () => {
  it("is Terraform's cidrsubnet: the n-th block of the new size", () => {
    const vpc = parseCidr("10.0.0.0/16");
    expect(subnetAt(vpc, 24, 0).text).toBe("10.0.0.0/24");
    expect(subnetAt(vpc, 24, 3).text).toBe("10.0.3.0/24");
    expect(subnetAt(vpc, 20, 9).text).toBe("10.0.144.0/20");
  });

  it("refuses a block outside the parent", () => {
    expect(() => subnetAt(parseCidr("10.0.0.0/16"), 17, 2)).toThrow(/has no block #2/);
  });
});

describe("contains and overlaps", () => {
  const vpc = parseCidr("10.0.0.0/16");
  it("knows containment", () => {
    expect(contains(vpc, parseCidr("10.0.200.0/24"))).toBe(true);
    expect(contains(vpc, parseCidr("10.1.0.0/24"))).toBe(false);
  });
  it("knows overlap", () => {
    expect(overlaps(parseCidr("10.0.0.0/20"), parseCidr("10.0.15.0/24"))).toBe(true);
    expect(overlaps(parseCidr("10.0.0.0/20"), parseCidr("10.0.16.0/24"))).toBe(false);
  });
});
