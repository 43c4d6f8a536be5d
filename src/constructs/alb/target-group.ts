import { Construct } from "constructs";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { ConfigError } from "../../lib/errors";
import { checkName } from "../../lib/naming";
import { healthCheckMatcherOf, stickinessEnabledOf, TargetGroupConfig } from "./settings";

/** Which target group of a service: its only one, or one per color in weighted blue-green. */
export type TargetGroupKey = "default" | "blue" | "green";

/**
 * A target group's settings, parsed: a service's `targetGroup` settings, whose schema
 * (./settings.ts) declares each default once; the name is given apart.
 */
export type TargetGroupSettings = Omit<TargetGroupConfig, "name">;

export interface AppTargetGroupProps {
  /** At most 32 characters. */
  readonly name: string;
  readonly vpcId: string;
  /** The instances' port. */
  readonly port: number;
  /** `HTTP` behind an ALB, `TCP` behind an NLB. */
  readonly protocol: "HTTP" | "TCP";
  /** Protocol version (HTTP only), health check, stickiness (lb_cookie for HTTP, source_ip for TCP), connection draining. */
  readonly settings: TargetGroupSettings;
}

/**
 * The target group of an auto scaling group: instance targets on the app port, health
 * checked on the traffic port (`/health` over HTTP, or a TCP connect), with connection
 * draining and, on HTTP, load-balancer-cookie stickiness. The schema's defaults are MueJam's numbers.
 *
 * A new port, protocol or protocol version replaces the group. It is created before the old
 * one is deleted: deleted first, the old group is still a listener's target, and ELB refuses
 * (`ResourceInUse`) until the provider gives up, on every apply. Created first, it needs a name
 * of its own: ELB refuses a second group of the same name, before anything is deleted, so the
 * change comes with a new `name` (docs/compute.md; `npm run review` says so on the plan).
 */
export function appTargetGroup(scope: Construct, id: string, props: AppTargetGroupProps): LbTargetGroup {
  checkName("targetGroup", props.name, "targetGroup.name");
  if (!Number.isInteger(props.port) || props.port < 1 || props.port > 65535) {
    throw new ConfigError("port", props.port, "is not a port number; ports are 1 to 65535", "use a whole number from 1 to 65535");
  }
  const settings = props.settings;
  const hc = settings.healthCheck;
  const http = props.protocol === "HTTP";
  const sticky = stickinessEnabledOf(settings, props.protocol);
  return new LbTargetGroup(scope, id, {
    name: props.name,
    vpcId: props.vpcId,
    port: props.port,
    protocol: props.protocol,
    protocolVersion: http ? settings.protocolVersion : undefined,
    targetType: "instance",
    deregistrationDelay: String(settings.deregistrationDelaySeconds),
    healthCheck: {
      enabled: true,
      protocol: props.protocol,
      port: "traffic-port",
      path: http ? hc.path : undefined,
      matcher: http ? healthCheckMatcherOf(settings) : undefined,
      interval: hc.intervalSeconds,
      timeout: hc.timeoutSeconds,
      healthyThreshold: hc.healthyThreshold,
      unhealthyThreshold: hc.unhealthyThreshold,
    },
    stickiness: http
      ? { type: "lb_cookie", enabled: sticky, cookieDuration: settings.stickiness.durationSeconds }
      : { type: "source_ip", enabled: sticky },
    tags: { Name: props.name },
    lifecycle: { createBeforeDestroy: true },
  });
}
