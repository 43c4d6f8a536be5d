import { StackJson, synthStack } from "../harness/synth";

/** Every resource of a stack as `type.name` -> attributes. */
function resources(json: StackJson): Map<string, Record<string, unknown>> {
  const all = new Map<string, Record<string, unknown>>();
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, attributes] of Object.entries(byName)) all.set(`${type}.${name}`, attributes);
  }
  return all;
}

function ode(network: Record<string, unknown>): StackJson {
  return synthStack({ systems: ["ode"], environments: ["prod"] }, "ode-prod-network", { ode: { prod: { network } } });
}

describe("network stability: changes that must only add resources", () => {
  it("adding a fourth AZ keeps every resource of the 3-AZ network, with identical attributes", () => {
    const three = resources(ode({ azs: ["us-east-1a", "us-east-1b", "us-east-1c"] }));
    const four = resources(ode({ azs: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"] }));
    expect(three.size).toBeGreaterThan(40);
    for (const [address, attributes] of three) {
      expect({ address, attributes: four.get(address) }).toEqual({ address, attributes });
    }
    const added = [...four.keys()].filter((a) => !three.has(a));
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((a) => a.includes("us-east-1d"))).toBe(true);
  });

  it("switching from one shared NAT gateway to one per AZ keeps the shared gateway and only repoints the other AZs' routes", () => {
    const single = resources(ode({ natGateways: "single" }));
    const perAz = resources(ode({ natGateways: "one_per_az" }));
    for (const [address, attributes] of single) {
      const repointed = address === "aws_route.network_private_nat_us-east-1b" || address === "aws_route.network_private_nat_us-east-1c";
      if (repointed) {
        const az = address.slice(-10);
        expect(perAz.get(address)).toEqual({ ...attributes, nat_gateway_id: `\${aws_nat_gateway.network_nat_${az}.id}` });
      } else {
        expect({ address, attributes: perAz.get(address) }).toEqual({ address, attributes });
      }
    }
    expect(perAz.get("aws_nat_gateway.network_nat_us-east-1a")).toEqual(single.get("aws_nat_gateway.network_nat_us-east-1a"));
    const added = [...perAz.keys()].filter((a) => !single.has(a)).sort();
    expect(added).toEqual([
      "aws_eip.network_nat_eip_us-east-1b",
      "aws_eip.network_nat_eip_us-east-1c",
      "aws_nat_gateway.network_nat_us-east-1b",
      "aws_nat_gateway.network_nat_us-east-1c",
    ]);
  });

  it("reordering the AZ list changes nothing", () => {
    const ordered = resources(ode({ azs: ["us-east-1a", "us-east-1b", "us-east-1c"], natGateways: "one_per_az" }));
    const shuffled = resources(ode({ azs: ["us-east-1c", "us-east-1a", "us-east-1b"], natGateways: "one_per_az" }));
    expect(shuffled).toEqual(ordered);
  });

  it("giving one tier explicit CIDRs (its current ones) moves no other tier's subnets", () => {
    const planned = resources(ode({}));
    const subnets = (tier: string) =>
      Object.fromEntries(
        [...planned].filter(([a]) => a.startsWith(`aws_subnet.network_${tier}_`)).map(([, attrs]) => [attrs.availability_zone as string, attrs.cidr_block as string]),
      );
    for (const tier of ["public", "private", "isolated"]) {
      const pinned = resources(ode({ [`${tier}Subnets`]: { cidrs: subnets(tier) } }));
      expect(pinned).toEqual(planned);
    }
  });

  it("explicit CIDRs in another tier's planned place fail synth, naming both, instead of moving that tier", () => {
    const publicA = resources(ode({})).get("aws_subnet.network_public_us-east-1a")!.cidr_block as string;
    const [a, b] = publicA.split(".").map(Number);
    const privateCidrs = { "us-east-1a": `${a}.${b}.0.0/20`, "us-east-1b": `${a}.${b}.16.0/20`, "us-east-1c": `${a}.${b}.32.0/20` };
    expect(() => ode({ privateSubnets: { cidrs: privateCidrs } })).toThrow(
      /network\.privateSubnets\.cidrs\.us-east-1a = "[\d.]+\/20"\n  Problem: overlaps the planned block of publicSubnets .*planned subnets never move/,
    );
  });
});
