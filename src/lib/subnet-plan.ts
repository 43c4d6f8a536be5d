import { ConfigError } from "./errors";
import { zoneSlot, zoneSlotCount } from "./regions";
import { blockSize, Cidr, CidrSyntaxError, contains, overlaps, parseCidr, subnetAt } from "./cidr";

/** The three subnet tiers, in the order their address blocks are planned. */
export const TIERS = ["public", "private", "isolated"] as const;
export type Tier = (typeof TIERS)[number];

/**
 * Each tier's default subnet size. A tier given explicit CIDRs still reserves its planned
 * block at this size, so switching one tier to explicit CIDRs never moves another tier.
 */
export const DEFAULT_PREFIX_LENGTHS: Readonly<Record<Tier, number>> = { public: 24, private: 20, isolated: 24 };

/** Smallest and largest subnet / VPC sizes AWS accepts. */
export const MIN_PREFIX = 16;
export const MAX_PREFIX = 28;

/**
 * How one tier's subnets get their CIDRs: planned from the VPC CIDR with a prefix length
 * per subnet, or given explicitly per AZ.
 */
export type SubnetTierSpec =
  | { readonly prefixLength: number }
  | { readonly cidrs: Readonly<Record<string, string>> };

export interface SubnetPlanInput {
  /** The VPC CIDR, e.g. `10.0.0.0/16`. */
  readonly cidr: string;
  /** The AWS region; its fixed zone slots size the planned blocks. */
  readonly region: string;
  /** The AZs to place subnets in (already validated). */
  readonly azs: readonly string[];
  /** One spec per tier; a tier that is absent or `null` gets no subnets. */
  readonly tiers: Readonly<Partial<Record<Tier, SubnetTierSpec | null>>>;
}

/** Subnet CIDR text per tier, per AZ. */
export type SubnetPlan = Readonly<Partial<Record<Tier, Readonly<Record<string, string>>>>>;

/** The config key of a tier, e.g. `privateSubnets`. */
export function tierKey(tier: Tier): string {
  return `${tier}Subnets`;
}

/**
 * Plans (or checks) the subnets of every tier.
 *
 * Planned tiers reserve one aligned block of `slots` subnets, where `slots` is fixed per
 * region (src/lib/regions.ts), and an AZ always takes the slot of its letter (`a` = 0).
 * Blocks are placed first-fit in the fixed order public, private, isolated, among the
 * planned tiers, where a tier given explicit CIDRs keeps its planned block reserved at its
 * default size ({@link DEFAULT_PREFIX_LENGTHS}). So adding, removing or reordering AZs never
 * moves an existing subnet, enabling the isolated tier never moves the other two, and
 * giving one tier explicit CIDRs never moves another tier's planned subnets: an explicit
 * CIDR that overlaps another tier's planned block fails instead, naming both.
 *
 * Throws a {@link ConfigError} naming the key for a malformed CIDR, a subnet outside the
 * VPC, overlapping subnets, or tiers that do not fit.
 */
export function planSubnets(input: SubnetPlanInput): SubnetPlan {
  const vpc = parseBlock(input.cidr, "cidr");
  const taken: Taken[] = [];
  const plan: Partial<Record<Tier, Record<string, string>>> = {};

  // Planned blocks first, in tier order. A tier with explicit CIDRs keeps its planned block
  // reserved (at its default size) without using it, so no planned tier ever depends on
  // another tier's explicit CIDRs, nor on whether that tier is planned or explicit.
  const reserved: Taken[] = [];
  for (const tier of TIERS) {
    const spec = input.tiers[tier];
    if (spec && "prefixLength" in spec) {
      plan[tier] = planTier(tier, spec.prefixLength, input, vpc, taken, reserved);
    } else if (spec) {
      const block = tierBlock(DEFAULT_PREFIX_LENGTHS[tier], input.region, vpc, [...taken, ...reserved]);
      if (block) reserved.push({ cidr: block, key: `${tierKey(tier)} (reserved)` });
    }
  }
  // Explicit CIDRs must then fit around the planned subnets, and fail where they can't.
  for (const tier of TIERS) {
    const spec = input.tiers[tier];
    if (spec && "cidrs" in spec) {
      plan[tier] = checkExplicitTier(tier, spec.cidrs, input.azs, vpc, taken);
    }
  }
  return plan;
}

interface Taken {
  readonly cidr: Cidr;
  readonly key: string;
  /** The planned tier whose block this is, for the fix of an explicit CIDR that overlaps it. */
  readonly plannedTier?: Tier;
}

function checkExplicitTier(
  tier: Tier,
  cidrs: Readonly<Record<string, string>>,
  azs: readonly string[],
  vpc: Cidr,
  taken: Taken[],
): Record<string, string> {
  const base = `${tierKey(tier)}.cidrs`;
  for (const az of Object.keys(cidrs)) {
    if (!azs.includes(az)) {
      throw new ConfigError(`${base}.${az}`, cidrs[az], `names AZ ${az}, which is not in azs`, `add ${az} to azs or remove this entry`);
    }
  }
  const result: Record<string, string> = {};
  for (const az of azs) {
    const key = `${base}.${az}`;
    if (cidrs[az] === undefined) {
      throw new ConfigError(key, undefined, `has no CIDR for AZ ${az}`, `give every AZ in azs a ${tier} subnet CIDR`);
    }
    const cidr = parseBlock(cidrs[az], key);
    place(cidr, key, vpc, taken);
    result[az] = cidr.text;
  }
  return result;
}

function planTier(
  tier: Tier,
  prefixLength: number,
  input: SubnetPlanInput,
  vpc: Cidr,
  taken: Taken[],
  reserved: readonly Taken[],
): Record<string, string> {
  const key = `${tierKey(tier)}.prefixLength`;
  if (!Number.isInteger(prefixLength) || prefixLength < Math.max(MIN_PREFIX, vpc.prefix) || prefixLength > MAX_PREFIX) {
    throw new ConfigError(
      key,
      prefixLength,
      `must be a whole number from ${Math.max(MIN_PREFIX, vpc.prefix)} to ${MAX_PREFIX} (inside the VPC's /${vpc.prefix}, and AWS subnets are /16 to /28)`,
      "pick a subnet size such as 24 (256 addresses) or 20 (4096 addresses)",
    );
  }
  const slots = zoneSlotCount(input.region);
  const blockPrefix = prefixLength - Math.log2(slots);
  const block = tierBlock(prefixLength, input.region, vpc, [...taken, ...reserved]);
  if (!block) {
    throw new ConfigError(
      key,
      prefixLength,
      `${input.region} has ${slots} zone slots, so /${prefixLength} subnets need a /${blockPrefix} block, which does not fit in cidr ${vpc.text} beside the other tiers` +
        (reserved.length > 0 ? ` (a tier with explicit cidrs keeps its planned block reserved: ${reserved.map((r) => `${r.key} ${r.cidr.text}`).join(", ")})` : ""),
      "use a larger prefix length (smaller subnets), a larger VPC cidr, or explicit cidrs per AZ",
    );
  }
  const result: Record<string, string> = {};
  for (const az of input.azs) {
    if (zoneSlot(az) >= slots) {
      throw new ConfigError(
        `${tierKey(tier)}.cidrs.${az}`,
        undefined,
        `is needed: ${az} opened after ${input.region}'s subnets were planned in ${slots} zone slots per tier, and a larger block would move every planned subnet of the region`,
        `give ${tierKey(tier)} explicit cidrs for every AZ (its current subnets' CIDRs keep them in place), with a free range for ${az}`,
      );
    }
    const subnet = subnetAt(block, prefixLength, zoneSlot(az));
    place(subnet, `${tierKey(tier)}.${az}`, vpc, taken);
    result[az] = subnet.text;
  }
  // Reserve the whole block, including the slots of AZs not used yet.
  taken.push({ cidr: block, key: `the planned block of ${tierKey(tier)}`, plannedTier: tier });
  return result;
}

function place(cidr: Cidr, key: string, vpc: Cidr, taken: Taken[]): void {
  if (!contains(vpc, cidr)) {
    throw new ConfigError(key, cidr.text, `is not inside the VPC cidr ${vpc.text}`, `choose a subnet within ${vpc.text}`);
  }
  const clash = taken.find((t) => t.plannedTier && overlaps(t.cidr, cidr)) ?? taken.find((t) => overlaps(t.cidr, cidr));
  if (clash?.plannedTier) {
    const planned = tierKey(clash.plannedTier);
    throw new ConfigError(
      key,
      cidr.text,
      `overlaps ${clash.key} (${clash.cidr.text}); planned subnets never move to make room for explicit ones`,
      `choose a CIDR outside ${clash.cidr.text}, or give ${planned} explicit cidrs as well (its current subnets keep them in place)`,
    );
  }
  if (clash) {
    throw new ConfigError(
      key,
      cidr.text,
      `overlaps ${clash.key} (${clash.cidr.text})`,
      "give each subnet its own range; subnets may not share addresses",
    );
  }
  taken.push({ cidr, key });
}

/** The block a tier of /`prefixLength` subnets takes: the region's zone slots, first-fit. */
function tierBlock(prefixLength: number, region: string, vpc: Cidr, taken: readonly Taken[]): Cidr | undefined {
  const blockPrefix = prefixLength - Math.log2(zoneSlotCount(region));
  return blockPrefix >= vpc.prefix ? firstFreeBlock(vpc, blockPrefix, taken) : undefined;
}

/** The lowest aligned block of the given prefix inside `vpc` that overlaps nothing taken. */
function firstFreeBlock(vpc: Cidr, prefix: number, taken: readonly Taken[]): Cidr | undefined {
  const count = Number((vpc.last - vpc.first + 1n) / blockSize(prefix));
  for (let i = 0; i < count; i++) {
    const candidate = subnetAt(vpc, prefix, i);
    if (!taken.some((t) => overlaps(t.cidr, candidate))) return candidate;
  }
  return undefined;
}

/** Parses a VPC or subnet CIDR, failing with a ConfigError that names `key`. */
export function parseBlock(text: string, key: string): Cidr {
  let cidr: Cidr;
  try {
    cidr = parseCidr(text);
  } catch (e) {
    if (!(e instanceof CidrSyntaxError)) throw e;
    const fix = e.suggestion ? `use ${e.suggestion}` : "write it as a.b.c.d/n, e.g. 10.0.0.0/16";
    throw new ConfigError(key, text, e.message, fix);
  }
  if (cidr.prefix < MIN_PREFIX || cidr.prefix > MAX_PREFIX) {
    throw new ConfigError(
      key,
      text,
      `has prefix /${cidr.prefix}; AWS accepts VPC and subnet blocks from /${MIN_PREFIX} to /${MAX_PREFIX}`,
      `use a prefix between /${MIN_PREFIX} and /${MAX_PREFIX}`,
    );
  }
  return cidr;
}
