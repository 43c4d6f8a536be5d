import { Construct } from "constructs";
import { Annotations } from "cdktf";
import {
  CloudfrontDistribution,
  CloudfrontDistributionDefaultCacheBehavior,
  CloudfrontDistributionOrigin,
} from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CdnConfig, defaultRootObjectOf, staticAssetsPathPatterns } from "./settings";
import { SecureBucket } from "../storage/secure-bucket";
import { MANAGED_CACHE_POLICIES, MANAGED_ORIGIN_REQUEST_POLICIES, MANAGED_RESPONSE_HEADERS_POLICIES } from "./managed-policies";
import { S3OriginAccessControl } from "./origin-access-control";

/**
 * A distribution's settings, parsed: the `edge.cdn` settings of a system, whose schema
 * (./settings.ts) declares each one's default and documentation once.
 */
export type CdnSettings = CdnConfig;

/** The ALB as a custom origin; its cache policy and read timeout are `settings.loadBalancer`. */
export interface LoadBalancerOrigin {
  /** The load balancer's DNS name. */
  readonly dnsName: string;
  /**
   * Whether the load balancer serves HTTPS: CloudFront then connects only over HTTPS (TLS
   * 1.2), forwarding the viewer's Host header, which the ALB's certificate must cover.
   * Otherwise only over HTTP, on port 80.
   */
  readonly https: boolean;
}

/** A private S3 bucket as an origin, read through Origin Access Control; its cache policy and path patterns are `settings.staticAssets`. */
export interface StaticAssetsOrigin {
  readonly bucket: SecureBucket;
  /** The origin access control's name (unique in the account, at most 64 characters). */
  readonly originAccessControlName: string;
}

export interface CdnDistributionProps {
  /** The Name tag and comment, e.g. `muejam-prod`. */
  readonly name: string;
  /**
   * The default origin, the origins' cache policies, the bucket's path patterns, custom
   * names (aliases, which need `certificateArn`), price class, IPv6, HTTP version, a web
   * ACL by ARN, the managed security headers.
   */
  readonly settings: CdnSettings;
  /** The load balancer origin; required when it is the default origin. @default none */
  readonly loadBalancer?: LoadBalancerOrigin;
  /** The static-assets origin; needs `settings.staticAssets`. @default none */
  readonly staticAssets?: StaticAssetsOrigin;
  /** An ACM certificate in us-east-1 covering `settings.domainNames`. @default none */
  readonly certificateArn?: string;
  /** A WAFv2 web ACL (CLOUDFRONT scope) made for the distribution, used when `settings.webAclArn` names none. @default none */
  readonly webAclArn?: string;
  /** Warn at synth when CloudFront reaches the load balancer over plain HTTP. @default true */
  readonly warnOnPlainHttpOrigin?: boolean;
}

const ALL_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];
const READ_METHODS = ["GET", "HEAD"];
const LOAD_BALANCER_ORIGIN_ID = "load-balancer";
const STATIC_ASSETS_ORIGIN_ID = "static-assets";

/**
 * A CloudFront distribution in front of the system, with the settings reviewers look for:
 *
 * - viewers: HTTP redirected to HTTPS on every behaviour; with custom names an SNI
 *   certificate and TLS 1.2+ (`TLSv1.2_2021`), else CloudFront's default certificate;
 *   HTTP/2 and HTTP/3; IPv6; an optional WAF web ACL; AWS's managed security headers;
 * - the load balancer as a custom origin: HTTPS only (TLS 1.2) when it serves HTTPS, plain
 *   HTTP otherwise (synth warns); uncached by default, every viewer header, cookie and query
 *   string forwarded (managed `AllViewer`), all methods;
 * - a static-assets bucket through Origin Access Control: the bucket stays private, and its
 *   policy admits CloudFront only on behalf of this distribution (`AWS:SourceArn`);
 *   `CachingOptimized` by default, GET and HEAD only.
 *
 * Cache and origin request policies are AWS-managed, referenced by their documented IDs
 * (./managed-policies.ts).
 */
export class CdnDistribution extends Construct {
  public readonly distribution: CloudfrontDistribution;
  public readonly originAccess?: S3OriginAccessControl;

  constructor(scope: Construct, id: string, props: CdnDistributionProps) {
    super(scope, id);
    this.validate(props);
    const settings = props.settings;
    const responseHeadersPolicyId = settings.securityHeaders ? MANAGED_RESPONSE_HEADERS_POLICIES.SecurityHeadersPolicy : undefined;

    const origins: CloudfrontDistributionOrigin[] = [];
    const behaviours: Record<string, CloudfrontDistributionDefaultCacheBehavior> = {};
    const lb = props.loadBalancer;
    if (lb) {
      const { origin, behaviour } = this.loadBalancerOrigin(props.name, lb, settings.loadBalancer, responseHeadersPolicyId, props.warnOnPlainHttpOrigin ?? true);
      origins.push(origin);
      behaviours[LOAD_BALANCER_ORIGIN_ID] = behaviour;
    }
    const assets = props.staticAssets;
    if (assets && settings.staticAssets) {
      this.originAccess = new S3OriginAccessControl(this, "origin_access", { name: assets.originAccessControlName });
      const { origin, behaviour } = this.staticAssetsOrigin(assets, settings.staticAssets, this.originAccess, responseHeadersPolicyId);
      origins.push(origin);
      behaviours[STATIC_ASSETS_ORIGIN_ID] = behaviour;
    }

    this.distribution = this.addDistribution(props, origins, behaviours);

    if (assets && this.originAccess) this.originAccess.allowDistribution(assets.bucket, this.distribution.arn);
  }

  /** Throws when the origins, path patterns, names and certificate do not fit together. */
  private validate(props: CdnDistributionProps): void {
    const { domainNames, defaultOrigin } = props.settings;
    const lb = props.loadBalancer;
    const assets = props.staticAssets;
    const patterns = staticAssetsPathPatterns(props.settings);
    if (assets && !props.settings.staticAssets) throw new Error(`${this.node.path}: a static-assets bucket is given, but the settings have no staticAssets`);
    if (defaultOrigin === "loadBalancer" && !lb) throw new Error(`${this.node.path}: the default origin is the load balancer, but none is given`);
    if (defaultOrigin === "staticAssets" && !assets) throw new Error(`${this.node.path}: the default origin is the static-assets bucket, but none is given`);
    if (defaultOrigin === "staticAssets" && (props.settings.staticAssets?.pathPatterns ?? []).length > 0) throw new Error(`${this.node.path}: the static-assets bucket is the default origin; it takes no path patterns`);
    if (defaultOrigin === "loadBalancer" && assets && patterns.length === 0) throw new Error(`${this.node.path}: the static-assets bucket needs path patterns beside the load balancer`);
    if ((domainNames.length > 0) !== (props.certificateArn !== undefined)) {
      throw new Error(`${this.node.path}: custom domain names and a certificate go together (names: ${domainNames.length}, certificate: ${props.certificateArn ? "yes" : "no"})`);
    }
  }

  /** The load balancer as a custom origin, and its uncached all-methods behaviour; warns on plain HTTP. */
  private loadBalancerOrigin(
    name: string,
    lb: LoadBalancerOrigin,
    lbSettings: CdnSettings["loadBalancer"],
    responseHeadersPolicyId: string | undefined,
    warnOnPlainHttpOrigin: boolean,
  ): { origin: CloudfrontDistributionOrigin; behaviour: CloudfrontDistributionDefaultCacheBehavior } {
    if (!lb.https && warnOnPlainHttpOrigin) {
      Annotations.of(this).addWarning(
        `${name}: CloudFront reaches the load balancer over plain HTTP (the ALB has no TLS), so traffic between CloudFront and the ALB is unencrypted. ` +
          "Give the ALB a certificate (compute.loadBalancer.tls.certificateArn) for HTTPS to the origin.",
      );
    }
    return {
      origin: {
        originId: LOAD_BALANCER_ORIGIN_ID,
        domainName: lb.dnsName,
        customOriginConfig: {
          httpPort: 80,
          httpsPort: 443,
          originProtocolPolicy: lb.https ? "https-only" : "http-only",
          originSslProtocols: ["TLSv1.2"],
          originReadTimeout: lbSettings.readTimeoutSeconds,
          originKeepaliveTimeout: 5,
        },
      },
      behaviour: {
        targetOriginId: LOAD_BALANCER_ORIGIN_ID,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ALL_METHODS,
        cachedMethods: READ_METHODS,
        cachePolicyId: MANAGED_CACHE_POLICIES[lbSettings.cachePolicy],
        originRequestPolicyId: MANAGED_ORIGIN_REQUEST_POLICIES.AllViewer,
        responseHeadersPolicyId,
        compress: true,
      },
    };
  }

  /** The static-assets bucket as an origin through Origin Access Control, and its cached read-only behaviour. */
  private staticAssetsOrigin(
    assets: StaticAssetsOrigin,
    assetSettings: NonNullable<CdnSettings["staticAssets"]>,
    originAccess: S3OriginAccessControl,
    responseHeadersPolicyId: string | undefined,
  ): { origin: CloudfrontDistributionOrigin; behaviour: CloudfrontDistributionDefaultCacheBehavior } {
    return {
      origin: {
        originId: STATIC_ASSETS_ORIGIN_ID,
        domainName: assets.bucket.bucket.bucketRegionalDomainName,
        originAccessControlId: originAccess.id,
      },
      behaviour: {
        targetOriginId: STATIC_ASSETS_ORIGIN_ID,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: READ_METHODS,
        cachedMethods: READ_METHODS,
        cachePolicyId: MANAGED_CACHE_POLICIES[assetSettings.cachePolicy],
        responseHeadersPolicyId,
        compress: true,
      },
    };
  }

  /** The distribution: the default behaviour, the static-assets path patterns, the viewer certificate. */
  private addDistribution(
    props: CdnDistributionProps,
    origins: CloudfrontDistributionOrigin[],
    behaviours: Record<string, CloudfrontDistributionDefaultCacheBehavior>,
  ): CloudfrontDistribution {
    const settings = props.settings;
    const domainNames = settings.domainNames;
    const patterns = props.staticAssets ? staticAssetsPathPatterns(settings) : [];
    const defaultId = settings.defaultOrigin === "loadBalancer" ? LOAD_BALANCER_ORIGIN_ID : STATIC_ASSETS_ORIGIN_ID;
    return new CloudfrontDistribution(this, "distribution", {
      comment: `${props.name}: ${origins.map((o) => o.originId).join(" + ")}`,
      enabled: true,
      isIpv6Enabled: settings.ipv6,
      httpVersion: settings.httpVersion,
      priceClass: settings.priceClass,
      aliases: domainNames.length > 0 ? [...domainNames] : undefined,
      webAclId: settings.webAclArn ?? props.webAclArn,
      defaultRootObject: defaultRootObjectOf(settings),
      origin: origins,
      defaultCacheBehavior: behaviours[defaultId],
      orderedCacheBehavior: patterns.length > 0 ? patterns.map((pathPattern) => ({ pathPattern, ...behaviours[STATIC_ASSETS_ORIGIN_ID] })) : undefined,
      viewerCertificate: props.certificateArn
        ? { acmCertificateArn: props.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" }
        : { cloudfrontDefaultCertificate: true },
      restrictions: { geoRestriction: { restrictionType: "none" } },
      tags: { Name: props.name },
    });
  }

  public get arn(): string {
    return this.distribution.arn;
  }

  public get domainName(): string {
    return this.distribution.domainName;
  }

  public get hostedZoneId(): string {
    return this.distribution.hostedZoneId;
  }
}
