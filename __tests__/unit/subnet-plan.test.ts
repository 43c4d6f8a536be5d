import { ConfigError } from "../../src/lib/errors";
import { planSubnets, SubnetPlanInput } from "../../src/lib/subnet-plan";
import { KNOWN_REGIONS, zoneSlotCount } from "../../src/lib/regions";

const base: SubnetPlanInput = {
  cidr: "10.0.0.0/16",
  region: "us-east-1",
  azs: ["us-east-1a", "us-east-1b", "us-east-1c"],
  tiers: { public: { prefixLength: 24 }, private: { prefixLength: 20 }, isolated: { prefixLength: 24 } },
};

describe("planSubnets", () => {
  it("plans one block per tier, first-fit in the order public, private, isolated", () => {
    expect(planSubnets(base)).toEqual({
      public: { "us-east-1a": "10.0.0.0/24", "us-east-1b": "10.0.1.0/24", "us-east-1c": "10.0.2.0/24" },
      private: { "us-east-1a": "10.0.128.0/20", "us-east-1b": "10.0.144.0/20", "us-east-1c": "10.0.160.0/20" },
      isolated: { "us-east-1a": "10.0.8.0/24", "us-east-1b": "10.0.9.0/24", "us-east-1c": "10.0.10.0/24" },
    });
  });

  it("gives each AZ the slot of its letter, so adding, removing or reordering AZs moves nothing", () => {
    const three = planSubnets(base);
    const four = planSubnets({ ...base, azs: ["us-east-1d", "us-east-1c", "us-east-1a", "us-east-1b"] });
    const two = planSubnets({ ...base, azs: ["us-east-1a", "us-east-1c"] });
    for (const tier of ["public", "private", "isolated"] as const) {
      for (const az of base.azs) expect(four[tier]![az]).toBe(three[tier]![az]);
      expect(two[tier]!["us-east-1c"]).toBe(three[tier]!["us-east-1c"]);
    }
    expect(four.public!["us-east-1d"]).toBe("10.0.3.0/24");
  });

  it("does not move the public and private tiers when the isolated tier is turned on", () => {
    const without = planSubnets({ ...base, tiers: { ...base.tiers, isolated: null } });
    const withIsolated = planSubnets(base);
    expect(without.isolated).toBeUndefined();
    expect(without.public).toEqual(withIsolated.public);
    expect(without.private).toEqual(withIsolated.private);
  });

  it("sizes the tier block by the region's zone slots (4 in ap-northeast-2)", () => {
    const plan = planSubnets({ ...base, region: "ap-northeast-2", azs: ["ap-northeast-2a", "ap-northeast-2b"] });
    expect(plan.private).toEqual({ "ap-northeast-2a": "10.0.64.0/20", "ap-northeast-2b": "10.0.80.0/20" });
  });

  it("keeps every region's zone slots as they were planned: 8 in us-east-1, 4 elsewhere (a change would move every planned subnet of the region)", () => {
    const slots = Object.fromEntries(KNOWN_REGIONS.map((region) => [region, zoneSlotCount(region)]));
    expect(slots).toEqual(Object.fromEntries(KNOWN_REGIONS.map((region) => [region, region === "us-east-1" ? 8 : 4])));
  });

  it("plans a zone opened past the region's slots only from explicit cidrs, which leave the other zones' subnets in place", () => {
    const two = { ...base, region: "ap-northeast-2", azs: ["ap-northeast-2a", "ap-northeast-2b"] };
    const planned = planSubnets(two);
    const opened = { ...two, azs: [...two.azs, "ap-northeast-2e"] };
    expect(() => planSubnets(opened)).toThrow(/publicSubnets\.cidrs\.ap-northeast-2e[\s\S]*opened after ap-northeast-2's subnets were planned in 4 zone slots/);
    const free = { public: "10.0.8.0/24", private: "10.0.128.0/20", isolated: "10.0.9.0/24" } as const;
    const explicit = Object.fromEntries(
      (["public", "private", "isolated"] as const).map((tier) => [tier, { cidrs: { ...planned[tier], "ap-northeast-2e": free[tier] } }]),
    );
    const plan = planSubnets({ ...opened, tiers: explicit });
    for (const tier of ["public", "private", "isolated"] as const) {
      expect(plan[tier]).toEqual({ ...planned[tier], "ap-northeast-2e": free[tier] });
    }
  });

  it("accepts explicit CIDRs per AZ beside the planned tiers", () => {
    const plan = planSubnets({
      ...base,
      tiers: {
        ...base.tiers,
        public: { cidrs: { "us-east-1a": "10.0.16.0/22", "us-east-1b": "10.0.20.0/22", "us-east-1c": "10.0.24.0/22" } },
      },
    });
    expect(plan.public!["us-east-1b"]).toBe("10.0.20.0/22");
    expect(plan.isolated!["us-east-1a"]).toBe("10.0.8.0/24");
  });

  describe("explicit CIDRs on one tier never move another tier's planned subnets", () => {
    const planned = planSubnets(base);
    const explicit = {
      public: { "us-east-1a": "10.0.64.0/24", "us-east-1b": "10.0.65.0/24", "us-east-1c": "10.0.66.0/24" },
      private: { "us-east-1a": "10.0.16.0/20", "us-east-1b": "10.0.32.0/20", "us-east-1c": "10.0.48.0/20" },
      isolated: { "us-east-1a": "10.0.64.0/24", "us-east-1b": "10.0.65.0/24", "us-east-1c": "10.0.66.0/24" },
    } as const;
    for (const tier of ["public", "private", "isolated"] as const) {
      it(`giving ${tier}Subnets explicit cidrs leaves the other tiers where they were`, () => {
        const plan = planSubnets({ ...base, tiers: { ...base.tiers, [tier]: { cidrs: explicit[tier] } } });
        expect(plan[tier]).toEqual(explicit[tier]);
        for (const other of ["public", "private", "isolated"] as const) {
          if (other !== tier) expect({ other, subnets: plan[other] }).toEqual({ other, subnets: planned[other] });
        }
      });
      it(`pinning ${tier}Subnets to its planned cidrs changes nothing`, () => {
        expect(planSubnets({ ...base, tiers: { ...base.tiers, [tier]: { cidrs: planned[tier]! } } })).toEqual(planned);
      });
    }

    it("keeps MueJam's public subnets when its private subnets are given explicitly", () => {
      const muejam: SubnetPlanInput = { ...base, cidr: "10.42.0.0/16", tiers: { ...base.tiers, isolated: null } };
      const before = planSubnets(muejam);
      expect(before.public!["us-east-1a"]).toBe("10.42.0.0/24");
      const after = planSubnets({
        ...muejam,
        tiers: { ...muejam.tiers, private: { cidrs: { "us-east-1a": "10.42.16.0/20", "us-east-1b": "10.42.32.0/20", "us-east-1c": "10.42.48.0/20" } } },
      });
      expect(after.public).toEqual(before.public);
    });
  });

  describe("fails with a ConfigError naming the key", () => {
    const error = (input: SubnetPlanInput): ConfigError => {
      try {
        planSubnets(input);
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error("expected a ConfigError");
    };

    it("for a malformed VPC CIDR", () => {
      const e = error({ ...base, cidr: "10.0.0/16" });
      expect(e.key).toBe("cidr");
      expect(e.message).toMatch(/not an IPv4 CIDR block/);
    });

    it("for a VPC CIDR with host bits set, suggesting the fix", () => {
      expect(error({ ...base, cidr: "10.0.0.1/16" }).fix).toBe("use 10.0.0.0/16");
    });

    it("for a VPC larger than AWS allows", () => {
      expect(error({ ...base, cidr: "10.0.0.0/8" }).problem).toMatch(/from \/16 to \/28/);
    });

    it("for subnets that do not fit in the VPC", () => {
      const e = error({ ...base, cidr: "10.0.0.0/20", tiers: { ...base.tiers, private: { prefixLength: 20 } } });
      expect(e.key).toBe("privateSubnets.prefixLength");
      expect(e.problem).toMatch(/does not fit in cidr 10.0.0.0\/20/);
    });

    it("for an explicit subnet outside the VPC", () => {
      const e = error({ ...base, tiers: { ...base.tiers, public: { cidrs: { "us-east-1a": "10.1.0.0/24", "us-east-1b": "10.0.1.0/24", "us-east-1c": "10.0.2.0/24" } } } });
      expect(e.key).toBe("publicSubnets.cidrs.us-east-1a");
      expect(e.problem).toMatch(/not inside the VPC cidr 10.0.0.0\/16/);
    });

    it("for overlapping explicit subnets", () => {
      const e = error({
        ...base,
        tiers: {
          public: { cidrs: { "us-east-1a": "10.0.0.0/24", "us-east-1b": "10.0.1.0/24", "us-east-1c": "10.0.2.0/24" } },
          private: { cidrs: { "us-east-1a": "10.0.0.0/20", "us-east-1b": "10.0.16.0/20", "us-east-1c": "10.0.32.0/20" } },
          isolated: null,
        },
      });
      expect(e.key).toBe("privateSubnets.cidrs.us-east-1a");
      expect(e.problem).toBe("overlaps publicSubnets.cidrs.us-east-1a (10.0.0.0/24)");
    });

    it("for an explicit subnet inside another tier's planned block, which never moves to make room", () => {
      const e = error({
        ...base,
        tiers: { ...base.tiers, private: { cidrs: { "us-east-1a": "10.0.0.0/20", "us-east-1b": "10.0.16.0/20", "us-east-1c": "10.0.32.0/20" } } },
      });
      expect(e.key).toBe("privateSubnets.cidrs.us-east-1a");
      expect(e.problem).toBe("overlaps the planned block of publicSubnets (10.0.0.0/21); planned subnets never move to make room for explicit ones");
      expect(e.fix).toMatch(/outside 10.0.0.0\/21, or give publicSubnets explicit cidrs as well/);
    });

    it("for an explicit tier missing an AZ", () => {
      const e = error({ ...base, tiers: { ...base.tiers, public: { cidrs: { "us-east-1a": "10.0.16.0/24" } } } });
      expect(e.key).toBe("publicSubnets.cidrs.us-east-1b");
      expect(e.problem).toMatch(/has no CIDR for AZ us-east-1b/);
    });

    it("for a prefix length AWS does not accept", () => {
      expect(error({ ...base, tiers: { ...base.tiers, public: { prefixLength: 29 } } }).key).toBe("publicSubnets.prefixLength");
    });
  });
});
