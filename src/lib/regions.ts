/**
 * The AWS regions this project knows, with their availability zones.
 *
 * Synth never calls AWS, so the zones are listed here instead of read from the
 * `aws_availability_zones` data source. When AWS opens a zone or a region, add it
 * below: it is a one-line change. The letters are the zone names' suffixes
 * (`us-east-1a` -> `a`).
 */
const ZONE_LETTERS: Readonly<Record<string, string>> = {
  "us-east-1": "abcdef",
  "us-east-2": "abc",
  "us-west-1": "abc",
  "us-west-2": "abcd",
  "ca-central-1": "abd",
  "ca-west-1": "abc",
  "mx-central-1": "abc",
  "sa-east-1": "abc",
  "eu-west-1": "abc",
  "eu-west-2": "abc",
  "eu-west-3": "abc",
  "eu-central-1": "abc",
  "eu-central-2": "abc",
  "eu-north-1": "abc",
  "eu-south-1": "abc",
  "eu-south-2": "abc",
  "il-central-1": "abc",
  "me-south-1": "abc",
  "me-central-1": "abc",
  "af-south-1": "abc",
  "ap-east-1": "abc",
  "ap-south-1": "abc",
  "ap-south-2": "abc",
  "ap-northeast-1": "acd",
  "ap-northeast-2": "abcd",
  "ap-northeast-3": "abc",
  "ap-southeast-1": "abc",
  "ap-southeast-2": "abc",
  "ap-southeast-3": "abc",
  "ap-southeast-4": "abc",
  "ap-southeast-5": "abc",
  "ap-southeast-7": "abc",
  "us-gov-west-1": "abc",
  "us-gov-east-1": "abc",
  "cn-north-1": "abd",
  "cn-northwest-1": "abc",
};

/** All region names this project knows, sorted. */
export const KNOWN_REGIONS: readonly string[] = Object.keys(ZONE_LETTERS).sort();

/** Whether `region` is a region this project knows. */
export function isKnownRegion(region: string): boolean {
  return Object.prototype.hasOwnProperty.call(ZONE_LETTERS, region);
}

/** The availability zones of `region`, in name order. Empty for an unknown region. */
export function availabilityZones(region: string): string[] {
  const letters = isKnownRegion(region) ? ZONE_LETTERS[region] : "";
  return [...letters].map((letter) => `${region}${letter}`);
}

/**
 * The AZ's position in the alphabet (`a` -> 0). Subnet CIDRs are planned by this slot,
 * so an AZ's subnets do not move when other AZs are added, removed or reordered.
 */
export function zoneSlot(az: string): number {
  return az.charCodeAt(az.length - 1) - "a".charCodeAt(0);
}

/**
 * How many subnet slots a tier reserves in `region`: enough for every zone letter the
 * region has, rounded up to a power of two so that the tier is one aligned block.
 */
export function zoneSlotCount(region: string): number {
  const highest = Math.max(...availabilityZones(region).map(zoneSlot));
  let slots = 1;
  while (slots < highest + 1) slots *= 2;
  return slots;
}

/** The AWS partition of a region: `aws`, `aws-cn` or `aws-us-gov`. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}
