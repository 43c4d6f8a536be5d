import { Construct } from "constructs";
import { Annotations } from "cdktf";
import {
  CloudfrontDistribution,
  CloudfrontDistributionDefaultCacheBehavior,
  CloudfrontDistributionOrigin,
} from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CDN_HTTP_VERSIONS, CDN_PRICE_CLASSES } from "./settings";
import { SecureBucket } from "../storage/secure-bucket";
import {
  LOAD_BALANCER_CACHE_POLICIES,
  MANAGED_CACHE_POLICIES,
  MANAGED_ORIGIN_REQUEST_POLICIES,
  MANAGED_RESPONSE_HEADERS_POLICIES,
  STATIC_ASSETS_CACHE_POLICIES,
} from "./managed-policies";
import { S3OriginAccessControl } from "./origin-access-control";

/** The ALB as a custom origin. */
export interface LoadBalancerOrigin {
  /** The load balancer's DNS name. */
  readonly dnsName: string;
  /**
   * Whether the load balancer serves HTTPS: CloudFront then connects only over HTTPS (TLS
   * 1.2), forwarding the viewer's Host header, which the ALB's certificate must cover.
   * Otherwise only over HTTP, on port 80.
   */
  readonly https: boolean;
  /** @default "CachingDisabled" */
  readonly cachePolicy?: (typeof LOAD_BALANCER_CACHE_POLICIES)[number];
  /** Seconds to wait for a response, 1-60. @default 60 */
  readonly readTimeoutSeconds?: number;
}

/** A private S3 bucket as an origin, read through Origin Access Control. */
export interface StaticAssetsOrigin {
  readonly bucket: SecureBucket;
  /** The origin access control's name (unique in the account, at most 64 characters). */
  readonly originAccessControlName: string;
  /** Path patterns served from the bucket when it is not the default origin, e.g. `/static/*`. @default [] */
  readonly pathPatterns?: readonly string[];
  /** @default "CachingOptimized" */
  readonly cachePolicy?: (typeof STATIC_ASSETS_CACHE_POLICIES)[number];
}

export interface CdnDistributionProps {
  /** The Name tag and comment, e.g. `muejam-prod`. */
  readonly name: string;
  /** The origin of the default behaviour. */
  readonly defaultOrigin: "loadBalancer" | "staticAssets";
  readonly loadBalancer?: LoadBalancerOrigin;
  readonly staticAssets?: StaticAssetsOrigin;
  /** Custom names (aliases); need `certificateArn`. @default [] (CloudFront's default certificate) */
  readonly domainNames?: readonly string[];
  /** An ACM certificate in us-east-1 covering `domainNames`. */
  readonly certificateArn?: string;
  /** @default "PriceClass_100" */
  readonly priceClass?: (typeof CDN_PRICE_CLASSES)[number];
  /** @default true */
  readonly ipv6?: boolean;
  /** @default "http2and3" */
  readonly httpVersion?: (typeof CDN_HTTP_VERSIONS)[number];
  /** A WAFv2 web ACL (CLOUDFRONT scope) ARN. @default none */
  readonly webAclArn?: string;
  /** The managed SecurityHeadersPolicy on every behaviour. @default true */
  readonly securityHeaders?: boolean;
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
    const responseHeadersPolicyId = (props.securityHeaders ?? true) ? MANAGED_RESPONSE_HEADERS_POLICIES.SecurityHeadersPolicy : undefined;

    const origins: CloudfrontDistributionOrigin[] = [];
    const behaviours: Record<string, CloudfrontDistributionDefaultCacheBehavior> = {};
    const lb = props.loadBalancer;
    if (lb) {
      const { origin, behaviour } = this.loadBalancerOrigin(props.name, lb, responseHeadersPolicyId, props.warnOnPlainHttpOrigin ?? true);
      origins.push(origin);
      behaviours[LOAD_BALANCER_ORIGIN_ID] = behaviour;
    }
    const assets = props.staticAssets;
    if (assets) {
      this.originAccess = new S3OriginAccessControl(this, "origin_access", { name: assets.originAccessControlName });
      const { origin, behaviour } = this.staticAssetsOrigin(assets, this.originAccess, responseHeadersPolicyId);
      origins.push(origin);
      behaviours[STATIC_ASSETS_ORIGIN_ID] = behaviour;
    }

    this.distribution = this.addDistribution(props, origins, behaviours);

    if (assets && this.originAccess) this.originAccess.allowDistribution(assets.bucket, this.distribution.arn);
  }

  /** Throws when the origins, path patterns, names and certificate do not fit together. */
  private validate(props: CdnDistributionProps): void {
    const domainNames = props.domainNames ?? [];
    const lb = props.loadBalancer;
    const assets = props.staticAssets;
    const patterns = assets?.pathPatterns ?? [];
    if (props.defaultOrigin === "loadBalancer" && !lb) throw new Error(`${this.node.path}: the default origin is the load balancer, but none is given`);
    if (props.defaultOrigin === "staticAssets" && !assets) throw new Error(`${this.node.path}: the default origin is the static-assets bucket, but none is given`);
    if (props.defaultOrigin === "staticAssets" && patterns.length > 0) throw new Error(`${this.node.path}: the static-assets bucket is the default origin; it takes no path patterns`);
    if (props.defaultOrigin === "loadBalancer" && assets && patterns.length === 0) throw new Error(`${this.node.path}: the static-assets bucket needs path patterns beside the load balancer`);
    if ((domainNames.length > 0) !== (props.certificateArn !== undefined)) {
      throw new Error(`${this.node.path}: custom domain names and a certificate go together (names: ${domainNames.length}, certificate: ${props.certificateArn ? "yes" : "no"})`);
    }
  }

  /** The load balancer as a custom origin, and its uncached all-methods behaviour; warns on plain HTTP. */
  private loadBalancerOrigin(
    name: string,
    lb: LoadBalancerOrigin,
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
          originReadTimeout: lb.readTimeoutSeconds ?? 60,
          originKeepaliveTimeout: 5,
        },
      },
      behaviour: {
        targetOriginId: LOAD_BALANCER_ORIGIN_ID,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ALL_METHODS,
        cachedMethods: READ_METHODS,
        cachePolicyId: MANAGED_CACHE_POLICIES[lb.cachePolicy ?? "CachingDisabled"],
        originRequestPolicyId: MANAGED_ORIGIN_REQUEST_POLICIES.AllViewer,
        responseHeadersPolicyId,
        compress: true,
      },
    };
  }

  /** The static-assets bucket as an origin through Origin Access Control, and its cached read-only behaviour. */
  private staticAssetsOrigin(
    assets: StaticAssetsOrigin,
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
        cachePolicyId: MANAGED_CACHE_POLICIES[assets.cachePolicy ?? "CachingOptimized"],
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
    const domainNames = props.domainNames ?? [];
    const patterns = props.staticAssets?.pathPatterns ?? [];
    const defaultId = props.defaultOrigin === "loadBalancer" ? LOAD_BALANCER_ORIGIN_ID : STATIC_ASSETS_ORIGIN_ID;
    return new CloudfrontDistribution(this, "distribution", {
      comment: `${props.name}: ${origins.map((o) => o.originId).join(" + ")}`,
      enabled: true,
      isIpv6Enabled: props.ipv6 ?? true,
      httpVersion: props.httpVersion ?? "http2and3",
      priceClass: props.priceClass ?? "PriceClass_100",
      aliases: domainNames.length > 0 ? [...domainNames] : undefined,
      webAclId: props.webAclArn,
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
