import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Overrides } from "../../src/config/overrides";
import { AliasRecords } from "../../src/constructs/edge/alias-record";
import { DnsValidatedCertificate } from "../../src/constructs/edge/certificate";
import { CdnDistribution } from "../../src/constructs/edge/distribution";
import { EndpointHealthCheck } from "../../src/constructs/edge/health-check";
import { HostedZone } from "../../src/constructs/edge/hosted-zone";
import { MANAGED_CACHE_POLICIES } from "../../src/constructs/edge/managed-policies";
import { CdnConfigInput, CdnConfigSchema, EdgeHealthCheckConfigSchema } from "../../src/constructs/edge/settings";
import { SecureBucket } from "../../src/constructs/storage/secure-bucket";
import { isExampleDomain, isInZone, relativeKey } from "../../src/lib/domain-names";
import { TerraformWorkdir } from "../harness/terraform";
import { buildStacks, resourcesOf, StackJson } from "../harness/synth";
import { synthPrepared } from "../harness/unit-stack";
import { namesOf, resource, synthIn, TestStack } from "./support";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function distributionOf(json: StackJson, name = "cdn_distribution"): Json {
  return resource(json, "aws_cloudfront_distribution", name) as Json;
}

function warningsOf(stack: TerraformStack): string[] {
  return stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data)));
}

describe("domain names", () => {
  it("tells names inside a zone from names that only end alike", () => {
    expect(isInZone("app.example.com", "example.com")).toBe(true);
    expect(isInZone("example.com", "example.com")).toBe(true);
    expect(isInZone("myexample.com", "example.com")).toBe(false);
  });

  it("keys a name by its labels below the zone", () => {
    expect(relativeKey("app.staging.example.com", "example.com")).toBe("app_staging");
    expect(relativeKey("example.com", "example.com")).toBe("apex");
    expect(relativeKey("*.cdn-1.example.com", "example.com")).toBe("wildcard_cdn_1");
  });

  it("knows the reserved example domains", () => {
    expect(isExampleDomain("app.muejam.example.com")).toBe(true);
    expect(isExampleDomain("example.org")).toBe(true);
    expect(isExampleDomain("notexample.com")).toBe(false);
  });
});

describe("CdnDistribution", () => {
  /** Distribution settings parsed by the module's schema, so each default is the schema's. */
  const cdn = (input: CdnConfigInput = {}) => CdnConfigSchema.parse(input);
  const bucketIn = (stack: TestStack) => new SecureBucket(stack, "assets", { bucketName: "unit-assets", preventDestroy: false });

  it("reaches an HTTPS load balancer only over HTTPS, uncached, forwarding every viewer value", () => {
    const json = synthIn((stack) => {
      new CdnDistribution(stack, "cdn", {
        name: "unit",
        settings: cdn({ domainNames: ["app.example.com"] }),
        loadBalancer: { dnsName: "alb-1.us-east-1.elb.amazonaws.com", https: true },
        certificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/x",
      });
    });
    const d = distributionOf(json);
    expect(d.origin).toEqual([
      {
        origin_id: "load-balancer",
        domain_name: "alb-1.us-east-1.elb.amazonaws.com",
        custom_origin_config: {
          http_port: 80,
          https_port: 443,
          origin_protocol_policy: "https-only",
          origin_ssl_protocols: ["TLSv1.2"],
          origin_read_timeout: 60,
          origin_keepalive_timeout: 5,
        },
      },
    ]);
    expect(d.default_cache_behavior).toMatchObject({
      target_origin_id: "load-balancer",
      viewer_protocol_policy: "redirect-to-https",
      cache_policy_id: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
      origin_request_policy_id: "216adef6-5c7f-47e4-b989-5492eafa07d3",
      response_headers_policy_id: "67f7725c-6f97-4210-82d7-5512b31e9d03",
      allowed_methods: ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
      cached_methods: ["GET", "HEAD"],
    });
    expect(d.viewer_certificate).toEqual({ acm_certificate_arn: "arn:aws:acm:us-east-1:111122223333:certificate/x", ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2021" });
    expect(d).toMatchObject({ aliases: ["app.example.com"], http_version: "http2and3", is_ipv6_enabled: true, price_class: "PriceClass_100", enabled: true });
  });

  it("reaches a plain-HTTP load balancer over HTTP, and warns unless told not to", () => {
    const app = Testing.app();
    const stack = new TestStack(app);
    new CdnDistribution(stack, "cdn", { name: "unit", settings: cdn(), loadBalancer: { dnsName: "alb", https: false } });
    const d = distributionOf(JSON.parse(Testing.synth(stack)) as StackJson);
    expect(d.origin[0].custom_origin_config.origin_protocol_policy).toBe("http-only");
    expect(d.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    expect(d.aliases).toBeUndefined();
    expect(warningsOf(stack)).toEqual([expect.stringMatching(/plain HTTP .* unencrypted/)]);

    const quiet = new TestStack(Testing.app());
    new CdnDistribution(quiet, "cdn", { name: "unit", settings: cdn(), loadBalancer: { dnsName: "alb", https: false }, warnOnPlainHttpOrigin: false });
    expect(warningsOf(quiet)).toEqual([]);
  });

  it("serves a private bucket through Origin Access Control, letting only this distribution read it", () => {
    const json = synthIn((stack) => {
      const bucket = bucketIn(stack);
      new CdnDistribution(stack, "cdn", { name: "unit", settings: cdn({ defaultOrigin: "staticAssets", staticAssets: {} }), staticAssets: { bucket, originAccessControlName: "unit-assets" } });
    });
    expect(resource(json, "aws_cloudfront_origin_access_control", "cdn_origin_access_control")).toMatchObject({
      name: "unit-assets",
      origin_access_control_origin_type: "s3",
      signing_behavior: "always",
      signing_protocol: "sigv4",
    });
    const d = distributionOf(json);
    expect(d.origin).toEqual([
      {
        origin_id: "static-assets",
        domain_name: "${aws_s3_bucket.assets_bucket.bucket_regional_domain_name}",
        origin_access_control_id: "${aws_cloudfront_origin_access_control.cdn_origin_access_control.id}",
      },
    ]);
    expect(d.default_cache_behavior).toMatchObject({ target_origin_id: "static-assets", cache_policy_id: MANAGED_CACHE_POLICIES.CachingOptimized, allowed_methods: ["GET", "HEAD"] });
    expect(d.default_cache_behavior.origin_request_policy_id).toBeUndefined();
    const policy = String(resource(json, "aws_s3_bucket_policy", "assets_policy").policy);
    expect(policy).toContain('{"Sid" = "CloudFrontReadsThroughOac", "Effect" = "Allow", "Principal" = {"Service" = "cloudfront.amazonaws.com"}, "Action" = "s3:GetObject"');
    expect(policy).toContain('"Condition" = {"StringEquals" = {"AWS:SourceArn" = aws_cloudfront_distribution.cdn_distribution.arn}}');
    expect(policy).toContain('"Sid" = "DenyInsecureTransport"');
  });

  it("answers / with index.html in front of the bucket, and leaves / to the load balancer in front of one", () => {
    const bucketDefault = synthIn((stack) => {
      new CdnDistribution(stack, "cdn", { name: "unit", settings: cdn({ defaultOrigin: "staticAssets", staticAssets: {} }), staticAssets: { bucket: bucketIn(stack), originAccessControlName: "unit-assets" } });
    });
    expect(distributionOf(bucketDefault).default_root_object).toBe("index.html");
    const lbDefault = synthIn((stack) => {
      new CdnDistribution(stack, "cdn", { name: "unit", settings: cdn(), loadBalancer: { dnsName: "lb.example.net", https: true }, certificateArn: undefined, warnOnPlainHttpOrigin: false });
    });
    expect(distributionOf(lbDefault)).not.toHaveProperty("default_root_object");
    expect(() => cdn({ defaultRootObject: "/index.html" })).toThrow(/without a leading \//);
  });

  it("sends the bucket's path patterns to it, and everything else to the load balancer", () => {
    const json = synthIn((stack) => {
      const bucket = bucketIn(stack);
      new CdnDistribution(stack, "cdn", {
        name: "unit",
        settings: cdn({
          loadBalancer: { cachePolicy: "UseOriginCacheControlHeaders" },
          staticAssets: { pathPatterns: ["/static/*", "/media/*"], cachePolicy: "CachingOptimizedForUncompressedObjects" },
        }),
        loadBalancer: { dnsName: "alb", https: false },
        staticAssets: { bucket, originAccessControlName: "unit-assets" },
        warnOnPlainHttpOrigin: false,
      });
    });
    const d = distributionOf(json);
    expect(d.origin.map((o: Json) => o.origin_id)).toEqual(["load-balancer", "static-assets"]);
    expect(d.default_cache_behavior.cache_policy_id).toBe(MANAGED_CACHE_POLICIES.UseOriginCacheControlHeaders);
    expect(d.ordered_cache_behavior.map((b: Json) => [b.path_pattern, b.target_origin_id, b.cache_policy_id, b.viewer_protocol_policy])).toEqual([
      ["/static/*", "static-assets", "b2884449-e4de-46a7-ac36-70bc7f1ddd6d", "redirect-to-https"],
      ["/media/*", "static-assets", "b2884449-e4de-46a7-ac36-70bc7f1ddd6d", "redirect-to-https"],
    ]);
  });

  it("takes a WAF web ACL, other price classes, HTTP/2 only, no IPv6 and no security headers", () => {
    const json = synthIn((stack) => {
      new CdnDistribution(stack, "cdn", {
        name: "unit",
        settings: cdn({
          webAclArn: "arn:aws:wafv2:us-east-1:111122223333:global/webacl/app/11111111-2222-3333-4444-555555555555",
          priceClass: "PriceClass_All",
          httpVersion: "http2",
          ipv6: false,
          securityHeaders: false,
        }),
        loadBalancer: { dnsName: "alb", https: false },
        warnOnPlainHttpOrigin: false,
      });
    });
    const d = distributionOf(json);
    expect(d).toMatchObject({ web_acl_id: "arn:aws:wafv2:us-east-1:111122223333:global/webacl/app/11111111-2222-3333-4444-555555555555", price_class: "PriceClass_All", http_version: "http2", is_ipv6_enabled: false });
    expect(d.default_cache_behavior.response_headers_policy_id).toBeUndefined();
  });

  it("refuses custom names without a certificate, and a default origin it was not given", () => {
    expect(() =>
      synthIn((stack) => new CdnDistribution(stack, "cdn", { name: "unit", settings: cdn({ domainNames: ["app.example.com"] }), loadBalancer: { dnsName: "alb", https: true } })),
    ).toThrow(/custom domain names and a certificate go together/);
    expect(() => synthIn((stack) => new CdnDistribution(stack, "cdn", { name: "unit", settings: cdn({ defaultOrigin: "staticAssets" }) }))).toThrow(/static-assets bucket, but none is given/);
  });
});

describe("DnsValidatedCertificate", () => {
  function certificateJson(domainNames: string[]): StackJson {
    return synthIn((stack) => {
      const usEast1 = new AwsProvider(stack, "aws_us_east_1", { alias: "us_east_1", region: "us-east-1" });
      const zone = new HostedZone(stack, "dns", { settings: { name: "example.com", zoneId: "Z0123456789ABCDEFGHIJ" } });
      new DnsValidatedCertificate(stack, "tls", { domainNames, zone, provider: usEast1 });
    });
  }

  it("asks ACM in us-east-1 for a DNS-validated certificate, and writes each name's validation record in the zone", () => {
    const json = certificateJson(["app.example.com", "www.example.com"]);
    expect(resource(json, "aws_acm_certificate", "tls_certificate")).toMatchObject({
      provider: "aws.us_east_1",
      domain_name: "app.example.com",
      subject_alternative_names: ["www.example.com"],
      validation_method: "DNS",
      lifecycle: { create_before_destroy: true },
    });
    expect(namesOf(json, "aws_route53_record")).toEqual(["tls_validation_record_app", "tls_validation_record_www"]);
    expect(resource(json, "aws_route53_record", "tls_validation_record_www")).toMatchObject({
      zone_id: "Z0123456789ABCDEFGHIJ",
      name: '${local.tls_validation_options["www.example.com"].resource_record_name}',
      type: '${local.tls_validation_options["www.example.com"].resource_record_type}',
      records: ['${local.tls_validation_options["www.example.com"].resource_record_value}'],
      allow_overwrite: true,
    });
    expect(String((json.locals as Json).tls_validation_options)).toContain("aws_acm_certificate.tls_certificate.domain_validation_options");
    expect(resource(json, "aws_acm_certificate_validation", "tls_validation")).toMatchObject({
      provider: "aws.us_east_1",
      certificate_arn: "${aws_acm_certificate.tls_certificate.arn}",
      validation_record_fqdns: ["${aws_route53_record.tls_validation_record_app.fqdn}", "${aws_route53_record.tls_validation_record_www.fqdn}"],
    });
  });

  it("writes one record for a wildcard and the name it covers, which share it", () => {
    const json = certificateJson(["example.com", "*.example.com"]);
    expect(namesOf(json, "aws_route53_record")).toEqual(["tls_validation_record_apex"]);
  });

  it("refuses a name outside its zone", () => {
    expect(() => certificateJson(["app.example.org"])).toThrow(/not inside the zone example\.com/);
  });
});

describe("HostedZone", () => {
  it("uses an existing zone by id, creating nothing", () => {
    const json = synthIn((stack) => new HostedZone(stack, "dns", { settings: { name: "example.com", zoneId: "Z0123456789ABCDEFGHIJ" } }));
    expect(json.resource?.aws_route53_zone).toBeUndefined();
  });

  it("creates a public zone that is never force-destroyed, protected by default", () => {
    const json = synthIn((stack) => new HostedZone(stack, "dns", { settings: { name: "example.com" } }));
    expect(resource(json, "aws_route53_zone", "dns_zone")).toMatchObject({ name: "example.com", force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(resource(json, "aws_route53_zone", "dns_zone").vpc).toBeUndefined();
  });
});

describe("EndpointHealthCheck", () => {
  it("probes over HTTPS with SNI on 443, and alarms in us-east-1 through the given provider", () => {
    const json = synthIn((stack) => {
      const usEast1 = new AwsProvider(stack, "aws_us_east_1", { alias: "us_east_1", region: "us-east-1" });
      new EndpointHealthCheck(stack, "api_health", {
        name: "unit-api",
        fqdn: "alb-1.eu-west-1.elb.amazonaws.com",
        https: true,
        path: "/health",
        settings: EdgeHealthCheckConfigSchema.parse({}),
        alarm: { name: "unit-api-health", provider: usEast1, topicArn: "arn:aws:sns:us-east-1:111122223333:alarms" },
      });
    });
    expect(resource(json, "aws_route53_health_check", "api_health_check")).toMatchObject({
      type: "HTTPS",
      port: 443,
      enable_sni: true,
      fqdn: "alb-1.eu-west-1.elb.amazonaws.com",
      resource_path: "/health",
      request_interval: 30,
      failure_threshold: 3,
    });
    expect(resource(json, "aws_cloudwatch_metric_alarm", "api_health_alarm")).toMatchObject({
      provider: "aws.us_east_1",
      namespace: "AWS/Route53",
      metric_name: "HealthCheckStatus",
      dimensions: { HealthCheckId: "${aws_route53_health_check.api_health_check.id}" },
      statistic: "Minimum",
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      alarm_actions: ["arn:aws:sns:us-east-1:111122223333:alarms"],
      ok_actions: ["arn:aws:sns:us-east-1:111122223333:alarms"],
    });
  });

  it("probes plain HTTP on 80, without an alarm unless asked", () => {
    const json = synthIn((stack) => new EndpointHealthCheck(stack, "api_health", { name: "unit-api", fqdn: "alb", https: false, path: "/status", settings: EdgeHealthCheckConfigSchema.parse({ requestIntervalSeconds: 10, failureThreshold: 2 }) }));
    const check = resource(json, "aws_route53_health_check", "api_health_check");
    expect(check).toMatchObject({ type: "HTTP", port: 80, resource_path: "/status", request_interval: 10, failure_threshold: 2 });
    expect(check.enable_sni).toBeUndefined();
    expect(json.resource?.aws_cloudwatch_metric_alarm).toBeUndefined();
  });
});

describe("AliasRecords", () => {
  it("writes A (and AAAA) alias records, with failover routing when asked", () => {
    const json = synthIn((stack) => {
      const target = { dnsName: "d1.cloudfront.net", zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false };
      new AliasRecords(stack, "app", { zoneId: "Z1", name: "app.example.com", target, ipv6: true });
      new AliasRecords(stack, "api", { zoneId: "Z1", name: "api.example.com", target, failover: { role: "PRIMARY", setIdentifier: "primary", healthCheckId: "hc-1" } });
    });
    expect(namesOf(json, "aws_route53_record")).toEqual(["api_a", "app_a", "app_aaaa"]);
    expect(resource(json, "aws_route53_record", "app_aaaa")).toEqual(
      expect.objectContaining({ type: "AAAA", name: "app.example.com", alias: { name: "d1.cloudfront.net", zone_id: "Z2FDTNDATAQYW2", evaluate_target_health: false } }),
    );
    expect(resource(json, "aws_route53_record", "app_a").failover_routing_policy).toBeUndefined();
    expect(resource(json, "aws_route53_record", "api_a")).toMatchObject({ failover_routing_policy: { type: "PRIMARY" }, set_identifier: "primary", health_check_id: "hc-1" });
  });
});

describe("the edge stacks of the systems", () => {
  const select = (system: string, environment: string) => ({ systems: [system], environments: [environment] });

  it("are built after compute, reading the ALB's DNS name and zone id through cross-stack references", () => {
    const json = synthPrepared(select("duewin", "prod"), "duewin-prod-edge");
    expect(Object.keys(json.data?.terraform_remote_state ?? {})).toEqual(["cross-stack-reference-input-duewin-prod-compute"]);
    const api = resourcesOf(json, "aws_route53_record").api_record_a as Json;
    expect(api.alias).toEqual({
      name: "${data.terraform_remote_state.cross-stack-reference-input-duewin-prod-compute.outputs.cross-stack-output-aws_lb_alb_lb_dns_name}",
      zone_id: "${data.terraform_remote_state.cross-stack-reference-input-duewin-prod-compute.outputs.cross-stack-output-aws_lb_alb_lb_zone_id}",
      evaluate_target_health: true,
    });
  });

  it("have a second AWS provider in us-east-1 for CloudFront's certificate and the health-check alarm", () => {
    const json = synthPrepared(select("duewin", "prod"), "duewin-prod-edge");
    expect(json.provider?.aws).toEqual([
      expect.objectContaining({ region: "us-east-1" }),
      expect.objectContaining({ alias: "us_east_1", region: "us-east-1", default_tags: [{ tags: { Project: "duewin", Environment: "prod", ManagedBy: "cdktf" } }] }),
    ]);
    expect(resource(json, "aws_acm_certificate", "cdn_tls_certificate").provider).toBe("aws.us_east_1");
    expect(resource(json, "aws_cloudwatch_metric_alarm", "api_health_alarm").provider).toBe("aws.us_east_1");
    expect(resource(json, "aws_route53_health_check", "api_health_check").provider).toBeUndefined();
  });

  it("keep the us-east-1 provider in us-east-1 when the system runs elsewhere", () => {
    const overrides: Overrides = { duewin: { prod: { region: "eu-west-1", network: { azs: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }, compute: { loadBalancer: { tls: { certificateArn: "arn:aws:acm:eu-west-1:517392846021:certificate/5f0c2a4e-8d1b-4c7a-9e3f-2b6d8a1c4e70" } } } } } };
    const json = synthPrepared(select("duewin", "prod"), "duewin-prod-edge", overrides);
    expect(json.provider?.aws?.map((p) => [p.alias, p.region])).toEqual([
      [undefined, "eu-west-1"],
      ["us_east_1", "us-east-1"],
    ]);
  });

  it("have stable, readable addresses", () => {
    const json = synthPrepared(select("duewin", "prod"), "duewin-prod-edge");
    const addresses = Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)).sort();
    expect(addresses).toEqual([
      "aws_acm_certificate.cdn_tls_certificate",
      "aws_acm_certificate_validation.cdn_tls_validation",
      "aws_cloudfront_distribution.cdn_distribution",
      "aws_cloudfront_origin_access_control.cdn_origin_access_control",
      "aws_cloudwatch_log_group.waf_cdn_logs",
      "aws_cloudwatch_metric_alarm.api_health_alarm",
      "aws_route53_health_check.api_health_check",
      "aws_route53_record.api_record_a",
      "aws_route53_record.cdn_record_static_a",
      "aws_route53_record.cdn_record_static_aaaa",
      "aws_route53_record.cdn_tls_validation_record_static",
      "aws_s3_bucket.static_assets_bucket",
      "aws_s3_bucket_lifecycle_configuration.static_assets_lifecycle",
      "aws_s3_bucket_ownership_controls.static_assets_ownership",
      "aws_s3_bucket_policy.static_assets_policy",
      "aws_s3_bucket_public_access_block.static_assets_public_access_block",
      "aws_s3_bucket_server_side_encryption_configuration.static_assets_encryption",
      "aws_s3_bucket_versioning.static_assets_versioning",
      "aws_wafv2_web_acl.waf_cdn_acl",
      "aws_wafv2_web_acl_logging_configuration.waf_cdn_logging",
    ]);
  });

  it("route the API through failover records when a secondary is configured", () => {
    const secondary = { dnsName: "backup-1.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" };
    const json = synthPrepared(select("duewin", "prod"), "duewin-prod-edge", { duewin: { prod: { edge: { loadBalancerRecords: { api: { failover: { secondary } } } } } } });
    expect(resource(json, "aws_route53_record", "api_record_a")).toMatchObject({
      failover_routing_policy: { type: "PRIMARY" },
      set_identifier: "primary",
      health_check_id: "${aws_route53_health_check.api_health_check.id}",
    });
    expect(resource(json, "aws_route53_record", "api_record_secondary_a")).toMatchObject({
      name: "api.duewin.harness-inputs.net",
      failover_routing_policy: { type: "SECONDARY" },
      set_identifier: "secondary",
      alias: { name: "backup-1.eu-west-1.elb.amazonaws.com", zone_id: "Z32O12XQLNTSW2", evaluate_target_health: true },
    });
  });

  it("point a failover secondary at a CloudFront distribution without evaluating its health, which Route 53 refuses", () => {
    const secondary = { dnsName: "d111111abcdef8.cloudfront.net", zoneId: "Z2FDTNDATAQYW2" };
    const json = synthPrepared(select("duewin", "prod"), "duewin-prod-edge", { duewin: { prod: { edge: { loadBalancerRecords: { api: { failover: { secondary } } } } } } });
    expect(resource(json, "aws_route53_record", "api_record_secondary_a").alias).toEqual({ name: "d111111abcdef8.cloudfront.net", zone_id: "Z2FDTNDATAQYW2", evaluate_target_health: false });
  });

  it("fail synth on a record pointing at MueJam's ALB, which admits only CloudFront, naming the record", () => {
    const overrides: Overrides = { muejam: { prod: { edge: { loadBalancerRecords: { api: { name: "api" } } } } } };
    expect(() => buildStacks(select("muejam", "prod"), overrides)).toThrow(
      /muejam\/prod: edge\.loadBalancerRecords\.api = [\s\S]*Problem: points api\.muejam\.harness-inputs\.net straight at the ALB, but the ALB admits only CloudFront[\s\S]*Fix: set compute\.loadBalancer\.ingressFrom to "cidrs"/,
    );
    // Opened to the internet, it builds: the record, and its health check of the ALB.
    const open: Overrides = { muejam: { prod: { compute: { loadBalancer: { ingressFrom: "cidrs" } }, edge: { loadBalancerRecords: { api: { name: "api" } } } } } };
    const json = synthPrepared(select("muejam", "prod"), "muejam-prod-edge", open);
    expect(namesOf(json, "aws_route53_health_check")).toEqual(["api_health_check"]);
  });

  it("write into an existing zone, creating none, when its id is given", () => {
    const json = synthPrepared(select("muejam", "prod"), "muejam-prod-edge", { muejam: { prod: { edge: { hostedZone: { zoneId: "Z0123456789ABCDEFGHIJ" } } } } });
    expect(json.resource?.aws_route53_zone).toBeUndefined();
    expect(resource(json, "aws_route53_record", "cdn_record_app_a").zone_id).toBe("Z0123456789ABCDEFGHIJ");
    expect(json.output?.hosted_zone_name_servers).toBeUndefined();
  });

  it("serve the static assets beside the ALB on a path pattern when MueJam asks for a bucket", () => {
    const json = synthPrepared(select("muejam", "prod"), "muejam-prod-edge", { muejam: { prod: { edge: { cdn: { staticAssets: {} } } } } });
    const d = distributionOf(json);
    expect(d.default_cache_behavior.target_origin_id).toBe("load-balancer");
    expect(d.ordered_cache_behavior).toEqual([expect.objectContaining({ path_pattern: "/static/*", target_origin_id: "static-assets" })]);
    expect(resource(json, "aws_s3_bucket", "static_assets_bucket").bucket).toBe("muejam-prod-static-assets-517392846021");
  });

  it("warn about nothing with the user's own domain in prod, nor in dev (placeholder domains are refused outside dev)", () => {
    const edgeOf = (system: string, environment: string) => buildStacks(select(system, environment)).find((s) => s.node.id.endsWith("-edge"))!;
    expect(warningsOf(edgeOf("duewin", "prod"))).toEqual([]);
    expect(warningsOf(edgeOf("muejam", "dev"))).toEqual([]);
    expect(warningsOf(edgeOf("duewin", "dev"))).toEqual([]);
  });

  it("warn outside dev when the distribution has only its default certificate, or reaches the ALB over HTTP", () => {
    const overrides: Overrides = { muejam: { staging: { compute: { loadBalancer: { tls: { enabled: false } } }, edge: { hostedZone: null, cdn: { domainNames: [] } } } } };
    const edge = buildStacks(select("muejam", "staging"), overrides).find((s) => s.node.id === "muejam-staging-edge")!;
    expect(warningsOf(edge).sort()).toEqual([
      expect.stringMatching(/^muejam-staging: CloudFront reaches the load balancer over plain HTTP/),
      expect.stringMatching(/^muejam-staging: the distribution has no custom name, .* cannot be raised above TLS 1\.0/),
    ]);
  });
});

describe("harness: the offline override", () => {
  it("gives every aliased aws provider the fake credentials and skip flags", () => {
    const outdir = mkdtempSync(join(tmpdir(), "edge-override-"));
    mkdirSync(join(outdir, "stacks", "s"), { recursive: true });
    writeFileSync(join(outdir, "stacks", "s", "cdk.tf.json"), JSON.stringify({ provider: { aws: [{ region: "eu-west-1" }, { alias: "us_east_1", region: "us-east-1" }] } }));
    const workdir = new TerraformWorkdir(outdir, "s");
    workdir.writeOfflineOverride();
    const override = JSON.parse(readFileSync(join(workdir.dir, "zz_harness_override.tf.json"), "utf8")) as Json;
    expect(override.provider.aws).toEqual([
      expect.objectContaining({ skip_credentials_validation: true, skip_requesting_account_id: true }),
      expect.objectContaining({ alias: "us_east_1", skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true }),
    ]);
    expect(override.provider.aws[0].alias).toBeUndefined();
    workdir.dispose();
  });
});
