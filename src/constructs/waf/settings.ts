import { z } from "zod";
import { LogRetentionSchema } from "../../lib/setting-schemas";

/**
 * The AWS managed rule groups a web ACL may use here, with what each blocks. The first three
 * are the default: AWS's baseline for any web application.
 */
export const MANAGED_RULE_GROUPS = [
  /** OWASP Top 10 class: bad bots' user agents, XSS, LFI/RFI, oversized bodies (8 KB), SSRF. */
  "AWSManagedRulesCommonRuleSet",
  /** Request patterns known to exploit vulnerabilities, e.g. Log4j (CVE-2021-44228). */
  "AWSManagedRulesKnownBadInputsRuleSet",
  /** Sources Amazon's threat intelligence lists as bots and attackers. */
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesAnonymousIpList",
  "AWSManagedRulesSQLiRuleSet",
  "AWSManagedRulesLinuxRuleSet",
  "AWSManagedRulesUnixRuleSet",
  "AWSManagedRulesAdminProtectionRuleSet",
  "AWSManagedRulesPHPRuleSet",
  "AWSManagedRulesWordPressRuleSet",
  "AWSManagedRulesWindowsRuleSet",
] as const;
export type ManagedRuleGroup = (typeof MANAGED_RULE_GROUPS)[number];

/**
 * The Common rule set's rule that blocks request bodies over 8 KB, and the label it adds to
 * the requests it matches (AWS's rule group reference: baseline rule groups, core rule set).
 */
export const BODY_SIZE_RULE = {
  group: "AWSManagedRulesCommonRuleSet",
  rule: "SizeRestrictions_BODY",
  label: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body",
} as const;

/**
 * The WAFv2 web ACL in front of every internet-facing HTTP entry point of a system: each
 * ALB (regional) and each CloudFront distribution (global, in us-east-1), and the ALB the
 * AWS Load Balancer Controller makes for an Ingress. `null` turns it off (synth warns
 * outside dev).
 */
export const WafConfigSchema = z.strictObject({
  rateLimit: z.number().int().min(10).max(2_000_000_000).default(2000).describe("Requests one IP may make in any 5-minute window before it is blocked, 10 to 2,000,000,000. Not applied at an ALB that admits only CloudFront (its sources are edge servers): the distribution's web ACL limits each viewer."),
  managedRuleGroups: z
    .array(z.enum(MANAGED_RULE_GROUPS))
    .default(["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"]).describe("AWS managed rule groups, evaluated in this order after the rate limit. Default: Common, KnownBadInputs, AmazonIpReputationList."),
  countOnlyRules: z.partialRecord(z.enum(MANAGED_RULE_GROUPS), z.array(z.string().regex(/^[A-Za-z0-9_-]+$/)).min(1)).default({}).describe("Rules of the managed groups to count instead of block, on every path, e.g. a rule an app trips legitimately. For request bodies over 8 KB use `largeBodyPaths`, which allows them on the routes that take them only. Default: none."),
  largeBodyPaths: z
    .array(z.string().regex(/^\/[\x21-\x7e]{0,199}$/, { message: "is not a URI path prefix: start with /, at most 200 printable ASCII characters, no spaces" }))
    .max(10)
    .default([])
    .describe(`URI path prefixes (at most 10) that take request bodies over 8 KB, e.g. \`/v1/uploads/\` (matched after WAF's path normalization): the Common rule set's \`SizeRestrictions_BODY\` only labels, and a rule right after the group blocks what it labels on every other path. Without \`AWSManagedRulesCommonRuleSet\` no rule blocks large bodies, and this adds none. Default: none (every body over 8 KB is blocked).`),
  logRetentionInDays: LogRetentionSchema.default(90).describe("Days to keep the web ACL's logs (CloudWatch log group `aws-waf-logs-<name>`)."),
});
export type WafConfig = z.infer<typeof WafConfigSchema>;
