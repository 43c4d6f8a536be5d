import { SYSTEMS } from "../../src/systems";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { WafConfigSchema } from "../../src/constructs/waf/settings";
import { WebAcl } from "../../src/constructs/waf";
import { buildStacks, resourcesOf, warningsOf } from "../harness/synth";
import { synthAllPrepared, synthPrepared, UnitStack } from "../harness/unit-stack";
import { Overrides } from "../../src/config/overrides";
import { resolveSystemConfig } from "../../src/config/resolve";
import { ConfigErrors } from "../../src/lib/errors";
import { posix } from "path";

/** Web ACL settings parsed by the module's schema, so each default is the schema's. */
const settings = (input: object = {}) => WafConfigSchema.parse(input);

describe("WebAcl", () => {
  const stack = new UnitStack();
  const acl = new WebAcl(stack, "waf", { name: "shop-prod-alb", scope: "REGIONAL", settings: settings({ countOnlyRules: { AWSManagedRulesCommonRuleSet: ["SizeRestrictions_BODY"] } }) });
  acl.associate("alb", "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/shop/1");
  const json = stack.json();
  const body = resourcesOf(json, "aws_wafv2_web_acl").waf_acl;
  const rules = body.rule as { name: string; priority: number; action?: unknown; override_action?: unknown; statement: Record<string, Record<string, unknown>> }[];

  it("allows by default and blocks an IP over the rate limit first", () => {
    expect(body).toMatchObject({ name: "shop-prod-alb", scope: "REGIONAL", default_action: { allow: {} } });
    expect(rules[0]).toMatchObject({ name: "rate-limit", priority: 0, action: { block: {} }, statement: { rate_based_statement: { limit: 2000, aggregate_key_type: "IP" } } });
  });

  it("then applies AWS's Common, KnownBadInputs and AmazonIpReputationList rule groups, in that order", () => {
    expect(rules.slice(1).map((r) => [r.name, r.priority, r.statement.managed_rule_group_statement.vendor_name])).toEqual([
      ["AWSManagedRulesCommonRuleSet", 10, "AWS"],
      ["AWSManagedRulesKnownBadInputsRuleSet", 20, "AWS"],
      ["AWSManagedRulesAmazonIpReputationList", 30, "AWS"],
    ]);
    expect(rules.slice(1).every((r) => JSON.stringify(r.override_action) === '{"none":{}}')).toBe(true);
  });

  it("counts instead of blocking the rules it is told to", () => {
    expect(rules[1].statement.managed_rule_group_statement.rule_action_override).toEqual([{ name: "SizeRestrictions_BODY", action_to_use: { count: {} } }]);
    expect(rules[2].statement.managed_rule_group_statement.rule_action_override).toBeUndefined();
  });

  it("logs to an aws-waf-logs- log group with a retention, and is associated with the ALB", () => {
    expect(resourcesOf(json, "aws_cloudwatch_log_group").waf_logs).toMatchObject({ name: "aws-waf-logs-shop-prod-alb", retention_in_days: 90 });
    expect(resourcesOf(json, "aws_wafv2_web_acl_logging_configuration").waf_logging).toMatchObject({
      resource_arn: "${aws_wafv2_web_acl.waf_acl.arn}",
      log_destination_configs: ["${aws_cloudwatch_log_group.waf_logs.arn}"],
    });
    expect(resourcesOf(json, "aws_wafv2_web_acl_association").waf_alb).toMatchObject({ web_acl_arn: "${aws_wafv2_web_acl.waf_acl.arn}" });
  });

  it("refuses an association for a CloudFront web ACL, and count rules of a group it does not use", () => {
    const s = new UnitStack();
    const usEast1 = new AwsProvider(s, "east", { region: "us-east-1", alias: "east" });
    const cdn = new WebAcl(s, "cdn", { name: "shop-prod-cdn", scope: "CLOUDFRONT", settings: settings(), provider: usEast1 });
    expect(() => cdn.associate("x", "arn")).toThrow(/web_acl_id, not an association/);
    expect(() => new WebAcl(new UnitStack(), "w", { name: "n", scope: "REGIONAL", settings: settings({ countOnlyRules: { AWSManagedRulesSQLiRuleSet: ["SQLi_BODY"] } }) })).toThrow(/countOnlyRules.*AWSManagedRulesSQLiRuleSet/s);
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any */
type Statement = Record<string, any>;
type Rule = { name: string; priority: number; action?: Record<string, unknown>; override_action?: unknown; statement: Statement };
const LARGE_BODY_LABEL = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body";

/**
 * What a web ACL does with a request whose body is over 8 KB, per WAF's documented evaluation:
 * rules by priority; the Common rule set's SizeRestrictions_BODY blocks it unless a
 * rule_action_override counts it, which adds its label; later rules may match that label.
 * Only the statements these web ACLs use are modelled (others match nothing).
 */
function largeBodyVerdict(rules: Rule[], path: string): "blocked" | "allowed" {
  const labels: string[] = [];
  const matches = (st: Statement): boolean => {
    if (st.label_match_statement) return labels.includes(st.label_match_statement.key);
    if (st.and_statement) return st.and_statement.statement.every(matches);
    if (st.or_statement) return st.or_statement.statement.some(matches);
    if (st.not_statement) return !matches(st.not_statement.statement[0]);
    const byte = st.byte_match_statement;
    if (byte && byte.positional_constraint === "STARTS_WITH" && byte.field_to_match.uri_path) {
      const normalized = byte.text_transformation.some((t: { type: string }) => t.type === "NORMALIZE_PATH") ? posix.normalize(path) : path;
      return normalized.startsWith(byte.search_string);
    }
    return false;
  };
  for (const rule of [...rules].sort((a, b) => a.priority - b.priority)) {
    const group = rule.statement.managed_rule_group_statement;
    if (group?.name === "AWSManagedRulesCommonRuleSet") {
      const counted = (group.rule_action_override ?? []).some((o: { name: string }) => o.name === "SizeRestrictions_BODY");
      if (!counted) return "blocked";
      labels.push(LARGE_BODY_LABEL);
    } else if (!group && rule.action && "block" in rule.action && !rule.statement.rate_based_statement && matches(rule.statement)) {
      return "blocked";
    }
  }
  return "allowed";
}

describe("large request bodies (waf.largeBodyPaths)", () => {
  const rulesOf = (input: object) => {
    const stack = new UnitStack();
    new WebAcl(stack, "waf", { name: "shop-prod-alb", scope: "REGIONAL", settings: settings(input) });
    return resourcesOf(stack.json(), "aws_wafv2_web_acl").waf_acl.rule as Rule[];
  };

  it("are blocked by default, as the Common rule set blocks every body over 8 KB", () => {
    expect(largeBodyVerdict(rulesOf({}), "/v1/uploads/photo")).toBe("blocked");
  });

  it("pass on the given path prefixes only, after the Common rule set labels them, even through dot segments", () => {
    const rules = rulesOf({ largeBodyPaths: ["/v1/uploads/", "/v2/import"] });
    expect(rules.map((r) => [r.name, r.priority])).toEqual([
      ["rate-limit", 0],
      ["AWSManagedRulesCommonRuleSet", 10],
      ["large-body-outside-paths", 11],
      ["AWSManagedRulesKnownBadInputsRuleSet", 20],
      ["AWSManagedRulesAmazonIpReputationList", 30],
    ]);
    for (const [path, verdict] of [
      ["/v1/uploads/photo", "allowed"],
      ["/v2/import-batch", "allowed"],
      ["/v1/login", "blocked"],
      ["/v1/uploads/../login", "blocked"],
      ["//v1/login", "blocked"],
    ]) {
      expect({ path, verdict: largeBodyVerdict(rules, path) }).toEqual({ path, verdict });
    }
    expect(largeBodyVerdict(rulesOf({ largeBodyPaths: ["/v1/uploads/"] }), "/v1/uploads/x")).toBe("allowed");
    // Without the Common rule set nothing blocks large bodies, and no rule is added.
    const withoutCommon = rulesOf({ largeBodyPaths: ["/v1/uploads/"], managedRuleGroups: ["AWSManagedRulesKnownBadInputsRuleSet"] });
    expect(withoutCommon.map((r) => r.name)).toEqual(["rate-limit", "AWSManagedRulesKnownBadInputsRuleSet"]);
  });

  it("contradict counting the size rule everywhere, and must be path prefixes: both fail naming the key", () => {
    const problem = (waf: object) => {
      try {
        resolveSystemConfig("dev", { project: "shop", region: "us-east-1", waf });
      } catch (e) {
        return (e as ConfigErrors).errors.map((error) => error.key);
      }
      return [];
    };
    expect(problem({ largeBodyPaths: ["/up/"], countOnlyRules: { AWSManagedRulesCommonRuleSet: ["SizeRestrictions_BODY"] } })).toEqual(["waf.countOnlyRules.AWSManagedRulesCommonRuleSet"]);
    expect(problem({ largeBodyPaths: ["uploads"] })).toEqual(["waf.largeBodyPaths[0]"]);
  });
});

describe("the systems' uploads and long texts pass their web ACLs; other large bodies do not", () => {
  // Each app's large-body route (from its published code), and a path outside its large-body prefixes.
  const cases = [
    { stack: "ode-prod-eks", acl: "waf_ingress_acl", takes: "/v1/convert-sync", not: "/auth/login" },
    { stack: "muejam-prod-edge", acl: "waf_cdn_acl", takes: "/v1/chapters/42/update", not: "/v1/users/me" },
    { stack: "muejam-prod-compute", acl: "waf_alb_acl", takes: "/v1/chapters/42/update", not: "/v1/users/me" },
    { stack: "algoitny-prod-services", acl: "waf_alb_acl", takes: "/api/execute/", not: "/api/auth/login/" },
  ];
  it.each(cases)("$stack: $takes passes, $not is blocked", ({ stack, acl, takes, not }) => {
    const system = stack.split("-")[0];
    const rules = resourcesOf(synthPrepared({ systems: [system], environments: ["prod"] }, stack), "aws_wafv2_web_acl")[acl].rule as Rule[];
    expect(largeBodyVerdict(rules, takes)).toBe("allowed");
    expect(largeBodyVerdict(rules, not)).toBe("blocked");
  });
});

describe("waf settings", () => {
  it("are checked with the rest of the configuration: count rules of a group the web ACL does not use name waf.countOnlyRules", () => {
    const resolve = () => resolveSystemConfig("dev", { project: "shop", region: "us-east-1", waf: { countOnlyRules: { AWSManagedRulesSQLiRuleSet: ["SQLi_BODY"] } } });
    expect(resolve).toThrow(ConfigErrors);
    try {
      resolve();
    } catch (e) {
      expect((e as ConfigErrors).errors.map((error) => [error.key, error.fix])).toEqual([["waf.countOnlyRules", expect.stringContaining("add them to managedRuleGroups")]]);
    }
  });
});

describe("WAF on the systems' entry points", () => {
  const prod = synthAllPrepared({ systems: Object.keys(SYSTEMS), environments: ["prod"] });

  it("protects every internet-facing ALB with a regional web ACL", () => {
    const albs = Object.entries(prod).filter(([, json]) => Object.values(resourcesOf(json, "aws_lb")).some((lb) => lb.load_balancer_type === "application" && lb.internal !== true));
    expect(albs.length).toBeGreaterThanOrEqual(3);
    for (const [stack, json] of albs) {
      const system = stack.split("-")[0];
      expect({ stack, acl: resourcesOf(json, "aws_wafv2_web_acl").waf_alb_acl }).toMatchObject({ stack, acl: { scope: "REGIONAL", name: `${system}-prod-alb` } });
      expect(resourcesOf(json, "aws_wafv2_web_acl_association").waf_alb_alb).toMatchObject({ resource_arn: "${aws_lb.alb_lb.arn}", web_acl_arn: "${aws_wafv2_web_acl.waf_alb_acl.arn}" });
    }
  });

  it("gives no web ACL to Joblet's NLB, which WAF cannot protect", () => {
    expect(resourcesOf(prod["joblet-prod-compute"], "aws_wafv2_web_acl")).toEqual({});
  });

  it("protects every CloudFront distribution with a CLOUDFRONT web ACL made in us-east-1", () => {
    const edges = Object.values(prod).filter((json) => Object.keys(resourcesOf(json, "aws_cloudfront_distribution")).length > 0);
    expect(edges.length).toBeGreaterThanOrEqual(2);
    for (const json of edges) {
      expect(resourcesOf(json, "aws_wafv2_web_acl").waf_cdn_acl).toMatchObject({ scope: "CLOUDFRONT", provider: "aws.us_east_1" });
      expect(resourcesOf(json, "aws_cloudwatch_log_group").waf_cdn_logs).toMatchObject({ provider: "aws.us_east_1" });
      expect(resourcesOf(json, "aws_cloudfront_distribution").cdn_distribution.web_acl_id).toBe("${aws_wafv2_web_acl.waf_cdn_acl.arn}");
    }
  });

  it("takes the rate limit and rule groups from waf", () => {
    const overrides: Overrides = { muejam: { all: { waf: { rateLimit: 500, managedRuleGroups: ["AWSManagedRulesKnownBadInputsRuleSet"] } } } };
    const acl = resourcesOf(synthPrepared({ systems: ["muejam"], environments: ["prod"] }, "muejam-prod-edge", overrides), "aws_wafv2_web_acl").waf_cdn_acl;
    const rules = acl.rule as { name: string; statement: { rate_based_statement?: { limit: number } } }[];
    expect(rules.map((r) => r.name)).toEqual(["rate-limit", "AWSManagedRulesKnownBadInputsRuleSet"]);
    expect(rules[0].statement.rate_based_statement?.limit).toBe(500);
  });

  it("limits the rate per viewer at CloudFront, not at an ALB that admits only CloudFront (whose source IPs are edge servers)", () => {
    const ruleNames = (stack: string, acl: string, system = "muejam") =>
      (resourcesOf(synthPrepared({ systems: [system], environments: ["prod"] }, stack), "aws_wafv2_web_acl")[acl].rule as { name: string }[]).map((r) => r.name);
    expect(ruleNames("muejam-prod-compute", "waf_alb_acl")).not.toContain("rate-limit");
    expect(ruleNames("muejam-prod-edge", "waf_cdn_acl")).toContain("rate-limit");
    // An ALB the internet reaches directly keeps its own.
    expect(ruleNames("algoitny-prod-services", "waf_alb_acl", "algoitny")).toContain("rate-limit");
  });

  it("with waf: null builds none, and warns outside dev only", () => {
    const nullWafWarnings = (environment: "dev" | "prod") => {
      const stacks = buildStacks({ systems: ["muejam"], environments: [environment] }, { muejam: { all: { waf: null } } });
      return warningsOf(stacks).filter((w) => w.includes("waf is null"));
    };
    expect(nullWafWarnings("prod")).toEqual([
      expect.stringMatching(/^waf is null: the ALB .* has no WAF web ACL/),
      expect.stringMatching(/^waf is null: the CloudFront distribution has no WAF web ACL/),
    ]);
    expect(nullWafWarnings("dev")).toEqual([]);
    const json = synthPrepared({ systems: ["muejam"], environments: ["prod"] }, "muejam-prod-compute", { muejam: { all: { waf: null } } });
    expect(resourcesOf(json, "aws_wafv2_web_acl")).toEqual({});
  });

  it("rejects a rate limit below WAF's minimum, naming the key", () => {
    expect(() => buildStacks({ systems: ["muejam"], environments: ["prod"] }, { muejam: { all: { waf: { rateLimit: 5 } } } })).toThrow(/waf\.rateLimit/);
  });
});
