import { ApplicationLoadBalancer, ApplicationLoadBalancerProps, elbLogDeliveryStatement } from "../../src/constructs/alb";
import { NetworkLoadBalancer } from "../../src/constructs/nlb";
import { AccessLogsConfigSchema, LoadBalancerConfigInput, LoadBalancerConfigSchema, TargetGroupConfigSchema, TlsPolicy } from "../../src/constructs/alb/settings";
import { ConfigError } from "../../src/lib/errors";
import { resourcesOf } from "../harness/synth";
import { UnitStack } from "../harness/unit-stack";

/** A service's target group settings parsed by the module's schema, so each default is the schema's. */
const targetGroup = (input: object = {}) => TargetGroupConfigSchema.parse(input);
const CERT = "arn:aws:acm:us-east-1:111122223333:certificate/11111111-2222-3333-4444-555555555555";
/** Load balancer settings parsed by the module's schema, so each default is the schema's. */
const lbSettings = (input: LoadBalancerConfigInput = {}) => LoadBalancerConfigSchema.parse(input);
/** An ALB's settings: TLS on with a certificate, unless `input` says otherwise. */
const albSettings = (input: LoadBalancerConfigInput = {}) => lbSettings({ tls: { certificateArn: CERT }, ...input });

function albProps(overrides: Partial<ApplicationLoadBalancerProps> = {}): ApplicationLoadBalancerProps {
  return {
    name: "shop-prod-alb",
    region: "us-east-1",
    vpcId: "vpc-123",
    vpcCidr: "10.0.0.0/16",
    subnetIds: ["subnet-a", "subnet-b"],
    settings: albSettings(),
    target: { service: "web", port: 8080, targetGroupNames: { default: "shop-prod-web" }, settings: targetGroup() },
    ...overrides,
  };
}

describe("ApplicationLoadBalancer", () => {
  it("is internet-facing in the given subnets, drops invalid headers and has deletion protection by default", () => {
    const stack = new UnitStack();
    new ApplicationLoadBalancer(stack, "alb", albProps());
    const lb = resourcesOf(stack.json(), "aws_lb").alb_lb;
    expect(lb).toMatchObject({
      name: "shop-prod-alb",
      load_balancer_type: "application",
      internal: false,
      subnets: ["subnet-a", "subnet-b"],
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
      security_groups: ["${aws_security_group.alb_sg_group.id}"],
    });
  });

  it("refuses a plan that would delete it while deletion protection is on, before its listeners go", () => {
    const on = new UnitStack();
    new ApplicationLoadBalancer(on, "alb", albProps());
    expect(resourcesOf(on.json(), "aws_lb").alb_lb.lifecycle).toEqual({ prevent_destroy: true });
    const off = new UnitStack();
    new ApplicationLoadBalancer(off, "alb", albProps({ deletionProtection: false }));
    expect(resourcesOf(off.json(), "aws_lb").alb_lb).toMatchObject({ enable_deletion_protection: false });
    expect(resourcesOf(off.json(), "aws_lb").alb_lb.lifecycle).toEqual({ prevent_destroy: false });
  });

  it("terminates HTTPS with the default TLS 1.2+ policy and redirects HTTP with a 301", () => {
    const stack = new UnitStack();
    new ApplicationLoadBalancer(stack, "alb", albProps());
    const listeners = resourcesOf(stack.json(), "aws_lb_listener");
    expect(listeners.alb_https).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificate_arn: CERT,
      default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.alb_tg_web.arn}" }],
    });
    expect(listeners.alb_http).toMatchObject({
      port: 80,
      protocol: "HTTP",
      default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }],
    });
    expect(stack.warnings()).toEqual([]);
  });

  it("uses MueJam's target group defaults", () => {
    const stack = new UnitStack();
    new ApplicationLoadBalancer(stack, "alb", albProps());
    expect(resourcesOf(stack.json(), "aws_lb_target_group").alb_tg_web).toMatchObject({
      name: "shop-prod-web",
      port: 8080,
      protocol: "HTTP",
      protocol_version: "HTTP1",
      target_type: "instance",
      deregistration_delay: "60",
      health_check: { path: "/health", interval: 30, timeout: 5, healthy_threshold: 2, unhealthy_threshold: 3, matcher: "200", port: "traffic-port" },
      stickiness: { type: "lb_cookie", enabled: true, cookie_duration: 86400 },
    });
  });

  it("creates a replacement target group before deleting the old one, which a listener still forwards to", () => {
    const stack = new UnitStack();
    new ApplicationLoadBalancer(stack, "alb", albProps());
    expect(resourcesOf(stack.json(), "aws_lb_target_group").alb_tg_web.lifecycle).toEqual({ create_before_destroy: true });
  });

  it("admits 443 and 80 from each CIDR, keyed by the CIDR, and sends only into the VPC on the target port", () => {
    const stack = new UnitStack();
    new ApplicationLoadBalancer(stack, "alb", albProps({ settings: albSettings({ ingressCidrs: ["203.0.113.0/24", "198.51.100.0/24"] }) }));
    const json = stack.json();
    const ingress = resourcesOf(json, "aws_vpc_security_group_ingress_rule");
    expect(Object.keys(ingress).sort()).toEqual([
      "alb_sg_ingress_443_from_198_51_100_0_24",
      "alb_sg_ingress_443_from_203_0_113_0_24",
      "alb_sg_ingress_80_from_198_51_100_0_24",
      "alb_sg_ingress_80_from_203_0_113_0_24",
    ]);
    expect(ingress.alb_sg_ingress_443_from_203_0_113_0_24).toMatchObject({ cidr_ipv4: "203.0.113.0/24", from_port: 443, to_port: 443, ip_protocol: "tcp" });
    expect(resourcesOf(json, "aws_vpc_security_group_egress_rule")).toEqual({
      alb_sg_egress_8080_to_vpc: expect.objectContaining({ cidr_ipv4: "10.0.0.0/16", from_port: 8080, to_port: 8080, ip_protocol: "tcp" }),
    });
  });

  it("serves plain HTTP only when TLS is explicitly off, and warns at synth", () => {
    const stack = new UnitStack();
    new ApplicationLoadBalancer(stack, "alb", albProps({ settings: albSettings({ tls: { enabled: false } }) }));
    const json = stack.json();
    const listeners = resourcesOf(json, "aws_lb_listener");
    expect(Object.keys(listeners)).toEqual(["alb_http"]);
    expect(listeners.alb_http.default_action).toEqual([{ type: "forward", target_group_arn: "${aws_lb_target_group.alb_tg_web.arn}" }]);
    expect(Object.keys(resourcesOf(json, "aws_vpc_security_group_ingress_rule"))).toEqual(["alb_sg_ingress_80_from_anywhere"]);
    expect(stack.warnings()).toEqual([expect.stringMatching(/TLS is off .* plain HTTP on port 80 with no HTTPS listener/)]);
  });

  it("warns while the presets' placeholder certificate is in place", () => {
    const stack = new UnitStack();
    new ApplicationLoadBalancer(stack, "alb", albProps({ settings: albSettings({ tls: { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000" } }) }));
    expect(stack.warnings()).toEqual([expect.stringMatching(/placeholder certificate .* before applying/)]);
  });

  it("refuses HTTPS without a certificate and policies off the allow-list", () => {
    expect(() => new ApplicationLoadBalancer(new UnitStack(), "alb", albProps({ settings: albSettings({ tls: { enabled: true } }) }))).toThrow(ConfigError);
    expect(() => new ApplicationLoadBalancer(new UnitStack(), "alb", albProps({ settings: { ...albSettings(), tls: { ...albSettings().tls, sslPolicy: "ELBSecurityPolicy-2016-08" as TlsPolicy } } }))).toThrow(
      /is not on the allow-list of TLS 1.2\+ policies/,
    );
  });

  it("shifts traffic between a blue and a green target group by weight", () => {
    const stack = new UnitStack();
    new ApplicationLoadBalancer(stack, "alb", albProps({ target: { service: "web", port: 8080, targetGroupNames: { blue: "web-blue", green: "web-green" }, weights: { blue: 80, green: 20 }, settings: targetGroup() } }));
    const json = stack.json();
    expect(Object.keys(resourcesOf(json, "aws_lb_target_group")).sort()).toEqual(["alb_tg_web_blue", "alb_tg_web_green"]);
    expect(resourcesOf(json, "aws_lb_listener").alb_https.default_action).toEqual([
      {
        type: "forward",
        forward: {
          target_group: [
            { arn: "${aws_lb_target_group.alb_tg_web_blue.arn}", weight: 80 },
            { arn: "${aws_lb_target_group.alb_tg_web_green.arn}", weight: 20 },
          ],
        },
      },
    ]);
  });

  it("builds gRPC target groups with gRPC success codes", () => {
    const stack = new UnitStack();
    new ApplicationLoadBalancer(stack, "alb", albProps({ target: { service: "web", port: 50051, targetGroupNames: { default: "web-grpc" }, settings: targetGroup({ protocolVersion: "GRPC" }) } }));
    expect(resourcesOf(stack.json(), "aws_lb_target_group").alb_tg_web).toMatchObject({ protocol_version: "GRPC", health_check: { matcher: "12" } });
  });

  it("writes access logs to a secure bucket that ELB's regional account may write to", () => {
    const stack = new UnitStack();
    new ApplicationLoadBalancer(stack, "alb", albProps({ accessLogs: { bucketName: "shop-prod-lb-logs", settings: AccessLogsConfigSchema.parse({ prefix: "alb" }) } }));
    const json = stack.json();
    expect(resourcesOf(json, "aws_lb").alb_lb).toMatchObject({
      access_logs: { bucket: "${aws_s3_bucket.alb_access_logs_bucket.bucket}", prefix: "alb", enabled: true },
      depends_on: ["aws_s3_bucket_policy.alb_access_logs_policy"],
    });
    const policy = String(resourcesOf(json, "aws_s3_bucket_policy").alb_access_logs_policy.policy);
    expect(policy).toContain('"Sid" = "ElbAccessLogDelivery"');
    expect(policy).toContain('"AWS" = "arn:aws:iam::127311923021:root"');
    expect(policy).toContain('"${aws_s3_bucket.alb_access_logs_bucket.arn}/alb/AWSLogs/*"');
    expect(resourcesOf(json, "aws_s3_bucket_public_access_block").alb_access_logs_public_access_block).toMatchObject({ block_public_acls: true, restrict_public_buckets: true });
  });

  it("lets only its own account's load balancers deliver, once the account is known", () => {
    const stack = new UnitStack();
    new ApplicationLoadBalancer(stack, "alb", albProps({ accessLogs: { bucketName: "shop-prod-lb-logs", settings: AccessLogsConfigSchema.parse({ prefix: "alb" }), accountId: "111122223333" } }));
    const policy = String(resourcesOf(stack.json(), "aws_s3_bucket_policy").alb_access_logs_policy.policy);
    expect(policy).toContain('"${aws_s3_bucket.alb_access_logs_bucket.arn}/alb/AWSLogs/111122223333/*"');
    expect(policy).not.toContain("AWSLogs/*");
  });

  it("uses the log delivery service principal in regions opened since August 2022", () => {
    expect(elbLogDeliveryStatement("ap-southeast-5", "arn:aws:s3:::b", "").Principal).toEqual({ Service: "logdelivery.elasticloadbalancing.amazonaws.com" });
    expect(elbLogDeliveryStatement("ap-northeast-2", "arn:aws:s3:::b", "").Principal).toEqual({ AWS: "arn:aws:iam::600734575887:root" });
  });
});

describe("NetworkLoadBalancer", () => {
  const nlbProps = {
    name: "jobs-prod-nlb",
    vpcId: "vpc-123",
    vpcCidr: "10.20.0.0/16",
    subnetIds: ["subnet-a", "subnet-b"],
    target: { service: "app", port: 443, targetGroupNames: { default: "jobs-prod-app" }, settings: targetGroup() },
  };

  it("passes TCP 443 through to a TCP target group with a TCP health check and cross-zone balancing", () => {
    const stack = new UnitStack();
    new NetworkLoadBalancer(stack, "nlb", { ...nlbProps, settings: lbSettings({ tls: { enabled: false } }) });
    const json = stack.json();
    expect(resourcesOf(json, "aws_lb").nlb_lb).toMatchObject({ load_balancer_type: "network", internal: false, enable_cross_zone_load_balancing: true, security_groups: ["${aws_security_group.nlb_sg_group.id}"] });
    // An NLB losing a subnet is replaced (the provider's choice): refused at plan, not after its listener is gone.
    expect(resourcesOf(json, "aws_lb").nlb_lb).toMatchObject({ enable_deletion_protection: true, lifecycle: { prevent_destroy: true } });
    expect(resourcesOf(json, "aws_lb_listener")).toEqual({
      nlb_tcp: expect.objectContaining({ port: 443, protocol: "TCP", default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.nlb_tg_app.arn}" }] }),
    });
    const tg = resourcesOf(json, "aws_lb_target_group").nlb_tg_app;
    expect(tg).toMatchObject({ protocol: "TCP", port: 443, health_check: { protocol: "TCP", port: "traffic-port", interval: 30 }, stickiness: { type: "source_ip", enabled: false }, lifecycle: { create_before_destroy: true } });
    expect((tg.health_check as Record<string, unknown>).path).toBeUndefined();
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule").nlb_sg_ingress_443_from_anywhere).toMatchObject({ from_port: 443, cidr_ipv4: "0.0.0.0/0" });
  });

  it("terminates TLS with an ALPN policy for gRPC when asked", () => {
    const stack = new UnitStack();
    new NetworkLoadBalancer(stack, "nlb", { ...nlbProps, settings: lbSettings({ tls: { certificateArn: CERT, alpnPolicy: "HTTP2Preferred" } }) });
    expect(resourcesOf(stack.json(), "aws_lb_listener")).toEqual({
      nlb_tls: expect.objectContaining({ protocol: "TLS", port: 443, ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificate_arn: CERT, alpn_policy: "HTTP2Preferred" }),
    });
  });

  it("writes a TLS listener's access logs to a bucket the log delivery service may write to, for this account only", () => {
    const stack = new UnitStack();
    new NetworkLoadBalancer(stack, "nlb", {
      ...nlbProps,
      settings: lbSettings({ tls: { certificateArn: CERT } }),
      accessLogs: { bucketName: "jobs-prod-lb-logs", settings: AccessLogsConfigSchema.parse({}), region: "us-east-1", accountId: "111122223333" },
    });
    const json = stack.json();
    expect(resourcesOf(json, "aws_lb").nlb_lb).toMatchObject({
      access_logs: { bucket: "${aws_s3_bucket.nlb_access_logs_bucket.bucket}", enabled: true },
      depends_on: ["aws_s3_bucket_policy.nlb_access_logs_policy"],
    });
    const policy = String(resourcesOf(json, "aws_s3_bucket_policy").nlb_access_logs_policy.policy);
    expect(policy).toContain('"Sid" = "NlbAccessLogDelivery"');
    expect(policy).toContain('"Service" = "delivery.logs.amazonaws.com"');
    expect(policy).toContain('"${aws_s3_bucket.nlb_access_logs_bucket.arn}/AWSLogs/111122223333/*"');
    expect(policy).toContain('"aws:SourceAccount" = "111122223333"');
    expect(policy).toContain('"Action" = "s3:GetBucketAcl"');
  });

  it("refuses access logs on a TCP-passthrough listener, which AWS never logs", () => {
    expect(() => new NetworkLoadBalancer(new UnitStack(), "nlb", { ...nlbProps, settings: lbSettings({ tls: { enabled: false } }), accessLogs: { bucketName: "jobs-prod-lb-logs", settings: AccessLogsConfigSchema.parse({}), region: "us-east-1" } })).toThrow(
      /accessLogs.*only for TLS listeners/s,
    );
  });

  it("refuses a weighted pair of target groups", () => {
    expect(() => new NetworkLoadBalancer(new UnitStack(), "nlb", { ...nlbProps, settings: lbSettings({ tls: { enabled: false } }), target: { service: "app", port: 443, targetGroupNames: { blue: "a", green: "b" }, settings: targetGroup() } })).toThrow(
      /target\.targetGroupNames.*an NLB listener forwards to one target group/s,
    );
  });
});

describe("an ALB behind CloudFront", () => {
  it("admits only CloudFront's origin-facing prefix list, on 443 alone (the list's weight fits the rule quota once)", () => {
    const stack = new UnitStack();
    new ApplicationLoadBalancer(stack, "alb", albProps({ cloudFrontPrefixListId: "pl-3b927c52" }));
    const rules = resourcesOf(stack.json(), "aws_vpc_security_group_ingress_rule");
    expect(Object.keys(rules)).toEqual(["alb_sg_ingress_443_from_cloudfront"]);
    expect(rules.alb_sg_ingress_443_from_cloudfront).toMatchObject({ prefix_list_id: "pl-3b927c52", from_port: 443, to_port: 443, ip_protocol: "tcp" });
    expect(rules.alb_sg_ingress_443_from_cloudfront).not.toHaveProperty("cidr_ipv4");
  });
});
