import { Construct } from "constructs";
import { Annotations, TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { edgeNames, healthCheckPath, staticAssetsBucketName, staticAssetsPathPatterns } from "../config/edge-config";
import { ApplicationLoadBalancer } from "../constructs/alb/application-load-balancer";
import { AliasRecords } from "../constructs/edge/alias-record";
import { DnsValidatedCertificate } from "../constructs/edge/certificate";
import { CdnDistribution } from "../constructs/edge/distribution";
import { EndpointHealthCheck } from "../constructs/edge/health-check";
import { HostedZone } from "../constructs/edge/hosted-zone";
import { SecureBucket } from "../constructs/storage/secure-bucket";
import { isExampleDomain, relativeKey } from "../lib/domain-names";
import { AwsStack, commonTags, StackContext } from "./aws-stack";
import { webAclFor } from "./compute-stack";

export interface EdgeStackProps {
  /** The system's ALB (in the compute or services stack), read through cross-stack references. @default none */
  readonly loadBalancer?: ApplicationLoadBalancer;
}

/**
 * The edge layer (`<project>-<environment>-edge`), after compute: what viewers reach first.
 *
 * - a CloudFront distribution (`cdn`) in front of the ALB and/or a private static-assets
 *   bucket read through Origin Access Control;
 * - the Route 53 hosted zone (`dns`): an existing one by id, or a created one;
 * - for the distribution's custom names, an ACM certificate in us-east-1 (the second AWS
 *   provider, alias `us_east_1`) validated by DNS in the zone, and alias A/AAAA records;
 * - names pointing straight at the ALB (`<key>_record`), each with a Route 53 health check on
 *   the app's health path, a CloudWatch alarm on it in us-east-1, and optional failover.
 *
 * It reads the ALB's DNS name and zone id from the compute (or services) stack. The
 * static-assets bucket lives here, not in the storage stack: its policy names the
 * distribution's ARN, and the storage stack cannot depend on this later stack.
 */
export class EdgeStack extends AwsStack {
  /** The AWS provider of us-east-1: CloudFront's certificates, Route 53 health-check alarms. */
  public readonly usEast1: AwsProvider;
  public readonly zone?: HostedZone;
  public readonly staticAssets?: SecureBucket;
  public readonly certificate?: DnsValidatedCertificate;
  public readonly cdn?: CdnDistribution;
  /** The load-balancer records' health checks, by record key. */
  public readonly healthChecks: Readonly<Record<string, EndpointHealthCheck>>;

  constructor(scope: Construct, context: StackContext, props: EdgeStackProps = {}) {
    super(scope, "edge", context);
    const { config, naming } = context;
    const edge = config.edge;
    if (!edge) throw new Error(`${naming.prefix}: the edge stack needs an edge configuration`);
    const lb = props.loadBalancer;
    const lbHttps = lb?.httpsListener !== undefined;
    const dev = config.environment === "dev";
    const outputs: Record<string, { value: unknown; description: string }> = {};

    this.usEast1 = new AwsProvider(this, "aws_us_east_1", {
      alias: "us_east_1",
      region: "us-east-1",
      allowedAccountIds: config.accountId ? [config.accountId] : undefined,
      defaultTags: [{ tags: commonTags(config) }],
    });

    const zoneConfig = edge.hostedZone;
    const zone = zoneConfig
      ? new HostedZone(this, "dns", {
          name: zoneConfig.name,
          zoneId: zoneConfig.zoneId,
          comment: `${naming.prefix}: the edge layer's names`,
          preventDestroy: config.deletionProtection,
        })
      : undefined;
    this.zone = zone;
    if (zone) {
      outputs.hosted_zone_id = { value: zone.zoneId, description: `The Route 53 hosted zone of ${zone.name}` };
      if (zone.nameServers) outputs.hosted_zone_name_servers = { value: zone.nameServers, description: `Delegate ${zone.name} to these name servers (NS records at the parent domain)` };
    }
    const inZone = (what: string): HostedZone => {
      if (!zone) throw new Error(`${naming.prefix}: ${what} needs edge.hostedZone`);
      return zone;
    };
    const needLoadBalancer = (what: string): ApplicationLoadBalancer => {
      if (!lb) throw new Error(`${naming.prefix}: ${what} needs the system's ALB`);
      return lb;
    };

    const cdn = edge.cdn;
    if (cdn) {
      const assets = cdn.staticAssets;
      if (assets) {
        this.staticAssets = new SecureBucket(this, "static_assets", {
          bucketName: staticAssetsBucketName(naming, assets.bucketName),
          lifecycle: { noncurrentVersionExpirationDays: assets.noncurrentVersionExpirationDays },
          preventDestroy: config.deletionProtection,
        });
        outputs.static_assets_bucket_name = { value: this.staticAssets.name, description: "Upload static assets here; CloudFront serves them" };
        outputs.static_assets_bucket_arn = { value: this.staticAssets.arn, description: "The static-assets bucket's ARN" };
      }
      if (cdn.domainNames.length > 0) {
        this.certificate = new DnsValidatedCertificate(this, "cdn_tls", {
          domainNames: cdn.domainNames,
          zone: inZone("cdn.domainNames"),
          provider: this.usEast1,
          name: `${naming.prefix}-cdn`,
        });
        outputs.cdn_certificate_arn = { value: this.certificate.certificateArn, description: "The distribution's ACM certificate (us-east-1)" };
      }
      const usesLoadBalancer = cdn.defaultOrigin === "loadBalancer";
      // A web ACL given by ARN (e.g. shared by several distributions) wins over the one made here.
      const waf = cdn.webAclArn === undefined ? webAclFor(this, config, naming, "cdn", "CLOUDFRONT", "the CloudFront distribution", this.usEast1) : undefined;
      if (waf) outputs.cdn_web_acl_arn = { value: waf.arn, description: "The distribution's WAF web ACL (us-east-1)" };
      this.cdn = new CdnDistribution(this, "cdn", {
        name: naming.prefix,
        defaultOrigin: cdn.defaultOrigin,
        loadBalancer: usesLoadBalancer
          ? {
              dnsName: needLoadBalancer("cdn.defaultOrigin").lb.dnsName,
              https: lbHttps,
              cachePolicy: cdn.loadBalancer.cachePolicy,
              readTimeoutSeconds: cdn.loadBalancer.readTimeoutSeconds,
            }
          : undefined,
        staticAssets: this.staticAssets
          ? {
              bucket: this.staticAssets,
              // The bucket's name (at most 63 characters): unique in the account, like the OAC's must be.
              originAccessControlName: staticAssetsBucketName(naming, assets?.bucketName),
              pathPatterns: staticAssetsPathPatterns(cdn),
              cachePolicy: assets?.cachePolicy,
            }
          : undefined,
        domainNames: cdn.domainNames,
        certificateArn: this.certificate?.certificateArn,
        priceClass: cdn.priceClass,
        ipv6: cdn.ipv6,
        httpVersion: cdn.httpVersion,
        webAclArn: cdn.webAclArn ?? waf?.arn,
        securityHeaders: cdn.securityHeaders,
        warnOnPlainHttpOrigin: !dev,
      });
      for (const name of cdn.domainNames) {
        const z = inZone("cdn.domainNames");
        new AliasRecords(this, `cdn_record_${relativeKey(name, z.name)}`, {
          zoneId: z.zoneId,
          name,
          target: { dnsName: this.cdn.domainName, zoneId: this.cdn.hostedZoneId, evaluateTargetHealth: false },
          ipv6: cdn.ipv6,
        });
      }
      outputs.cdn_distribution_id = { value: this.cdn.distribution.id, description: "The CloudFront distribution (invalidate with aws cloudfront create-invalidation)" };
      outputs.cdn_distribution_arn = { value: this.cdn.arn, description: "The CloudFront distribution's ARN" };
      outputs.cdn_domain_name = { value: this.cdn.domainName, description: "The distribution's *.cloudfront.net name" };
      const viewerName = cdn.domainNames.find((n) => !n.startsWith("*."));
      outputs.cdn_url = { value: `https://${viewerName ?? this.cdn.domainName}`, description: "Where viewers reach the distribution" };
      if (!dev && cdn.domainNames.length === 0) {
        Annotations.of(this.cdn).addWarning(
          `${naming.prefix}: the distribution has no custom name, so it serves *.cloudfront.net with CloudFront's default certificate, where the viewer TLS minimum cannot be raised above TLS 1.0. ` +
            "Set edge.cdn.domainNames (with edge.hostedZone) to serve TLS 1.2+ only.",
        );
      }
    }

    const healthChecks: Record<string, EndpointHealthCheck> = {};
    for (const [key, record] of Object.entries(edge.loadBalancerRecords).sort(([a], [b]) => a.localeCompare(b))) {
      const z = inZone(`loadBalancerRecords.${key}`);
      const alb = needLoadBalancer(`loadBalancerRecords.${key}`);
      const check = record.healthCheck
        ? new EndpointHealthCheck(this, `${key}_health`, {
            name: `${naming.prefix}-${key}`,
            fqdn: alb.lb.dnsName,
            https: lbHttps,
            path: healthCheckPath(record, config.compute),
            requestIntervalSeconds: record.healthCheck.requestIntervalSeconds,
            failureThreshold: record.healthCheck.failureThreshold,
            alarm: record.healthCheck.alarm
              ? { name: naming.name("cloudwatchAlarm", key, "health"), provider: this.usEast1, topicArn: edge.alarmTopicArn }
              : undefined,
          })
        : undefined;
      if (check) healthChecks[key] = check;
      const primary = new AliasRecords(this, `${key}_record`, {
        zoneId: z.zoneId,
        name: record.name,
        target: { dnsName: alb.lb.dnsName, zoneId: alb.lb.zoneId, evaluateTargetHealth: true },
        failover: record.failover ? { role: "PRIMARY", setIdentifier: "primary", healthCheckId: check?.check.id } : undefined,
      });
      if (record.failover) {
        new AliasRecords(this, `${key}_record_secondary`, {
          zoneId: z.zoneId,
          name: record.name,
          target: record.failover.secondary,
          failover: { role: "SECONDARY", setIdentifier: "secondary" },
        });
      }
      outputs[`${key}_fqdn`] = { value: primary.a.fqdn, description: `The ${key} name, pointing at the load balancer` };
      if (check) outputs[`${key}_health_check_id`] = { value: check.check.id, description: `The Route 53 health check of ${record.name}'s load balancer` };
    }
    this.healthChecks = healthChecks;

    const placeholders = edgeNames(edge).filter((n) => isExampleDomain(n.name));
    if (placeholders.length > 0) {
      Annotations.of(this).addWarning(
        `${naming.prefix}: ${placeholders.map((n) => `edge.${n.key} = ${n.name}`).join(", ")} ${placeholders.length === 1 ? "is a placeholder" : "are placeholders"} under a reserved example domain. ` +
          "Set edge.hostedZone (your zone's name, and its zoneId if it exists) and the edge names to a domain you own before applying; see docs/edge.md.",
      );
    }

    for (const [id, o] of Object.entries(outputs)) new TerraformOutput(this, id, o);
  }
}
