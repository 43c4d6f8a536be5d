import { ConfigError, ConfigErrors } from "../../src/lib/errors";
import { resolveSystemConfig } from "../../src/config/resolve";
import { SystemConfigInput } from "../../src/config/system-config";
import { duewin } from "../../src/systems/duewin";
import { joblet } from "../../src/systems/joblet";
import { muejam } from "../../src/systems/muejam";
import { harnessInputs } from "../harness/inputs";
import { ROUTE53_HEALTH_CHECKER_RANGES } from "../../src/lib/route53-health-checkers";

/** The problems resolving `layers` over Duewin's (or `system`'s) prod preset reports, or fails if it resolves. */
function problems(layer: SystemConfigInput, system = duewin): ConfigError[] {
  try {
    resolveSystemConfig("prod", system.preset("prod"), harnessInputs(system.name, "prod"), layer);
  } catch (e) {
    if (e instanceof ConfigErrors) return [...e.errors];
    throw e;
  }
  throw new Error("expected the configuration to be rejected");
}

/** The one problem reported for `layer`. */
function problem(layer: SystemConfigInput, system = duewin): ConfigError {
  const found = problems(layer, system);
  expect(found).toHaveLength(1);
  return found[0];
}

describe("the edge presets", () => {
  it("put CloudFront in front of MueJam's ALB, with no custom name in dev", () => {
    const dev = resolveSystemConfig("dev", muejam.preset("dev"), harnessInputs(muejam.name, "dev")).edge!;
    expect(dev.hostedZone).toBeUndefined();
    expect(dev.cdn).toMatchObject({ defaultOrigin: "loadBalancer", domainNames: [], priceClass: "PriceClass_100", ipv6: true, httpVersion: "http2and3" });
    expect(dev.cdn!.loadBalancer).toEqual({ cachePolicy: "CachingDisabled", readTimeoutSeconds: 60 });
    expect(dev.cdn!.staticAssets).toBeUndefined();
  });

  it("give MueJam's prod the name app.<your domain>, relative to the hosted zone the user names", () => {
    expect(muejam.preset("prod").edge).toEqual({ cdn: { defaultOrigin: "loadBalancer", domainNames: ["app"] } });
    const prod = resolveSystemConfig("prod", muejam.preset("prod"), harnessInputs(muejam.name, "prod")).edge!;
    expect(prod.hostedZone).toEqual({ name: "muejam.harness-inputs.net", zoneId: "Z0HARNESSMUEJAMPRD" });
    expect(prod.cdn!.domainNames).toEqual(["app.muejam.harness-inputs.net"]);
    const staging = resolveSystemConfig("staging", muejam.preset("staging"), harnessInputs(muejam.name, "staging")).edge!;
    expect(staging.cdn!.domainNames).toEqual(["app.staging.muejam.harness-inputs.net"]);
  });

  it("makes @ the zone itself, and leaves absolute names alone", () => {
    const edge = resolveSystemConfig("prod", muejam.preset("prod"), harnessInputs(muejam.name, "prod"), {
      edge: { cdn: { domainNames: ["@", "www.muejam.harness-inputs.net"] } },
    }).edge!;
    expect(edge.cdn!.domainNames).toEqual(["muejam.harness-inputs.net", "www.muejam.harness-inputs.net"]);
  });

  it("serve Duewin's static assets from a bucket (CachingOptimized), and outside dev point api at the ALB with a health check", () => {
    const dev = resolveSystemConfig("dev", duewin.preset("dev"), harnessInputs(duewin.name, "dev")).edge!;
    expect(dev.cdn).toMatchObject({ defaultOrigin: "staticAssets", domainNames: [], staticAssets: { cachePolicy: "CachingOptimized", noncurrentVersionExpirationDays: 30 } });
    expect(dev.loadBalancerRecords).toEqual({});
    const prod = resolveSystemConfig("prod", duewin.preset("prod"), harnessInputs(duewin.name, "prod")).edge!;
    expect(prod.cdn!.domainNames).toEqual(["static.duewin.harness-inputs.net"]);
    expect(prod.loadBalancerRecords.api).toEqual({
      name: "api.duewin.harness-inputs.net",
      healthCheck: { requestIntervalSeconds: 30, failureThreshold: 3, alarm: true },
    });
  });

  it("let an override give other absolute names in another zone", () => {
    const config = resolveSystemConfig("prod", duewin.preset("prod"), harnessInputs(duewin.name, "prod"), {
      accountId: "111122223333",
      compute: { loadBalancer: { tls: { certificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/11111111-2222-3333-4444-555555555555" } } },
      edge: {
        hostedZone: { name: "duewin.io", zoneId: "Z0123456789ABCDEFGHIJ" },
        cdn: { domainNames: ["static.duewin.io"] },
        loadBalancerRecords: { api: { name: "api.duewin.io" } },
      },
    });
    expect(config.edge!.hostedZone).toEqual({ name: "duewin.io", zoneId: "Z0123456789ABCDEFGHIJ" });
  });
});

describe("edge configuration checks", () => {
  it("rejects a name outside the hosted zone", () => {
    const e = problem({ edge: { loadBalancerRecords: { api: { name: "api.duewin.example.org" } } } });
    expect(e.key).toBe("edge.loadBalancerRecords.api.name");
    expect(e.problem).toMatch(/not inside the hosted zone duewin\.harness-inputs\.net/);
  });

  it("rejects a custom domain without a hosted zone", () => {
    const e = problem({ edge: { hostedZone: null, cdn: { domainNames: ["app.muejam.io"] } } }, muejam);
    expect(e.key).toBe("edge.cdn.domainNames[0]");
    expect(e.problem).toMatch(/edge\.hostedZone is not set/);
  });

  it("requires the hosted zone when names are relative to it, listing them", () => {
    const e = problem({ edge: { hostedZone: null } }, duewin);
    expect(e.key).toBe("edge.hostedZone");
    expect(e.value).toBeUndefined();
    expect(e.problem).toMatch(/edge\.cdn\.domainNames\[0\] = "static", edge\.loadBalancerRecords\.api\.name = "api" are names relative to your domain/);
  });

  it("never validates a certificate in a zone created in the same apply: a distribution's names need the zone's id", () => {
    const inputs = { ...harnessInputs("muejam", "prod"), edge: { hostedZone: { name: "muejam.harness-inputs.net" } } };
    let errors: ConfigError[] = [];
    try {
      resolveSystemConfig("prod", muejam.preset("prod"), inputs);
    } catch (err) {
      errors = [...(err as ConfigErrors).errors];
    }
    expect(errors).toHaveLength(1);
    const e = errors[0];
    expect(e.key).toBe("edge.hostedZone.zoneId");
    expect(e.problem).toMatch(/a zone created in the same apply is not delegated yet/);
    expect(e.fix).toMatch(/create the public hosted zone for muejam\.harness-inputs\.net and delegate it \(docs\/edge\.md\)/);
  });

  it("lets an override remove a preset's distribution, or the whole edge layer, with null", () => {
    expect(resolveSystemConfig("prod", muejam.preset("prod"), harnessInputs(muejam.name, "prod"), { edge: null }).edge).toBeNull();
    const recordsOnly = resolveSystemConfig("prod", duewin.preset("prod"), harnessInputs(duewin.name, "prod"), { edge: { cdn: null } }).edge!;
    expect(recordsOnly.cdn).toBeNull();
    expect(Object.keys(recordsOnly.loadBalancerRecords)).toEqual(["api"]);
  });

  it.each([
    ["App.duewin.harness-inputs.net", /upper-case/],
    ["static.duewin.harness-inputs.net.", /ends with a dot/],
    ["-static.duewin.harness-inputs.net", /label "-static"/],
    ["static..duewin.harness-inputs.net", /label ""/],
    ["api.*.duewin.harness-inputs.net", /wildcard that is not the whole first label/],
  ])("rejects the invalid domain name %s", (name, message) => {
    const e = problem({ edge: { cdn: { domainNames: [name] } } });
    expect(e.key).toBe("edge.cdn.domainNames[0]");
    expect(e.problem).toMatch(message);
  });

  it("rejects a wildcard for a load-balancer record, and a zone name that is no domain", () => {
    expect(problem({ edge: { loadBalancerRecords: { api: { name: "*.duewin.harness-inputs.net" } } } }).problem).toMatch(/wildcard, which is not allowed here/);
    expect(problem({ edge: { hostedZone: { name: "localhost" } } }).key).toBe("edge.hostedZone.name");
  });

  it("rejects a price class not in the allowed list", () => {
    const e = problem({ edge: { cdn: { priceClass: "PriceClass_300" as never } } });
    expect(e.key).toBe("edge.cdn.priceClass");
    expect(e.fix).toMatch(/PriceClass_100.*PriceClass_200.*PriceClass_All/);
  });

  it("rejects a health check path that does not start with /", () => {
    const e = problem({ edge: { loadBalancerRecords: { api: { healthCheck: { path: "health" } } } } });
    expect(e.key).toBe("edge.loadBalancerRecords.api.healthCheck.path");
    expect(e.problem).toMatch(/does not start with \//);
    expect(e.fix).toMatch(/\/health/);
  });

  it("rejects a malformed hosted zone id", () => {
    const e = problem({ edge: { hostedZone: { zoneId: "example-zone" } } });
    expect(e.key).toBe("edge.hostedZone.zoneId");
  });

  it("rejects a name used twice", () => {
    const e = problem({ edge: { cdn: { domainNames: ["api.duewin.harness-inputs.net"] } } });
    expect(e.key).toBe("edge.loadBalancerRecords.api.name");
    expect(e.problem).toMatch(/already used by cdn\.domainNames\[0\]/);
  });

  it("rejects failover without a health check, and a malformed secondary", () => {
    const secondary = { dnsName: "backup-123.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" };
    expect(problem({ edge: { loadBalancerRecords: { api: { healthCheck: null, failover: { secondary } } } } }).key).toBe("edge.loadBalancerRecords.api.failover");
    expect(problem({ edge: { loadBalancerRecords: { api: { failover: { secondary: { ...secondary, zoneId: "zone" } } } } } }).key).toBe(
      "edge.loadBalancerRecords.api.failover.secondary.zoneId",
    );
  });

  it("rejects a CloudFront failover secondary that evaluates target health, which Route 53 refuses", () => {
    const cloudfront = { dnsName: "d111111abcdef8.cloudfront.net", zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: true };
    const e = problem({ edge: { loadBalancerRecords: { api: { failover: { secondary: cloudfront } } } } });
    expect(e.key).toBe("edge.loadBalancerRecords.api.failover.secondary.evaluateTargetHealth");
    expect(e.problem).toMatch(/CloudFront/);
  });

  it("rejects an alarm topic outside us-east-1, where Route 53's metrics are", () => {
    const e = problem({ edge: { alarmTopicArn: "arn:aws:sns:eu-west-1:111122223333:alarms" } });
    expect(e.key).toBe("edge.alarmTopicArn");
    expect(e.problem).toMatch(/us-east-1/);
  });

  it("rejects a web ACL that is not a CloudFront-scoped WAFv2 ACL", () => {
    const regional = "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/app/11111111-2222-3333-4444-555555555555";
    expect(problem({ edge: { cdn: { webAclArn: regional } } }).key).toBe("edge.cdn.webAclArn");
    const global = "arn:aws:wafv2:us-east-1:111122223333:global/webacl/app/11111111-2222-3333-4444-555555555555";
    expect(resolveSystemConfig("prod", duewin.preset("prod"), harnessInputs(duewin.name, "prod"), { edge: { cdn: { webAclArn: global } } }).edge!.cdn!.webAclArn).toBe(global);
  });

  /** Duewin's ALB as the distribution's origin, still open to the internet for its api record (an ALB behind CloudFront admits only CloudFront by default). */
  const openAlb = { loadBalancer: { ingressFrom: "cidrs" as const } };

  it("needs a custom name in front of an HTTPS ALB, whose certificate cannot cover *.cloudfront.net", () => {
    const e = problem({ compute: openAlb, edge: { cdn: { defaultOrigin: "loadBalancer", domainNames: [] } } });
    expect(e.key).toBe("edge.cdn.domainNames");
    expect(e.problem).toMatch(/ALB serves HTTPS/);
  });

  it("needs the origin it defaults to", () => {
    expect(problem({ edge: { cdn: { staticAssets: null } } }).key).toBe("edge.cdn.defaultOrigin");
    // Joblet's load balancer is an NLB: no CloudFront origin, no alias to an ALB.
    const nlb = () => resolveSystemConfig("prod", joblet.preset("prod"), harnessInputs(joblet.name, "prod"), { edge: { cdn: { defaultOrigin: "loadBalancer" } } });
    expect(nlb).toThrow(/edge\.cdn\.defaultOrigin = "loadBalancer"[\s\S]*no ALB/);
  });

  it("rejects path patterns when the bucket is the default origin, and path patterns that are not their own", () => {
    expect(problem({ edge: { cdn: { staticAssets: { pathPatterns: ["/static/*"] } } } }).key).toBe("edge.cdn.staticAssets.pathPatterns");
    const alb = { defaultOrigin: "loadBalancer" as const, domainNames: ["app.duewin.harness-inputs.net"] };
    expect(problem({ compute: openAlb, edge: { cdn: { ...alb, staticAssets: { pathPatterns: ["/*"] } } } }).key).toBe("edge.cdn.staticAssets.pathPatterns[0]");
    expect(problem({ compute: openAlb, edge: { cdn: { ...alb, staticAssets: { pathPatterns: [] } } } }).key).toBe("edge.cdn.staticAssets.pathPatterns");
  });

  it("rejects an invalid static-assets bucket name", () => {
    expect(problem({ edge: { cdn: { staticAssets: { bucketName: "Duewin_Assets" } } } }).key).toBe("edge.cdn.staticAssets.bucketName");
  });

  it("refuses a reserved example domain once accountId names a real account", () => {
    const e = problem({ edge: { hostedZone: { name: "duewin.example.com" } } });
    expect(e.key).toBe("edge.hostedZone.name");
    expect(e.value).toBe("duewin.example.com");
    expect(e.problem).toMatch(/reserved example domain/);
  });

  it("builds the edge layer only in the aws partition (CloudFront, us-east-1)", () => {
    const config = () => resolveSystemConfig("dev", duewin.preset("dev"), harnessInputs(duewin.name, "dev"), { region: "cn-north-1", network: { azs: ["cn-north-1a", "cn-north-1b"] } });
    expect(config).toThrow(/edge = [\s\S]*aws-cn partition/);
  });

  it("refuses a load balancer record on an ALB that admits only CloudFront: clients and Route 53's checkers are refused", () => {
    // MueJam's ALB is the distribution's origin, so it admits CloudFront's origin-facing servers only.
    const e = problem({ edge: { loadBalancerRecords: { api: { name: "api" } } } }, muejam);
    expect(e.key).toBe("edge.loadBalancerRecords.api");
    expect(e.value).toMatchObject({ name: "api.muejam.harness-inputs.net" });
    expect(e.problem).toMatch(/admits only CloudFront \(compute\.loadBalancer\.ingressFrom defaults to "cloudfront" because edge\.cdn\.defaultOrigin is the load balancer\): clients resolving the name cannot reach it; Route 53's health checkers are refused too/);
    expect(e.fix).toMatch(/set compute\.loadBalancer\.ingressFrom to "cidrs" .*admitting the internet.*, or remove edge\.loadBalancerRecords\.api/);
    // Set explicitly, on Duewin, without a health check: the name still leads nowhere.
    const set = problem({ compute: { loadBalancer: { ingressFrom: "cloudfront" } }, edge: { loadBalancerRecords: { api: { healthCheck: null } } } });
    expect(set.key).toBe("edge.loadBalancerRecords.api");
    expect(set.problem).toMatch(/compute\.loadBalancer\.ingressFrom is "cloudfront"\): clients resolving the name cannot reach it$/);
    // Opened to the internet, the record is fine.
    expect(resolveSystemConfig("prod", muejam.preset("prod"), harnessInputs(muejam.name, "prod"), { compute: { loadBalancer: { ingressFrom: "cidrs" } }, edge: { loadBalancerRecords: { api: { name: "api" } } } }).edge!.loadBalancerRecords.api.name).toBe(
      "api.muejam.harness-inputs.net",
    );
  });

  it("refuses a health check of an ALB narrowed to CIDRs that do not hold all of Route 53's checkers", () => {
    const narrowed = { loadBalancer: { ingressCidrs: ["203.0.113.0/24", "198.51.100.0/24"] } };
    const secondary = { dnsName: "backup-123.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" };
    const e = problem({ compute: narrowed, edge: { loadBalancerRecords: { api: { failover: { secondary } } } } });
    expect(e.key).toBe("edge.loadBalancerRecords.api.healthCheck");
    expect(e.problem).toMatch(/Route 53's health checkers, but compute\.loadBalancer\.ingressCidrs \(203\.0\.113\.0\/24, 198\.51\.100\.0\/24\) does not admit all of them: the check always fails .*with failover Route 53 answers the secondary forever/);
    expect(e.fix).toMatch(/set edge\.loadBalancerRecords\.api\.healthCheck to null \(and remove failover, which needs it\), or admit all of Route 53's health-checker ranges: .*ROUTE53_HEALTHCHECKS/);
    // One region's checkers are under the 18 % Route 53 needs: still refused.
    const oneRegion = { loadBalancer: { ingressCidrs: ["203.0.113.0/24", "107.23.255.0/26", "54.243.31.192/26"] } };
    expect(problem({ compute: oneRegion }).key).toBe("edge.loadBalancerRecords.api.healthCheck");
    // Without the health check, or with every checker range admitted, the narrowed ALB is fine.
    const resolves = (layer: SystemConfigInput) => () => resolveSystemConfig("prod", duewin.preset("prod"), harnessInputs(duewin.name, "prod"), layer);
    expect(resolves({ compute: narrowed, edge: { loadBalancerRecords: { api: { healthCheck: null } } } })).not.toThrow();
    expect(resolves({ compute: { loadBalancer: { ingressCidrs: ["203.0.113.0/24", ...ROUTE53_HEALTH_CHECKER_RANGES] } } })).not.toThrow();
  });

  it("keeps Duewin's api record and health check on its ALB open to the internet, and refuses them once the ALB admits only CloudFront", () => {
    const config = resolveSystemConfig("prod", duewin.preset("prod"), harnessInputs(duewin.name, "prod"));
    expect(config.compute.loadBalancer).toMatchObject({ ingressCidrs: ["0.0.0.0/0"] });
    expect(config.compute.loadBalancer!.ingressFrom).toBeUndefined();
    expect(config.edge!.loadBalancerRecords.api.healthCheck).not.toBeNull();
    // The distribution in front of the ALB instead of the bucket: the ALB then admits CloudFront only.
    const e = problem({ edge: { cdn: { defaultOrigin: "loadBalancer", domainNames: ["static"] } } });
    expect(e.key).toBe("edge.loadBalancerRecords.api");
    expect(e.problem).toMatch(/points api\.duewin\.harness-inputs\.net straight at the ALB, but the ALB admits only CloudFront/);
  });

  it("rejects an edge that builds nothing, and a record key that cannot be an address", () => {
    const e = problem({ edge: { cdn: null, hostedZone: { zoneId: "Z0123456789ABCDEFGHIJ" } } }, muejam);
    expect(e.key).toBe("edge");
    expect(problem({ edge: { loadBalancerRecords: { "API-1": { name: "api1.duewin.harness-inputs.net" } } } }).key).toBe("edge.loadBalancerRecords.API-1");
  });
});
