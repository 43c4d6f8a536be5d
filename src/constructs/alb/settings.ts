import { z } from "zod";
import { PortSchema } from "../../lib/setting-schemas";
import { Naming } from "../../lib/naming";

/**
 * The load balancer's settings (`compute.loadBalancer`) and the target group of a
 * load-balanced service (`compute.services.<name>.targetGroup`), used by the ALB and the NLB.
 */

/**
 * The TLS negotiation policies a listener may use: only policies whose minimum protocol is
 * TLS 1.2 or 1.3. The first is the default.
 */
export const TLS_POLICIES = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
  "ELBSecurityPolicy-TLS-1-2-2017-01",
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
  "ELBSecurityPolicy-FS-1-2-2019-08",
  "ELBSecurityPolicy-FS-1-2-Res-2019-08",
  "ELBSecurityPolicy-FS-1-2-Res-2020-10",
] as const;
export type TlsPolicy = (typeof TLS_POLICIES)[number];
export const DEFAULT_TLS_POLICY: TlsPolicy = TLS_POLICIES[0];

/** ALPN policies of an NLB TLS listener (gRPC wants `HTTP2Preferred` or `HTTP2Only`). */
export const ALPN_POLICIES = ["HTTP1Only", "HTTP2Only", "HTTP2Optional", "HTTP2Preferred", "None"] as const;

/** A target group's health check. The numbers are MueJam's. */
export const HealthCheckConfigSchema = z.strictObject({
  path: z.string().regex(/^\/[\x21-\x7e]*$/, { message: "must be an absolute path starting with /" }).default("/health").describe("The HTTP path probed (ALB only; an NLB checks that the TCP port accepts connections)."),
  intervalSeconds: z.number().int().min(5).max(300).default(30).describe("Seconds between checks, 5-300."),
  timeoutSeconds: z.number().int().min(2).max(120).default(5).describe("Seconds without a response that fail a check, 2-120, less than the interval."),
  healthyThreshold: z.number().int().min(2).max(10).default(2).describe("Consecutive successes that make a target healthy, 2-10."),
  unhealthyThreshold: z.number().int().min(2).max(10).default(3).describe("Consecutive failures that make a target unhealthy, 2-10."),
  matcher: z.string().regex(/^\d+([-,]\d+)*$/, { message: 'must be codes like "200", "200-299" or "200,302"' }).optional().describe("Success codes (ALB only). Default: \"200\", or \"12\" (gRPC OK..UNIMPLEMENTED) for gRPC target groups."),
});

/** The target group a load-balanced service registers in. */
export const TargetGroupConfigSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9-]+$/, { message: "may only hold letters, digits and hyphens" }).optional().describe("The target group's name, at most 32 characters. Default: \"<project>-<environment>-<service>\" (+ \"-blue\"/\"-green\" in weighted blue-green)."),
  protocolVersion: z.enum(["HTTP1", "HTTP2", "GRPC"]).default("HTTP1").describe("ALB only: `HTTP1`, `HTTP2`, or `GRPC` (which needs TLS at the ALB)."),
  healthCheck: HealthCheckConfigSchema.prefault({}).describe("The health check. Default: MueJam's: /health every 30 s, timeout 5 s, 2 healthy, 3 unhealthy, 200."),
  stickiness: z
    .strictObject({
      enabled: z.boolean().optional().describe("Default: true on an ALB (MueJam's WebSocket sessions), false on an NLB."),
      durationSeconds: z.number().int().min(1).max(604800).default(86400).describe("ALB cookie lifetime, 1 s to 7 days. Default: 86400 (one day)."),
    })
    .prefault({}).describe("Session affinity. On an ALB a load-balancer cookie (`lb_cookie`) lasting `durationSeconds`; on an NLB, `source_ip` affinity."),
  deregistrationDelaySeconds: z.number().int().min(0).max(3600).default(60).describe("Seconds a deregistering target keeps its in-flight requests (connection draining), 0-3600."),
});
export type TargetGroupConfig = z.infer<typeof TargetGroupConfigSchema>;

/** TLS at the load balancer. */
export const LoadBalancerTlsConfigSchema = z.strictObject({
  enabled: z.boolean().default(true).describe("Whether the load balancer terminates TLS. On an ALB, `false` means a plain HTTP listener (allowed, with a synth warning, for e.g. dev); on an NLB it means TCP passthrough, where the instances terminate TLS themselves (Joblet)."),
  certificateArn: z.string().optional().describe("The ACM certificate's ARN, in the system's region. Required when `enabled`. Default: none."),
  sslPolicy: z.enum(TLS_POLICIES).default(DEFAULT_TLS_POLICY).describe("The TLS negotiation policy, from the allow-list of TLS 1.2+ policies. Default: \"ELBSecurityPolicy-TLS13-1-2-2021-06\"."),
  alpnPolicy: z.enum(ALPN_POLICIES).optional().describe("NLB TLS listeners only: the ALPN policy (gRPC: `HTTP2Preferred`). Default: none."),
});

/** Optional access logs to an S3 bucket created for them. */
export const AccessLogsConfigSchema = z.strictObject({
  bucketName: z.string().optional().describe("The bucket's globally unique name. Default: \"<project>-<environment>-lb-logs-<region>\", ending in \"-<accountId>\" once `accountId` is set."),
  prefix: z.string().regex(/^([A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*)?$/, { message: "must be a key prefix without leading or trailing slash" }).default("").describe("Key prefix of the logs, without a trailing slash."),
  expirationDays: z.number().int().min(1).default(90).describe("Days to keep the logs."),
});

/** The internet-facing load balancer in front of the load-balanced service. */
export const LoadBalancerConfigSchema = z.strictObject({
  type: z.enum(["alb", "nlb"]).default("alb").describe("`alb` (HTTP/HTTPS, MueJam, Duewin, AlgoItny) or `nlb` (TCP/TLS, Joblet)."),
  stack: z.enum(["compute", "services"]).default("compute").describe("Which stack holds the load balancer and its target groups: `compute`, beside the instances, or `services`, a separate `<project>-<environment>-services` stack whose outputs the compute stack reads (AlgoItny keeps its ALB in a separate state)."),
  ingressCidrs: z.array(z.string()).min(1, { message: "must list at least one CIDR" }).default(["0.0.0.0/0"]).describe("Who may reach the listeners, when `ingressFrom` is `cidrs`."),
  ingressFrom: z.enum(["cidrs", "cloudfront"]).optional().describe("ALB: `cloudfront` admits only CloudFront's origin-facing servers (the managed prefix list `com.amazonaws.global.cloudfront.origin-facing`) on the port CloudFront uses (443, or 80 with TLS off), so nobody bypasses the distribution and its WAF; `cidrs` admits `ingressCidrs` on every listener port. Default: \"cloudfront\" when edge.cdn uses the load balancer as its origin, else \"cidrs\"."),
  tls: LoadBalancerTlsConfigSchema.prefault({}).describe("TLS at the load balancer. Default: on, with the default policy; the certificate must be given."),
  port: PortSchema.default(443).describe("NLB: the listener port."),
  idleTimeoutSeconds: z.number().int().min(1).max(4000).default(60).describe("ALB: seconds an idle connection stays open, 1-4000."),
  crossZone: z.boolean().default(true).describe("NLB: cross-zone load balancing (an ALB always balances across zones)."),
  accessLogs: AccessLogsConfigSchema.nullable().optional().describe("Access logs to a bucket created for them; `null` for none. AWS writes an NLB's access logs only for a TLS listener, so a TCP-passthrough NLB has none. Default: outside dev `{}` (an ALB, or an NLB with TLS on); in dev none."),
});
export type LoadBalancerConfig = z.infer<typeof LoadBalancerConfigSchema>;

/**
 * Whom an ALB admits: `ingressFrom` as set, else `cloudfront` when it is the origin of a
 * CloudFront distribution's default behaviour (`behindCdn`), else `cidrs`.
 */
export function albIngressFrom(lb: Pick<LoadBalancerConfig, "ingressFrom">, behindCdn: boolean): "cidrs" | "cloudfront" {
  return lb.ingressFrom ?? (behindCdn ? "cloudfront" : "cidrs");
}
export type LoadBalancerConfigInput = z.input<typeof LoadBalancerConfigSchema>;
export type AccessLogsConfig = z.infer<typeof AccessLogsConfigSchema>;

/** The access logs a load balancer keeps in `environment`: the setting, else the environment's default. */
export function loadBalancerAccessLogs(lb: LoadBalancerConfig, environment: string): AccessLogsConfig | null {
  if (lb.accessLogs !== undefined) return lb.accessLogs;
  if (environment === "dev" || (lb.type === "nlb" && !lb.tls.enabled)) return null;
  return AccessLogsConfigSchema.parse({});
}

/** Whether a target group keeps sessions: `stickiness.enabled` as set, else on behind an ALB (`HTTP`), off behind an NLB (`TCP`). */
export function stickinessEnabledOf(targetGroup: Pick<TargetGroupConfig, "stickiness">, protocol: "HTTP" | "TCP"): boolean {
  return targetGroup.stickiness.enabled ?? protocol === "HTTP";
}

/** The success codes of an HTTP health check: `healthCheck.matcher` as set, else "12" (gRPC OK..UNIMPLEMENTED) for gRPC, "200" otherwise. */
export function healthCheckMatcherOf(targetGroup: Pick<TargetGroupConfig, "healthCheck" | "protocolVersion">): string {
  return targetGroup.healthCheck.matcher ?? (targetGroup.protocolVersion === "GRPC" ? "12" : "200");
}

/** The access-log bucket's name: `bucketName` as set, else `<project>-<environment>-lb-logs-<region>` (a default derived from the naming and region). */
export function accessLogBucketNameOf(naming: Naming, logs: Pick<AccessLogsConfig, "bucketName">, region: string): string {
  return logs.bucketName ?? naming.name("s3Bucket", "lb-logs", region);
}
