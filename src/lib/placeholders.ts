import { isInZone } from "./domain-names";

/**
 * Values that look like configuration but belong to nobody: documentation domains and
 * account ids. Outside dev, synth refuses them (src/config/aws-rules.ts): Route 53 will
 * not host a reserved domain, and an ARN in a documentation account is nobody's resource.
 */

/**
 * Reserved domain names: RFC 2606 (example.com/.net/.org and the TLDs .example, .test,
 * .invalid, .localhost) and RFC 6761 (the same, as special-use names).
 */
export const RESERVED_DOMAINS = ["example.com", "example.net", "example.org"] as const;
export const RESERVED_TLDS = ["example", "test", "invalid", "localhost"] as const;

/** The reserved domain or TLD `name` is under, or undefined. */
export function reservedDomainOf(name: string): string | undefined {
  const lower = name.toLowerCase().replace(/\.$/, "");
  const domain = RESERVED_DOMAINS.find((d) => isInZone(lower, d));
  if (domain) return domain;
  const tld = lower.split(".").pop() ?? "";
  return (RESERVED_TLDS as readonly string[]).includes(tld) ? `.${tld}` : undefined;
}

/**
 * Whether `accountId` is a placeholder: AWS's documentation account 123456789012, a run of
 * one digit (000000000000, 111111111111, ...), or the counting sequences 012345678901 and
 * 098765432109.
 */
export function isPlaceholderAccountId(accountId: string): boolean {
  return /^(\d)\1{11}$/.test(accountId) || ["123456789012", "012345678901", "098765432109", "210987654321"].includes(accountId);
}

/** Whether `arn` names a placeholder account, or a resource id of only zeros. */
export function isPlaceholderArn(arn: string): boolean {
  const m = /^arn:[a-z-]+:[a-z0-9-]*:[a-z0-9-]*:(\d{12})?:(.*)$/.exec(arn);
  if (!m) return false;
  if (m[1] !== undefined && isPlaceholderAccountId(m[1])) return true;
  return /(^|[/:])0{8}-0{4}-0{4}-0{4}-0{12}$/.test(m[2]);
}

/**
 * The documentation account (AWS's own example account) and an all-zero certificate id: a
 * placeholder certificate ARN. The presets no longer carry it (the certificate is a required
 * input outside dev); outside dev synth refuses it (src/config/aws-rules.ts), and in dev the ALB
 * warns while it is in place.
 */
export const PLACEHOLDER_CERTIFICATE_ACCOUNT = "123456789012";
export const PLACEHOLDER_CERTIFICATE_ID = "00000000-0000-0000-0000-000000000000";

/** Whether `arn` is the presets' placeholder certificate. */
export function isPlaceholderCertificate(arn: string | undefined): boolean {
  return arn !== undefined && arn.endsWith(`:${PLACEHOLDER_CERTIFICATE_ACCOUNT}:certificate/${PLACEHOLDER_CERTIFICATE_ID}`);
}
