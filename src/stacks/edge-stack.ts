import { Construct } from "constructs";
import { Annotations, TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CdnConfig, EdgeConfig, edgeNames, evaluatesTargetHealth, healthCheckPath, LoadBalancerRecordConfig, staticAssetsBucketName } from "../constructs/edge/settings";
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

/** Terraform outputs gathered by the feature methods, written last in insertion order. */
type Outputs = Record<string, { value: unknown; description: string }>;

/** What the CDN feature adds: the distribution and, when configured, its bucket and certificate. */
interface EdgeCdn {
  readonly staticAssets?: SecureBucket;
  readonly certificate?: DnsValidatedCertificate;
  readonly cdn: CdnDistribution;
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
    const outputs: Outputs = {};

    this.usEast1 = new AwsProvider(this, "aws_us_east_1", {
      alias: "us_east_1",
      region: "us-east-1",
      allowedAccountIds: config.accountId ? [config.accountId] : undefined,
      defaultTags: [{ tags: commonTags(config) }],
    });
    this.zone = this.addHostedZone(edge, outputs);
    if (edge.cdn) {
      const { staticAssets, certificate, cdn } = this.addCdn(edge.cdn, lb, outputs);
      this.staticAssets = staticAssets;
      this.certificate = certificate;
      this.cdn = cdn;
    }
    this.healthChecks = this.addLoadBalancerRecords(edge, lb, outputs);
    this.warnOnPlaceholderNames(edge);

    for (const [id, o] of Object.entries(outputs)) new TerraformOutput(this, id, o);
  }

  /** The Route 53 hosted zone (`dns`): an existing one by id, or a created one. */
  private addHostedZone(edge: EdgeConfig, outputs: Outputs): HostedZone | undefined {
    const zoneConfig = edge.hostedZone;
    const zone = zoneConfig
      ? new HostedZone(this, "dns", {
          settings: zoneConfig,
          comment: `${this.naming.prefix}: the edge layer's names`,
          preventDestroy: this.config.deletionProtection,
        })
      : undefined;
    if (zone) {
      outputs.hosted_zone_id = { value: zone.zoneId, description: `The Route 53 hosted zone of ${zone.name}` };
      if (zone.nameServers) outputs.hosted_zone_name_servers = { value: zone.nameServers, description: `Delegate ${zone.name} to these name servers (NS records at the parent domain)` };
    }
    return zone;
  }

  private inZone(what: string): HostedZone {
    if (!this.zone) throw new Error(`${this.naming.prefix}: ${what} needs edge.hostedZone`);
    return this.zone;
  }

  private needLoadBalancer(lb: ApplicationLoadBalancer | undefined, what: string): ApplicationLoadBalancer {
    if (!lb) throw new Error(`${this.naming.prefix}: ${what} needs the system's ALB`);
    return lb;
  }

  /** The CloudFront distribution (`cdn`), its static-assets bucket, certificate, web ACL and alias records. */
  private addCdn(cdn: CdnConfig, lb: ApplicationLoadBalancer | undefined, outputs: Outputs): EdgeCdn {
    const staticAssets = cdn.staticAssets ? this.addStaticAssets(cdn.staticAssets, outputs) : undefined;
    const certificate = cdn.domainNames.length > 0 ? this.addCdnCertificate(cdn, outputs) : undefined;
    const distribution = this.addDistribution(cdn, lb, staticAssets, certificate, outputs);
    this.addCdnRecords(cdn, distribution);
    this.addCdnOutputs(cdn, distribution, outputs);
    return { staticAssets, certificate, cdn: distribution };
  }

  /** The private static-assets bucket, read by CloudFront through Origin Access Control. */
  private addStaticAssets(assets: NonNullable<CdnConfig["staticAssets"]>, outputs: Outputs): SecureBucket {
    const bucket = new SecureBucket(this, "static_assets", {
      bucketName: staticAssetsBucketName(this.naming, assets.bucketName),
      lifecycle: { noncurrentVersionExpirationDays: assets.noncurrentVersionExpirationDays },
      preventDestroy: this.config.deletionProtection,
    });
    outputs.static_assets_bucket_name = { value: bucket.name, description: "Upload static assets here; CloudFront serves them" };
    outputs.static_assets_bucket_arn = { value: bucket.arn, description: "The static-assets bucket's ARN" };
    return bucket;
  }

  /** The distribution's ACM certificate, in us-east-1, validated by DNS in the zone. */
  private addCdnCertificate(cdn: CdnConfig, outputs: Outputs): DnsValidatedCertificate {
    const certificate = new DnsValidatedCertificate(this, "cdn_tls", {
      domainNames: cdn.domainNames,
      zone: this.inZone("cdn.domainNames"),
      provider: this.usEast1,
      name: `${this.naming.prefix}-cdn`,
    });
    outputs.cdn_certificate_arn = { value: certificate.certificateArn, description: "The distribution's ACM certificate (us-east-1)" };
    return certificate;
  }

  /** The CloudFront distribution itself, with its WAF web ACL unless one is given by ARN. */
  private addDistribution(
    cdn: CdnConfig,
    lb: ApplicationLoadBalancer | undefined,
    staticAssets: SecureBucket | undefined,
    certificate: DnsValidatedCertificate | undefined,
    outputs: Outputs,
  ): CdnDistribution {
    const { config, naming } = this;
    const assets = cdn.staticAssets;
    const usesLoadBalancer = cdn.defaultOrigin === "loadBalancer";
    // A web ACL given by ARN (e.g. shared by several distributions) wins over the one made here.
    const waf = cdn.webAclArn === undefined ? webAclFor(this, config, naming, "cdn", "CLOUDFRONT", "the CloudFront distribution", { provider: this.usEast1 }) : undefined;
    if (waf) outputs.cdn_web_acl_arn = { value: waf.arn, description: "The distribution's WAF web ACL (us-east-1)" };
    return new CdnDistribution(this, "cdn", {
      name: naming.prefix,
      settings: cdn,
      loadBalancer: usesLoadBalancer
        ? { dnsName: this.needLoadBalancer(lb, "cdn.defaultOrigin").lb.dnsName, https: lb?.httpsListener !== undefined }
        : undefined,
      staticAssets: staticAssets
        ? {
            bucket: staticAssets,
            // The bucket's name (at most 63 characters): unique in the account, like the OAC's must be.
            originAccessControlName: staticAssetsBucketName(naming, assets?.bucketName),
          }
        : undefined,
      certificateArn: certificate?.certificateArn,
      webAclArn: waf?.arn,
      warnOnPlainHttpOrigin: config.environment !== "dev",
    });
  }

  /** Alias A/AAAA records for the distribution's custom names. */
  private addCdnRecords(cdn: CdnConfig, distribution: CdnDistribution): void {
    for (const name of cdn.domainNames) {
      const z = this.inZone("cdn.domainNames");
      new AliasRecords(this, `cdn_record_${relativeKey(name, z.name)}`, {
        zoneId: z.zoneId,
        name,
        target: { dnsName: distribution.domainName, zoneId: distribution.hostedZoneId, evaluateTargetHealth: false },
        ipv6: cdn.ipv6,
      });
    }
  }

  /** The distribution's outputs, and a warning when it serves only its *.cloudfront.net name outside dev. */
  private addCdnOutputs(cdn: CdnConfig, distribution: CdnDistribution, outputs: Outputs): void {
    outputs.cdn_distribution_id = { value: distribution.distribution.id, description: "The CloudFront distribution (invalidate with aws cloudfront create-invalidation)" };
    outputs.cdn_distribution_arn = { value: distribution.arn, description: "The CloudFront distribution's ARN" };
    outputs.cdn_domain_name = { value: distribution.domainName, description: "The distribution's *.cloudfront.net name" };
    const viewerName = cdn.domainNames.find((n) => !n.startsWith("*."));
    outputs.cdn_url = { value: `https://${viewerName ?? distribution.domainName}`, description: "Where viewers reach the distribution" };
    if (this.config.environment !== "dev" && cdn.domainNames.length === 0) {
      Annotations.of(distribution).addWarning(
        `${this.naming.prefix}: the distribution has no custom name, so it serves *.cloudfront.net with CloudFront's default certificate, where the viewer TLS minimum cannot be raised above TLS 1.0. ` +
          "Set edge.cdn.domainNames (with edge.hostedZone) to serve TLS 1.2+ only.",
      );
    }
  }

  /**
   * Names pointing straight at the ALB (`<key>_record`), each with a Route 53 health check on the
   * app's health path, a CloudWatch alarm on it in us-east-1, and optional failover.
   */
  private addLoadBalancerRecords(edge: EdgeConfig, lb: ApplicationLoadBalancer | undefined, outputs: Outputs): Record<string, EndpointHealthCheck> {
    const healthChecks: Record<string, EndpointHealthCheck> = {};
    for (const [key, record] of Object.entries(edge.loadBalancerRecords).sort(([a], [b]) => a.localeCompare(b))) {
      const z = this.inZone(`loadBalancerRecords.${key}`);
      const alb = this.needLoadBalancer(lb, `loadBalancerRecords.${key}`);
      const check = this.addHealthCheck(edge, key, record, alb);
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
          target: { ...record.failover.secondary, evaluateTargetHealth: evaluatesTargetHealth(record.failover.secondary) },
          failover: { role: "SECONDARY", setIdentifier: "secondary" },
        });
      }
      outputs[`${key}_fqdn`] = { value: primary.a.fqdn, description: `The ${key} name, pointing at the load balancer` };
      if (check) outputs[`${key}_health_check_id`] = { value: check.check.id, description: `The Route 53 health check of ${record.name}'s load balancer` };
    }
    return healthChecks;
  }

  /** The Route 53 health check of one load-balancer record (when configured), with its alarm in us-east-1. */
  private addHealthCheck(edge: EdgeConfig, key: string, record: LoadBalancerRecordConfig, alb: ApplicationLoadBalancer): EndpointHealthCheck | undefined {
    const healthCheck = record.healthCheck;
    if (!healthCheck) return undefined;
    return new EndpointHealthCheck(this, `${key}_health`, {
      name: `${this.naming.prefix}-${key}`,
      fqdn: alb.lb.dnsName,
      https: alb.httpsListener !== undefined,
      path: healthCheckPath(record, this.config.compute),
      settings: healthCheck,
      alarm: healthCheck.alarm
        ? { name: this.naming.name("cloudwatchAlarm", key, "health"), provider: this.usEast1, topicArn: edge.alarmTopicArn }
        : undefined,
    });
  }

  /** Warns when edge names are still placeholders under a reserved example domain. */
  private warnOnPlaceholderNames(edge: EdgeConfig): void {
    const placeholders = edgeNames(edge).filter((n) => isExampleDomain(n.name));
    if (placeholders.length > 0) {
      Annotations.of(this).addWarning(
        `${this.naming.prefix}: ${placeholders.map((n) => `edge.${n.key} = ${n.name}`).join(", ")} ${placeholders.length === 1 ? "is a placeholder" : "are placeholders"} under a reserved example domain. ` +
          "Set edge.hostedZone (your zone's name, and its zoneId if it exists) and the edge names to a domain you own before applying; see docs/edge.md.",
      );
    }
  }
}
