import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { TargetGroupKey } from "./target-group";

/** What a load balancer offers the auto scaling groups behind it. */
export interface ILoadBalancer {
  /** `alb` or `nlb`. */
  readonly type: "alb" | "nlb";
  /** The load balancer's security group; instances open their port to it only. */
  readonly securityGroupId: string;
  /** `app/<name>/<id>` or `net/<name>/<id>`: half of ALBRequestCountPerTarget's resource label. */
  readonly arnSuffix: string;
  /** The port the target groups send to. */
  readonly targetPort: number;
  /** The target group of `key`; fails if the load balancer has none by that key. */
  targetGroup(key: TargetGroupKey): LbTargetGroup;
}

/** Returns the target group of `key` from `groups`, or fails naming what exists. */
export function pickTargetGroup(owner: string, groups: Readonly<Partial<Record<TargetGroupKey, LbTargetGroup>>>, key: TargetGroupKey): LbTargetGroup {
  const group = groups[key];
  if (!group) throw new Error(`${owner} has no "${key}" target group (it has ${Object.keys(groups).join(", ")})`);
  return group;
}
