/**
 * AWS's support calendars: until when each version this project can build is in standard
 * support. Synth fails for a version past the end of its standard support, and warns
 * within {@link SUPPORT_WARNING_DAYS} of it (src/config/aws-rules.ts). The dates are facts
 * published by AWS; a new version is one line here, with its source.
 *
 * Dates are UTC calendar days (`YYYY-MM-DD`): support ends at the end of that day.
 */

/** How long before the end of standard support synth starts warning. */
export const SUPPORT_WARNING_DAYS = 90;

/** One version's support window. */
export interface SupportWindow {
  /** The last day of standard support. */
  readonly endOfStandardSupport: string;
  /** The last day of extended (paid) support, when AWS offers it. @default none */
  readonly endOfExtendedSupport?: string;
}

/**
 * Amazon EKS Kubernetes versions: 14 months of standard support from the EKS release, then
 * 12 months of extended support; past extended support EKS creates no cluster of the
 * version and upgrades existing ones.
 *
 * Sources: AWS, "Understand the Kubernetes version lifecycle on EKS"
 * (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html), release
 * calendar table; the same dates on https://endoflife.date/amazon-eks. 1.36 is released,
 * but its dates were not verified here: add it with its row of that table.
 */
export const EKS_KUBERNETES_CALENDAR: Readonly<Record<string, SupportWindow>> = {
  "1.29": { endOfStandardSupport: "2025-03-23", endOfExtendedSupport: "2026-03-23" },
  "1.30": { endOfStandardSupport: "2025-07-23", endOfExtendedSupport: "2026-07-23" },
  "1.31": { endOfStandardSupport: "2025-11-26", endOfExtendedSupport: "2026-11-26" },
  "1.32": { endOfStandardSupport: "2026-03-23", endOfExtendedSupport: "2027-03-23" },
  "1.33": { endOfStandardSupport: "2026-07-29", endOfExtendedSupport: "2027-07-29" },
  "1.34": { endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02" },
  "1.35": { endOfStandardSupport: "2027-03-27", endOfExtendedSupport: "2028-03-27" },
};

/**
 * Amazon RDS major engine versions: RDS standard support, then up to 3 years of RDS
 * Extended Support (paid, enrolled automatically).
 *
 * Sources: AWS, "Supported MySQL major versions on Amazon RDS"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/MySQL.Concepts.VersionMgmt.html)
 * and "Release calendars for Amazon RDS for PostgreSQL"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html).
 * MySQL 8.0's 2026-07-31 is confirmed by AWS's notices; PostgreSQL's dates follow RDS's
 * rule of the last day of February five years after the community release (13 ended
 * 2026-02-28, 12 on 2025-02-28, 11 on 2024-02-29).
 */
export const RDS_ENGINE_CALENDAR: Readonly<Record<"postgres" | "mysql", Readonly<Record<string, SupportWindow>>>> = {
  postgres: {
    "14": { endOfStandardSupport: "2027-02-28", endOfExtendedSupport: "2030-02-28" },
    "15": { endOfStandardSupport: "2028-02-29", endOfExtendedSupport: "2031-02-28" },
    "16": { endOfStandardSupport: "2029-02-28", endOfExtendedSupport: "2032-02-29" },
    "17": { endOfStandardSupport: "2030-02-28", endOfExtendedSupport: "2033-02-28" },
  },
  mysql: {
    "8.0": { endOfStandardSupport: "2026-07-31", endOfExtendedSupport: "2029-07-31" },
    "8.4": { endOfStandardSupport: "2029-07-31", endOfExtendedSupport: "2032-07-31" },
  },
};

/**
 * ElastiCache for Redis OSS major versions this project builds (`engine = "redis"`), and
 * their end of standard support where AWS has announced one (then 3 years of paid extended
 * support). Versions 4 and 5 ended standard support on 2026-01-31; 6 ends on 2027-01-31;
 * AWS has announced no end for 7.x.
 *
 * Sources: AWS, "ElastiCache versions for Redis OSS end of life schedule"
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html and
 * deprecated-engine-versions.html); AWS China blog "Amazon ElastiCache version upgrade guide".
 */
export const ELASTICACHE_REDIS_CALENDAR: Readonly<Record<string, SupportWindow | null>> = {
  "6.2": { endOfStandardSupport: "2027-01-31", endOfExtendedSupport: "2030-01-31" },
  "7.0": null,
  "7.1": null,
};

/** Where a version stands on `today`. */
export type SupportState =
  | { readonly state: "standard"; readonly daysLeft: number | undefined }
  | { readonly state: "ending"; readonly daysLeft: number }
  | { readonly state: "extended" | "ended"; readonly daysLeft: number };

/** Days from `today` (a UTC date) to the end of `date`, inclusive: 0 on the last day. */
export function daysUntil(date: string, today: Date): number {
  const end = Date.parse(`${date}T00:00:00Z`);
  const day = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.round((end - day) / 86_400_000);
}

/** The state of a version with support window `window` (null: no end announced) on `today`. */
export function supportState(window: SupportWindow | null, today: Date, warningDays = SUPPORT_WARNING_DAYS): SupportState {
  if (!window) return { state: "standard", daysLeft: undefined };
  const daysLeft = daysUntil(window.endOfStandardSupport, today);
  if (daysLeft < 0) {
    const extended = window.endOfExtendedSupport !== undefined && daysUntil(window.endOfExtendedSupport, today) >= 0;
    return { state: extended ? "extended" : "ended", daysLeft };
  }
  return daysLeft <= warningDays ? { state: "ending", daysLeft } : { state: "standard", daysLeft };
}
