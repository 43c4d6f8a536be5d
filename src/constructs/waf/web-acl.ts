import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { checkWafSettings } from "./checks";
import { BODY_SIZE_RULE, WafConfig } from "./settings";

export interface WebAclProps {
  /** The web ACL's name, unique per account, region and scope; also names its metrics and log group. */
  readonly name: string;
  /** `REGIONAL` for an ALB (the ALB's region), `CLOUDFRONT` for a distribution (us-east-1). */
  readonly scope: "REGIONAL" | "CLOUDFRONT";
  /** The rate limit per IP per 5 minutes, the managed rule groups in evaluation order, rules to count instead of block, log retention. */
  readonly settings: WafConfig;
  /** The provider of the web ACL's region: us-east-1's for `CLOUDFRONT`. @default the stack's */
  readonly provider?: TerraformProvider;
  /**
   * Whether every request reaches the protected resource through CloudFront (an ALB that admits
   * only CloudFront's origin-facing servers). Its source IP is then an edge server's, shared by
   * many viewers, so the ACL has no rate limit by IP: the distribution's ACL limits each viewer.
   * @default false
   */
  readonly behindCloudFront?: boolean;
}

/**
 * A WAFv2 web ACL that allows by default and blocks, in order: any IP over `rateLimit`
 * requests in 5 minutes (a rate-based rule, priority 0; none behind CloudFront, whose ACL
 * limits the viewers: {@link WebAclProps.behindCloudFront}), then what each AWS managed rule
 * group matches (priorities 10, 20, ...). Every rule publishes CloudWatch metrics and
 * sampled requests, and the whole ACL logs to the CloudWatch log group
 * `aws-waf-logs-<name>` (WAF requires the prefix), in the ACL's region.
 *
 * Attach it to an ALB with {@link associate}; a CloudFront distribution takes {@link arn}
 * as its `web_acl_id`.
 */
export class WebAcl extends Construct {
  public readonly acl: Wafv2WebAcl;
  public readonly logGroup: CloudwatchLogGroup;
  private readonly scopeKind: "REGIONAL" | "CLOUDFRONT";

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    this.scopeKind = props.scope;
    checkWafSettings(props.settings);
    this.acl = new Wafv2WebAcl(this, "acl", {
      name: props.name,
      description: props.behindCloudFront ? `${props.name}: AWS managed rules, rate limit at CloudFront` : `${props.name}: rate limit and AWS managed rules`,
      scope: props.scope,
      defaultAction: { allow: {} },
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: props.name, sampledRequestsEnabled: true },
      provider: props.provider,
    });
    this.addRules(props.name, props.settings, !props.behindCloudFront);
    this.logGroup = this.addLogging(props.name, props.settings.logRetentionInDays, props.provider);
  }

  /**
   * The rate-based rule (priority 0) when `limitRate`, then each managed rule group (10, 20, ...),
   * its counted rules overridden to count; with `largeBodyPaths`, the Common group's body size
   * rule too, and right after the group (its priority + 1) the rule that blocks what it labels.
   */
  private addRules(name: string, { rateLimit, managedRuleGroups, countOnlyRules, largeBodyPaths }: WafConfig, limitRate: boolean): void {
    const metric = (suffix: string) => ({ cloudwatch_metrics_enabled: true, metric_name: `${name}-${suffix}`, sampled_requests_enabled: true });
    // The provider binding has no type for `statement` (too deeply nested for cdktf), so the
    // rules are written as Terraform JSON blocks, which `terraform validate` checks.
    const rules: Record<string, unknown>[] = [
      ...(limitRate
        ? [
            {
              name: "rate-limit",
              priority: 0,
              action: { block: {} },
              statement: { rate_based_statement: { limit: rateLimit, aggregate_key_type: "IP" } },
              visibility_config: metric("rate-limit"),
            },
          ]
        : []),
      ...managedRuleGroups.flatMap((group, i) => {
        // With largeBodyPaths, the body size rule only labels; the rule after the group blocks.
        const labelsLargeBodies = largeBodyPaths.length > 0 && group === BODY_SIZE_RULE.group;
        const counted = [...(countOnlyRules[group] ?? []), ...(labelsLargeBodies ? [BODY_SIZE_RULE.rule] : [])];
        const priority = 10 * (i + 1);
        const groupRule = {
          name: group,
          priority,
          override_action: { none: {} },
          statement: {
            managed_rule_group_statement: {
              name: group,
              vendor_name: "AWS",
              ...(counted.length ? { rule_action_override: counted.map((rule) => ({ name: rule, action_to_use: { count: {} } })) } : {}),
            },
          },
          visibility_config: metric(group),
        };
        return labelsLargeBodies ? [groupRule, largeBodyOutsidePaths(largeBodyPaths, priority + 1, metric("large-body"))] : [groupRule];
      }),
    ];
    this.acl.addOverride("rule", rules);
  }

  /** The ACL's log group (`aws-waf-logs-<name>`: WAF requires the prefix) and its logging configuration. */
  private addLogging(name: string, retentionInDays: number, provider?: TerraformProvider): CloudwatchLogGroup {
    const logGroup = new CloudwatchLogGroup(this, "logs", { name: `aws-waf-logs-${name}`, retentionInDays, provider });
    new Wafv2WebAclLoggingConfiguration(this, "logging", { resourceArn: this.acl.arn, logDestinationConfigs: [logGroup.arn], provider });
    return logGroup;
  }

  /** The web ACL's ARN (a distribution's `web_acl_id`). */
  public get arn(): string {
    return this.acl.arn;
  }

  /** Protects a regional resource (an ALB) with this web ACL. */
  public associate(id: string, resourceArn: string): Wafv2WebAclAssociation {
    if (this.scopeKind !== "REGIONAL") throw new Error(`${this.node.path}: a CLOUDFRONT web ACL attaches through the distribution's web_acl_id, not an association`);
    return new Wafv2WebAclAssociation(this, id, { resourceArn, webAclArn: this.acl.arn });
  }
}

/**
 * Blocks the requests the Common rule set labels as over 8 KB of body, unless their path
 * (normalized: no `//`, `./` or `../` to slip past the prefix) starts with one of `paths`.
 */
function largeBodyOutsidePaths(paths: readonly string[], priority: number, visibility: Record<string, unknown>): Record<string, unknown> {
  const startsWith = (path: string) => ({
    byte_match_statement: { search_string: path, positional_constraint: "STARTS_WITH", field_to_match: { uri_path: {} }, text_transformation: [{ priority: 0, type: "NORMALIZE_PATH" }] },
  });
  const allowed = paths.length === 1 ? startsWith(paths[0]) : { or_statement: { statement: paths.map(startsWith) } };
  return {
    name: "large-body-outside-paths",
    priority,
    action: { block: {} },
    statement: { and_statement: { statement: [{ label_match_statement: { scope: "LABEL", key: BODY_SIZE_RULE.label } }, { not_statement: { statement: [allowed] } }] } },
    visibility_config: visibility,
  };
}
