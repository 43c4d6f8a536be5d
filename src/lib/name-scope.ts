/**
 * How far AWS holds a resource name unique: S3 bucket names in all of AWS; IAM and CloudFront
 * names per account; the rest per account and region.
 */
export type NameScope = "global" | "account" | "account-region";

/** Where a named resource lives: its account (undefined: not known, so any) and its region. */
export interface NamePlace {
  readonly account?: string;
  readonly region: string;
}

/** Whether AWS holds two names of `scope` at `a` and `b` in one namespace: an unknown account may be any account. */
export function sameNamespace(scope: NameScope, a: NamePlace, b: NamePlace): boolean {
  if (scope === "global") return true;
  const sameAccount = a.account === undefined || b.account === undefined || a.account === b.account;
  return sameAccount && (scope === "account" || a.region === b.region);
}

/** How far `kind` names are unique, in words (S3 buckets are the only global names). */
export function uniqueWithin(scope: NameScope, kind: string): string {
  return { global: "S3 bucket names are unique across all of AWS", account: `${kind} names are unique per account`, "account-region": `${kind} names are unique per account and region` }[scope];
}
