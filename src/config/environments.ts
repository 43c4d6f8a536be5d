import { ConfigError } from "../lib/errors";
import type { SystemConfigInput } from "./system-config";

/** The environments a system can be deployed as. */
export const ENVIRONMENT_NAMES = ["dev", "staging", "prod"] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/**
 * What each environment changes by default. A system preset or the user's config
 * overrides any of it.
 *
 * - dev: one shared NAT gateway (an explicit cost saving), 30-day flow logs, no
 *   deletion protection (so a dev environment can be torn down), 30-day app logs.
 * - staging: production topology, 90-day flow logs, deletion protection.
 * - prod: a NAT gateway per AZ, 365-day flow logs, deletion protection.
 */
const PROFILES: Readonly<Record<EnvironmentName, SystemConfigInput>> = {
  dev: {
    deletionProtection: false,
    network: { natGateways: "single", flowLogs: { retentionInDays: 30 } },
    compute: { logRetentionInDays: 30 },
  },
  staging: {
    deletionProtection: true,
    network: { natGateways: "one_per_az", flowLogs: { retentionInDays: 90 } },
    compute: { logRetentionInDays: 90 },
  },
  prod: {
    deletionProtection: true,
    network: { natGateways: "one_per_az", flowLogs: { retentionInDays: 365 } },
    compute: { logRetentionInDays: 90 },
  },
};

export function isEnvironmentName(name: string): name is EnvironmentName {
  return (ENVIRONMENT_NAMES as readonly string[]).includes(name);
}

/** The defaults of environment `name`; fails with a ConfigError naming `key` for an unknown one. */
export function environmentDefaults(name: string, key = "environment"): SystemConfigInput {
  if (!isEnvironmentName(name)) {
    throw new ConfigError(
      key,
      name,
      "is not a known environment",
      `use one of ${ENVIRONMENT_NAMES.join(", ")}, or add a profile to src/config/environments.ts`,
    );
  }
  return PROFILES[name];
}
