import { Construct } from "constructs";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { ConfigError } from "../../lib/errors";
import { checkNameLength } from "../../lib/naming";

/** Which target group of a service: its only one, or one per color in weighted blue-green. */
export type TargetGroupKey = "default" | "blue" | "green";

/** A target group's health check. */
export interface TargetHealthCheck {
  /** HTTP only. @default "/health" */
  readonly path?: string;
  /** @default 30 */
  readonly intervalSeconds?: number;
  /** @default 5 */
  readonly timeoutSeconds?: number;
  /** @default 2 */
  readonly healthyThreshold?: number;
  /** @default 3 */
  readonly unhealthyThreshold?: number;
  /** HTTP only. @default "200", or "12" for gRPC */
  readonly matcher?: string;
}

export interface AppTargetGroupProps {
  /** At most 32 characters. */
  readonly name: string;
  readonly vpcId: string;
  /** The instances' port. */
  readonly port: number;
  /** `HTTP` behind an ALB, `TCP` behind an NLB. */
  readonly protocol: "HTTP" | "TCP";
  /** HTTP only. @default "HTTP1" */
  readonly protocolVersion?: "HTTP1" | "HTTP2" | "GRPC";
  /** @default MueJam's numbers: /health, 30 s, 5 s, 2, 3, 200 */
  readonly healthCheck?: TargetHealthCheck;
  /** Affinity: lb_cookie for HTTP, source_ip for TCP. @default on for HTTP (one day), off for TCP */
  readonly stickiness?: { readonly enabled?: boolean; readonly durationSeconds?: number };
  /** Connection draining, in seconds. @default 60 */
  readonly deregistrationDelaySeconds?: number;
}

/**
 * The target group of an auto scaling group: instance targets on the app port, health
 * checked on the traffic port (`/health` over HTTP, or a TCP connect), with connection
 * draining and, on HTTP, load-balancer-cookie stickiness. The numbers default to MueJam's.
 */
export function appTargetGroup(scope: Construct, id: string, props: AppTargetGroupProps): LbTargetGroup {
  checkNameLength("targetGroup", props.name, "targetGroup.name");
  if (!Number.isInteger(props.port) || props.port < 1 || props.port > 65535) {
    throw new ConfigError("port", props.port, "is not a port number; ports are 1 to 65535", "use a whole number from 1 to 65535");
  }
  const hc = props.healthCheck ?? {};
  const http = props.protocol === "HTTP";
  const version = http ? (props.protocolVersion ?? "HTTP1") : undefined;
  const sticky = props.stickiness?.enabled ?? http;
  return new LbTargetGroup(scope, id, {
    name: props.name,
    vpcId: props.vpcId,
    port: props.port,
    protocol: props.protocol,
    protocolVersion: version,
    targetType: "instance",
    deregistrationDelay: String(props.deregistrationDelaySeconds ?? 60),
    healthCheck: {
      enabled: true,
      protocol: props.protocol,
      port: "traffic-port",
      path: http ? (hc.path ?? "/health") : undefined,
      matcher: http ? (hc.matcher ?? (version === "GRPC" ? "12" : "200")) : undefined,
      interval: hc.intervalSeconds ?? 30,
      timeout: hc.timeoutSeconds ?? 5,
      healthyThreshold: hc.healthyThreshold ?? 2,
      unhealthyThreshold: hc.unhealthyThreshold ?? 3,
    },
    stickiness: http
      ? { type: "lb_cookie", enabled: sticky, cookieDuration: props.stickiness?.durationSeconds ?? 86400 }
      : { type: "source_ip", enabled: sticky },
    tags: { Name: props.name },
  });
}
