import { ConfigError } from "./errors";
import { availabilityZones, isKnownRegion, KNOWN_REGIONS } from "./regions";

/** The fewest and most AZs a network may span. */
export const MIN_AZS = 2;
export const MAX_AZS = 6;

/** Fails with a {@link ConfigError} unless `region` is a region this project knows. */
export function validateRegion(region: string, key = "region"): void {
  if (!isKnownRegion(region)) {
    throw new ConfigError(
      key,
      region,
      "is not an AWS region this project knows",
      `use one of ${KNOWN_REGIONS.join(", ")}; a new region is one line in src/lib/regions.ts`,
    );
  }
}

/** The first `count` AZs of `region`, the default when a network lists none. */
export function defaultAzs(region: string, count = 3): string[] {
  return availabilityZones(region).slice(0, count);
}

/**
 * Fails with a {@link ConfigError} unless `azs` lists 2 to 6 distinct AZs of `region`.
 * @param key the setting's name in error messages
 */
export function validateAzs(region: string, azs: readonly string[], key = "azs"): void {
  validateRegion(region);
  const known = availabilityZones(region);
  const example = JSON.stringify(known.slice(0, Math.max(MIN_AZS, Math.min(3, known.length))));
  if (azs.length < MIN_AZS || azs.length > MAX_AZS) {
    throw new ConfigError(
      key,
      azs,
      `lists ${azs.length} availability zone(s); a network spans ${MIN_AZS} to ${MAX_AZS}`,
      `list ${MIN_AZS} to ${MAX_AZS} AZs of ${region}, e.g. ${example}`,
    );
  }
  azs.forEach((az, i) => {
    if (!known.includes(az)) {
      throw new ConfigError(
        `${key}[${i}]`,
        az,
        `is not an availability zone of region ${region}`,
        `use AZs of ${region} (${known.join(", ")}), or change the region`,
      );
    }
    if (azs.indexOf(az) !== i) {
      throw new ConfigError(`${key}[${i}]`, az, "is listed twice", "list each AZ once");
    }
  });
}
