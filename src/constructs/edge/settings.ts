import { z } from "zod";
import { LOAD_BALANCER_CACHE_POLICIES, STATIC_ASSETS_CACHE_POLICIES } from "./managed-policies";
import { isExampleDomain, isInZone, validateDomainName } from "../../lib/domain-names";
import { Naming } from "../../lib/naming";
import { validateBucketName } from "../../lib/s3-bucket-name";
import type { ComputeConfig } from "../asg/settings";
import { ConfigError, Problems, nested } from "../../lib/errors";
import { partitionOf } from "../../lib/regions";
import { CLOUDFRONT_HOSTED_ZONE_ID } from "../../lib/cloudfront-zone";
import { ALARM_TOPIC_REQUIREMENTS } from "../../lib/setting-schemas";

/** CloudFront price classes: the edge locations a distribution is served from (and billed for). */
export const CDN_PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;

/** Viewer HTTP versions a distribution may offer. */
export const CDN_HTTP_VERSIONS = ["http2", "http2and3"] as const;

/** The Route 53 hosted zone every name of the edge layer lives in. */
export const HostedZoneConfigSchema = z.strictObject({
  name: z.string().describe("The zone's domain name, e.g. `example.com`. Every custom name of the edge layer must be inside it."),
  zoneId: z.string().optional().describe("The id (`Z...`) of an existing public hosted zone for `name`: records go there and no zone is created. Default: none: the edge stack creates a public zone, whose name servers you delegate to (docs/edge.md)."),
});

/** A behaviour to the load balancer: the ALB as a custom origin. */
export const LoadBalancerOriginConfigSchema = z.strictObject({
  cachePolicy: z.enum(LOAD_BALANCER_CACHE_POLICIES).default("CachingDisabled").describe("The managed cache policy of requests to the load balancer: `CachingDisabled` (dynamic content), `UseOriginCacheControlHeaders` or `UseOriginCacheControlHeaders-QueryStrings` (the app's Cache-Control decides). Every viewer header, cookie and query string is forwarded (managed `AllViewer` origin request policy)."),
  readTimeoutSeconds: z.number().int().min(1).max(60).default(60).describe("Seconds CloudFront waits for a response from the load balancer, 1-60. Default: 60 (the ALB's idle timeout)."),
});

/** The static-assets bucket, served through CloudFront with Origin Access Control. */
export const StaticAssetsConfigSchema = z.strictObject({
  bucketName: z.string().optional().describe("The globally unique bucket name. Default: \"<project>-<environment>-static-assets\"."),
  pathPatterns: z.array(z.string()).optional().describe("Path patterns served from the bucket when the default origin is the load balancer. Not allowed when the bucket is the default origin (it then serves every path). Default: [\"/static/*\"] with the load balancer as default origin."),
  cachePolicy: z.enum(STATIC_ASSETS_CACHE_POLICIES).default("CachingOptimized").describe("The managed cache policy of the bucket's behaviours."),
  noncurrentVersionExpirationDays: z.number().int().min(1).default(30).describe("Days a replaced or deleted asset's old version is kept."),
});

/** A CloudFront distribution in front of the system. */
export const CdnConfigSchema = z.strictObject({
  defaultOrigin: z.enum(["loadBalancer", "staticAssets"]).default("loadBalancer").describe("Where requests go that match no other behaviour: `loadBalancer` (the ALB) or `staticAssets` (the bucket)."),
  domainNames: z.array(z.string()).default([]).describe("The distribution's custom names (CloudFront aliases), inside `edge.hostedZone.name`: an ACM certificate for them in us-east-1, validated by DNS, TLS 1.2+ for viewers (`TLSv1.2_2021`), and alias A (and AAAA) records in the zone. A leading `*.` is allowed. Default: [] (the `*.cloudfront.net` name and CloudFront's default certificate)."),
  loadBalancer: LoadBalancerOriginConfigSchema.prefault({}).describe("The load balancer as an origin (used when it is the default origin)."),
  staticAssets: StaticAssetsConfigSchema.nullable().optional().describe("A static-assets bucket as an origin; `null` removes a preset's. Default: none."),
  priceClass: z.enum(CDN_PRICE_CLASSES).default("PriceClass_100").describe("Which edge locations serve the distribution: `PriceClass_100` (North America, Europe, Israel), `PriceClass_200`, `PriceClass_All`."),
  ipv6: z.boolean().default(true).describe("Serve viewers over IPv6 too (and publish AAAA records)."),
  httpVersion: z.enum(CDN_HTTP_VERSIONS).default("http2and3").describe("`http2and3` (HTTP/2 and HTTP/3) or `http2`."),
  webAclArn: z.string().optional().describe("An AWS WAF (v2) web ACL with CLOUDFRONT scope, by ARN (`arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>`). Default: none."),
  securityHeaders: z.boolean().default(true).describe("Add the managed SecurityHeadersPolicy (HSTS, nosniff, frame options, referrer policy) to every response."),
  defaultRootObject: z
    .string()
    .regex(/^[^/\s][^\s]*$/, { message: "must be an object name without a leading / (CloudFront adds it), e.g. index.html" })
    .optional()
    .describe("The object CloudFront returns for the root URL (`/`). Default: \"index.html\" when the bucket is the default origin, so that `/` never asks for the bucket's root (AWS Security Hub CloudFront.1); none when the load balancer is, which answers `/` itself."),
});

/** The distribution's default root object: `cdn.defaultRootObject`, else index.html in front of the bucket. */
export function defaultRootObjectOf(cdn: Pick<CdnConfig, "defaultRootObject" | "defaultOrigin">): string | undefined {
  return cdn.defaultRootObject ?? (cdn.defaultOrigin === "staticAssets" ? "index.html" : undefined);
}

/** A Route 53 health check of the load balancer, on the app's health path. */
export const EdgeHealthCheckConfigSchema = z.strictObject({
  path: z.string().optional().describe("The path probed. Default: the load-balanced service's target group health check path (\"/health\")."),
  requestIntervalSeconds: z.union([z.literal(10), z.literal(30)]).default(30).describe("Seconds between checks from each checker: 10 or 30."),
  failureThreshold: z.number().int().min(1).max(10).default(3).describe("Consecutive failures that make the endpoint unhealthy, 1-10."),
  alarm: z.boolean().default(true).describe("A CloudWatch alarm (in us-east-1, where Route 53 publishes its metrics) when the check fails."),
});

/** An alias target of a failover record (another load balancer, a static maintenance site). */
export const FailoverTargetConfigSchema = z.strictObject({
  dnsName: z.string().describe("The target's DNS name, e.g. another region's ALB: `my-alb-123.eu-west-1.elb.amazonaws.com`."),
  zoneId: z.string().describe("The target's hosted zone id (an ALB's is per region, e.g. `Z32O12XQLNTSW2` in eu-west-1)."),
  evaluateTargetHealth: z
    .boolean()
    .optional()
    .describe(`Let Route 53 check the target's own health. Default: true, but false for a CloudFront distribution (zone \`${CLOUDFRONT_HOSTED_ZONE_ID}\`), where Route 53 refuses true.`),
});

export type FailoverTargetConfig = z.infer<typeof FailoverTargetConfigSchema>;

/** Whether Route 53 evaluates the failover target's own health: as set, else true but for CloudFront, which refuses it. */
export function evaluatesTargetHealth(target: FailoverTargetConfig): boolean {
  return target.evaluateTargetHealth ?? target.zoneId !== CLOUDFRONT_HOSTED_ZONE_ID;
}

/** A name pointing straight at the load balancer (e.g. an API), with its health check. */
export const LoadBalancerRecordConfigSchema = z.strictObject({
  name: z.string().describe("The name, inside `edge.hostedZone.name`, e.g. `api.example.com`. The ALB's certificate must cover it."),
  healthCheck: EdgeHealthCheckConfigSchema.nullable().prefault({}).describe("The health check of the load balancer behind the name; `null` for none. Default: on, see EdgeHealthCheckConfigSchema."),
  failover: z.strictObject({ secondary: FailoverTargetConfigSchema }).optional().describe("Failover routing: the record becomes the PRIMARY, answered while the health check passes, and `secondary` the SECONDARY. Needs the health check. Default: none (a simple alias record)."),
});

/**
 * The edge layer (`<project>-<environment>-edge`, see docs/edge.md): a CloudFront
 * distribution, a Route 53 zone and records, ACM certificates and health checks.
 */
export const EdgeConfigSchema = z.strictObject({
  hostedZone: HostedZoneConfigSchema.nullable().optional().describe("The Route 53 hosted zone of the custom names; `null` removes a preset's. Default: none (no custom names)."),
  cdn: CdnConfigSchema.nullable().optional().describe("A CloudFront distribution; `null` removes a preset's. Default: none."),
  loadBalancerRecords: z.record(z.string(), LoadBalancerRecordConfigSchema).default({}).describe("Names pointing straight at the load balancer, by key (e.g. `api`), with health checks and optional failover. The ALB must admit clients and Route 53's health checkers: not on an ALB that admits only CloudFront (`compute.loadBalancer.ingressFrom`), and a health check needs `ingressCidrs` holding all of Route 53's health-checker ranges (0.0.0.0/0 does)."),
  alarmTopicArn: z.string().optional().describe(`An SNS topic in us-east-1 that the health-check alarms notify. ${ALARM_TOPIC_REQUIREMENTS} Default: none (the alarms only change state).`),
});

export type EdgeConfig = z.infer<typeof EdgeConfigSchema>;
export type CdnConfig = z.infer<typeof CdnConfigSchema>;
export type CdnConfigInput = z.input<typeof CdnConfigSchema>;
export type EdgeHealthCheckConfig = z.infer<typeof EdgeHealthCheckConfigSchema>;
export type LoadBalancerRecordConfig = z.infer<typeof LoadBalancerRecordConfigSchema>;

/** What the edge checks need besides the edge settings. */
export interface EdgeContext {
  readonly project: string;
  readonly environment: string;
  readonly region: string;
  readonly accountId?: string;
  readonly compute: ComputeConfig;
}

/** The static-assets bucket's name. */
export function staticAssetsBucketName(naming: Naming, given?: string): string {
  return given ?? naming.name("s3Bucket", "static-assets");
}

/** The path patterns served from the static-assets bucket (none when it is the default origin). */
export function staticAssetsPathPatterns(cdn: CdnConfig): string[] {
  if (!cdn.staticAssets || cdn.defaultOrigin === "staticAssets") return [];
  return cdn.staticAssets.pathPatterns ?? ["/static/*"];
}

/** The path a load-balancer record's health check probes: its own, else the load-balanced service's. */
export function healthCheckPath(record: LoadBalancerRecordConfig, compute: ComputeConfig): string {
  const balanced = Object.values(compute.services).find((s) => s.loadBalanced);
  return record.healthCheck?.path ?? balanced?.targetGroup.healthCheck.path ?? "/health";
}

/** Whether the edge layer builds anything: a distribution, load-balancer records, or a zone to create. */
export function hasEdgeStack(edge: EdgeConfig | null | undefined): edge is EdgeConfig {
  return !!edge && (!!edge.cdn || Object.keys(edge.loadBalancerRecords).length > 0 || (!!edge.hostedZone && edge.hostedZone.zoneId === undefined));
}

/** Every custom name of the edge layer, with the key it is configured under. */
export function edgeNames(edge: EdgeConfig): { key: string; name: string }[] {
  return [
    ...(edge.hostedZone ? [{ key: "hostedZone.name", name: edge.hostedZone.name }] : []),
    ...(edge.cdn?.domainNames ?? []).map((name, i) => ({ key: `cdn.domainNames[${i}]`, name })),
    ...Object.entries(edge.loadBalancerRecords).map(([key, r]) => ({ key: `loadBalancerRecords.${key}.name`, name: r.name })),
  ];
}

const ZONE_ID = /^Z[0-9A-Z]{1,31}$/;
const RECORD_KEY = /^[a-z][a-z0-9_]*$/;
const WEB_ACL_ARN = /^arn:aws:wafv2:us-east-1:\d{12}:global\/webacl\/[A-Za-z0-9_-]{1,128}\/[0-9a-f-]{36}$/;
const US_EAST_1_TOPIC_ARN = /^arn:aws:sns:us-east-1:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/**
 * Checks the meaning of the edge settings beyond their shape: names (valid, inside the
 * hosted zone, not taken twice), what the distribution and the records need from the
 * compute tier, the WAF and SNS ARNs, health-check paths, and that the presets'
 * placeholder domains are not applied to a real account. Every name, record and setting is
 * checked even when another fails; throws a ConfigError keyed `edge.<...>`, or ConfigErrors
 * for several.
 */
export function checkEdgeConfig(edge: EdgeConfig, context: EdgeContext): void {
  nested("edge", () => checkEdge(edge, context));
}

function checkEdge(edge: EdgeConfig, context: EdgeContext): void {
  const zone = edge.hostedZone;
  const cdn = edge.cdn;
  const lb = context.compute.loadBalancer;
  const hasServices = Object.keys(context.compute.services).length > 0;
  const alb = lb?.type === "alb" && hasServices ? lb : undefined;

  // Where the edge layer as a whole cannot be built, its settings do not matter (the fix is to remove it).
  // CloudFront certificates and Route 53 health-check metrics live in us-east-1 of the aws partition.
  const partition = partitionOf(context.region);
  if (partition !== "aws") {
    throw new ConfigError("", edge, `is set, but region ${context.region} is in the ${partition} partition, where this project does not build the edge layer (it uses CloudFront and us-east-1)`, "remove edge");
  }
  if (!hasEdgeStack(edge)) {
    throw new ConfigError("", edge, "configures nothing: no cdn, no loadBalancerRecords, and no hosted zone to create", "add cdn or loadBalancerRecords, or remove edge");
  }

  const problems = new Problems();
  if (zone) {
    problems.check(() => validateDomainName(zone.name, "hostedZone.name"));
    if (zone.zoneId !== undefined && !ZONE_ID.test(zone.zoneId)) {
      problems.add(new ConfigError("hostedZone.zoneId", zone.zoneId, "is not a Route 53 hosted zone id", "use the zone's id as Route 53 shows it, e.g. Z0123456789ABCDEFGHIJ"));
    }
  }
  problems.check(() => checkCustomNames(edge));
  if (cdn) problems.check(() => nested("cdn", () => checkCdn(cdn, context, alb !== undefined, alb?.tls.enabled ?? false)));
  for (const [key, record] of Object.entries(edge.loadBalancerRecords)) {
    problems.check(() => nested(`loadBalancerRecords.${key}`, () => checkLoadBalancerRecord(key, record, context.compute, alb !== undefined)));
  }
  if (edge.alarmTopicArn !== undefined && !US_EAST_1_TOPIC_ARN.test(edge.alarmTopicArn)) {
    problems.add(
      new ConfigError(
        "alarmTopicArn",
        edge.alarmTopicArn,
        "is not an SNS topic ARN in us-east-1; Route 53 health-check metrics, and so their alarms, live in us-east-1, and an alarm can only notify a topic in its own region",
        "use arn:aws:sns:us-east-1:<account>:<topic>",
      ),
    );
  }
  // The presets' placeholder domains must never reach a real account. A placeholder zone is
  // reported once: the names inside it follow it (most are relative to it), and its fix names them.
  if (context.accountId !== undefined) {
    const placeholderZone = zone && isExampleDomain(zone.name) ? zone.name : undefined;
    for (const { key, name } of edgeNames(edge)) {
      const followsZone = placeholderZone !== undefined && key !== "hostedZone.name" && isInZone(name, placeholderZone);
      if (isExampleDomain(name) && !followsZone) {
        problems.add(new ConfigError(key, name, `is under a reserved example domain (the presets' placeholder), and accountId ${context.accountId} is set`, "set edge.hostedZone and the edge names to a domain you own (docs/edge.md)"));
      }
    }
  }
  problems.throwIfAny();
}

/** Every custom name, each on its own: valid, inside the zone, and used once. */
function checkCustomNames(edge: EdgeConfig): void {
  const problems = new Problems();
  const zone = edge.hostedZone;
  const seen = new Map<string, string>();
  for (const { key, name } of edgeNames(edge).filter((n) => n.key !== "hostedZone.name")) {
    problems.check(() => {
      validateDomainName(name, key, { wildcard: key.startsWith("cdn.") });
      if (!zone) {
        throw new ConfigError(key, name, "is a custom domain, but edge.hostedZone is not set", "set edge.hostedZone (the zone holding this name: an existing zone's id, or a zone to create)");
      }
      if (!isInZone(name, zone.name)) {
        throw new ConfigError(key, name, `is not inside the hosted zone ${zone.name}`, `use a name ending in .${zone.name}, or change edge.hostedZone.name`);
      }
      const earlier = seen.get(name);
      if (earlier) throw new ConfigError(key, name, `is already used by ${earlier}`, "give every custom name to one distribution or record only");
      seen.set(name, key);
    });
  }
  problems.throwIfAny();
}

/** One name pointing at the load balancer; keys relative to `loadBalancerRecords.<key>`. */
function checkLoadBalancerRecord(key: string, record: LoadBalancerRecordConfig, compute: ComputeConfig, hasAlb: boolean): void {
  const problems = new Problems();
  if (!RECORD_KEY.test(key)) {
    problems.add(new ConfigError("", key, "is not a usable record key", "use lower case letters, digits and underscores, starting with a letter, e.g. api"));
  }
  if (!hasAlb) {
    problems.add(new ConfigError("name", record.name, "points at the load balancer, but the system has no ALB (compute.loadBalancer of type alb, with services)", "configure an ALB, or remove the record"));
  }
  const check = record.healthCheck;
  if (check) {
    const path = healthCheckPath(record, compute);
    if (!path.startsWith("/")) {
      problems.add(new ConfigError("healthCheck.path", path, "does not start with /", `use an absolute path, e.g. /${path}`));
    } else if (path.length > 255 || !/^[\x21-\x7e]+$/.test(path)) {
      problems.add(new ConfigError("healthCheck.path", path, "is not a path of at most 255 printable characters without spaces", "use e.g. /health"));
    }
  }
  if (record.failover) {
    const secondary = record.failover.secondary;
    if (!check) {
      problems.add(new ConfigError("failover", record.failover, "needs a health check: Route 53 fails over only when the primary's health check fails", "remove healthCheck: null, or remove failover"));
    }
    problems.check(() => validateDomainName(secondary.dnsName, "failover.secondary.dnsName"));
    if (!ZONE_ID.test(secondary.zoneId)) {
      problems.add(new ConfigError("failover.secondary.zoneId", secondary.zoneId, "is not a Route 53 hosted zone id", "use the target's canonical hosted zone id, e.g. an ALB's Z35SXDOTRQ7X7K in us-east-1"));
    }
    if (secondary.zoneId === CLOUDFRONT_HOSTED_ZONE_ID && secondary.evaluateTargetHealth === true) {
      problems.add(
        new ConfigError(
          "failover.secondary.evaluateTargetHealth",
          true,
          `is set for a CloudFront distribution (zone ${CLOUDFRONT_HOSTED_ZONE_ID}): Route 53 refuses an alias to CloudFront that evaluates target health`,
          "remove evaluateTargetHealth (it defaults to false for CloudFront), or set it false",
        ),
      );
    }
  }
  problems.throwIfAny();
}

function checkCdn(cdn: CdnConfig, context: EdgeContext, hasAlb: boolean, albTls: boolean): void {
  const problems = new Problems();
  const assets = cdn.staticAssets;
  if (cdn.defaultOrigin === "loadBalancer") {
    if (!hasAlb) {
      problems.add(new ConfigError("defaultOrigin", cdn.defaultOrigin, "is the load balancer, but the system has no ALB (compute.loadBalancer of type alb, with services)", 'configure an ALB, or set defaultOrigin to "staticAssets" with staticAssets'));
    } else if (albTls && cdn.domainNames.length === 0) {
      problems.add(
        new ConfigError(
          "domainNames",
          cdn.domainNames,
          "is empty, but the ALB serves HTTPS: CloudFront connects to it over HTTPS with the viewer's Host header, and the ALB's certificate cannot cover *.cloudfront.net",
          "add the distribution's custom name (the ALB certificate must cover it), with edge.hostedZone",
        ),
      );
    }
  } else if (!assets) {
    problems.add(new ConfigError("defaultOrigin", cdn.defaultOrigin, "is the static-assets bucket, but staticAssets is not set", "add staticAssets: {}, or use the load balancer as default origin"));
  }
  if (assets) problems.check(() => nested("staticAssets", () => checkStaticAssets(cdn, assets, context)));
  if (cdn.webAclArn !== undefined && !WEB_ACL_ARN.test(cdn.webAclArn)) {
    problems.add(new ConfigError("webAclArn", cdn.webAclArn, "is not the ARN of a WAF web ACL with CLOUDFRONT scope", "use arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id> (CloudFront web ACLs live in us-east-1)"));
  }
  problems.throwIfAny();
}

/** The static-assets bucket and the paths served from it; keys relative to `cdn.staticAssets`. */
function checkStaticAssets(cdn: CdnConfig, assets: NonNullable<CdnConfig["staticAssets"]>, context: EdgeContext): void {
  const problems = new Problems();
  problems.check(() => validateBucketName(staticAssetsBucketName(new Naming(context.project, context.environment, context.accountId), assets.bucketName), "bucketName"));
  if (cdn.defaultOrigin === "staticAssets" && assets.pathPatterns !== undefined) {
    problems.add(new ConfigError("pathPatterns", assets.pathPatterns, "has no effect: the bucket is the default origin and serves every path", "remove pathPatterns, or make the load balancer the default origin"));
  }
  const patterns = staticAssetsPathPatterns(cdn);
  if (cdn.defaultOrigin === "loadBalancer" && patterns.length === 0) {
    problems.add(new ConfigError("pathPatterns", patterns, "is empty: nothing would reach the bucket", 'list the paths to serve from it, e.g. ["/static/*"]'));
  }
  patterns.forEach((pattern, i) => {
    if (pattern === "*" || pattern === "/*" || !/^\/?[A-Za-z0-9_\-.*$/~"'@:+&?]+$/.test(pattern)) {
      problems.add(new ConfigError(`pathPatterns[${i}]`, pattern, "is not a path pattern of its own (the default behaviour covers *)", "use a pattern such as /static/*"));
    } else if (patterns.indexOf(pattern) !== i) {
      problems.add(new ConfigError(`pathPatterns[${i}]`, pattern, "is listed twice", "list each pattern once"));
    }
  });
  problems.throwIfAny();
}
