/** The classes of defect the contract rung reports. */
export type FindingClass = "iam" | "policy" | "network" | "existence" | "least-privilege" | "stale-credential" | "auth";

/**
 * One failed proof: who (principal), what (action or port), on what (resource), what is
 * missing, and the fix.
 */
export interface Finding {
  readonly class: FindingClass;
  readonly principal: string;
  readonly what: string;
  readonly resource: string;
  readonly missing: string;
  readonly fix: string;
}

/** A finding as one readable line. */
export function formatFinding(f: Finding): string {
  return `[${f.class}] ${f.principal}: ${f.what} on ${f.resource}: ${f.missing}. Fix: ${f.fix}`;
}
