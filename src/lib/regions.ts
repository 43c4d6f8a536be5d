/**
 * The AWS regions this project knows, with their availability zones.
 *
 * Synth never calls AWS, so the zones are listed here instead of read from the
 * `aws_availability_zones` data source. `zones` are the zone names' letters (`us-east-1a` ->
 * `a`). When AWS opens a zone, add its letter; when it opens a region, add a line.
 *
 * `slots` is how many zones each subnet tier reserves room for: subnet CIDRs are planned by
 * a zone's letter, in a block of `slots` subnets. It is fixed when a region is added (the
 * power of two covering its letters then) and never raised: a larger block would move every
 * planned subnet of the region, and replace them all in a running network. A zone opened
 * past the slots gets its subnets from explicit cidrs (src/lib/subnet-plan.ts says so).
 *
 * `namesVaryByAccount`: no zone names are valid in every account, so `network.azs` has no
 * default there. In us-west-1, accounts see two of its three zones, under letters that differ
 * by account (AWS, "AWS Availability Zones").
 */
interface RegionZones {
  readonly zones: string;
  readonly slots: number;
  readonly namesVaryByAccount?: true;
}

const REGIONS: Readonly<Record<string, RegionZones>> = {
  "us-east-1": { zones: "abcdef", slots: 8 },
  "us-east-2": { zones: "abc", slots: 4 },
  "us-west-1": { zones: "abc", slots: 4, namesVaryByAccount: true },
  "us-west-2": { zones: "abcd", slots: 4 },
  "ca-central-1": { zones: "abd", slots: 4 },
  "ca-west-1": { zones: "abc", slots: 4 },
  "mx-central-1": { zones: "abc", slots: 4 },
  "sa-east-1": { zones: "abc", slots: 4 },
  "eu-west-1": { zones: "abc", slots: 4 },
  "eu-west-2": { zones: "abcd", slots: 4 },
  "eu-west-3": { zones: "abc", slots: 4 },
  "eu-central-1": { zones: "abc", slots: 4 },
  "eu-central-2": { zones: "abc", slots: 4 },
  "eu-north-1": { zones: "abc", slots: 4 },
  "eu-south-1": { zones: "abc", slots: 4 },
  "eu-south-2": { zones: "abc", slots: 4 },
  "il-central-1": { zones: "abc", slots: 4 },
  "me-south-1": { zones: "abc", slots: 4 },
  "me-central-1": { zones: "abc", slots: 4 },
  "af-south-1": { zones: "abc", slots: 4 },
  "ap-east-1": { zones: "abc", slots: 4 },
  "ap-south-1": { zones: "abc", slots: 4 },
  "ap-south-2": { zones: "abc", slots: 4 },
  "ap-northeast-1": { zones: "acd", slots: 4 },
  "ap-northeast-2": { zones: "abcd", slots: 4 },
  "ap-northeast-3": { zones: "abc", slots: 4 },
  "ap-southeast-1": { zones: "abc", slots: 4 },
  "ap-southeast-2": { zones: "abc", slots: 4 },
  "ap-southeast-3": { zones: "abc", slots: 4 },
  "ap-southeast-4": { zones: "abc", slots: 4 },
  "ap-southeast-5": { zones: "abc", slots: 4 },
  "ap-southeast-7": { zones: "abc", slots: 4 },
  "us-gov-west-1": { zones: "abc", slots: 4 },
  "us-gov-east-1": { zones: "abc", slots: 4 },
  "cn-north-1": { zones: "abd", slots: 4 },
  "cn-northwest-1": { zones: "abc", slots: 4 },
};

/** All region names this project knows, sorted. */
export const KNOWN_REGIONS: readonly string[] = Object.keys(REGIONS).sort();

/** Whether `region` is a region this project knows. */
export function isKnownRegion(region: string): boolean {
  return Object.prototype.hasOwnProperty.call(REGIONS, region);
}

/** The availability zones of `region`, in name order. Empty for an unknown region. */
export function availabilityZones(region: string): string[] {
  const letters = isKnownRegion(region) ? REGIONS[region].zones : "";
  return [...letters].map((letter) => `${region}${letter}`);
}

/**
 * The AZ's position in the alphabet (`a` -> 0). Subnet CIDRs are planned by this slot,
 * so an AZ's subnets do not move when other AZs are added, removed or reordered.
 */
export function zoneSlot(az: string): number {
  return az.charCodeAt(az.length - 1) - "a".charCodeAt(0);
}

/** How many subnet slots a tier reserves in `region` (see {@link REGIONS}); 1 for an unknown region. */
export function zoneSlotCount(region: string): number {
  return isKnownRegion(region) ? REGIONS[region].slots : 1;
}

/** Whether the zone names of `region` differ by account so that none is a safe default. */
export function zoneNamesVaryByAccount(region: string): boolean {
  return isKnownRegion(region) && REGIONS[region].namesVaryByAccount === true;
}

/**
 * The zones, by zone id, where EKS creates no cluster: its control plane refuses subnets there
 * (Amazon EKS User Guide, "View Amazon EKS networking requirements for VPC and subnets"). Which
 * zone name is which id differs between accounts (in the regions AWS maps independently), so
 * synth cannot tell; the network stack checks the ids AWS answers (src/constructs/networking).
 */
export const EKS_REFUSED_ZONE_IDS: Readonly<Record<string, readonly string[]>> = {
  "us-east-1": ["use1-az3"],
  "us-west-1": ["usw1-az2"],
  "ca-central-1": ["cac1-az3"],
};

/** The AWS partition of a region: `aws`, `aws-cn` or `aws-us-gov`. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}
