import { Construct } from "constructs";
import { AutoscalingPolicy } from "@cdktf/provider-aws/lib/autoscaling-policy";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { ConfigError } from "../../lib/errors";

/** Step scaling on average CPU: MueJam's +2 above 70 %, -1 below 30 %, over 4 minutes. */
export interface StepScalingProps {
  readonly scaleOut: { readonly cpuAbove: number; readonly adjustment: number };
  readonly scaleIn: { readonly cpuBelow: number; readonly adjustment: number };
  /** @default 60 */
  readonly periodSeconds?: number;
  /** @default 4 */
  readonly evaluationPeriods?: number;
  /** Seconds between scaling actions, applied as the policies' instance warm-up. @default 300 */
  readonly cooldownSeconds?: number;
}

export interface ScalingPoliciesProps {
  /** The group's name (a literal: it names the policies and alarms). */
  readonly groupName: string;
  /** The group's name as Terraform sees it (a reference, so policies depend on the group). */
  readonly groupRef: string;
  /** Step scaling with its two alarms. @default none */
  readonly step?: StepScalingProps;
  /** Target tracking on average CPU, in %. @default none */
  readonly cpuTarget?: number;
  /** Target tracking on ALB requests per target per minute, with its `<alb arn_suffix>/<tg arn_suffix>` label. @default none */
  readonly requestCountPerTarget?: { readonly targetValue: number; readonly resourceLabel: string };
}

/** The policies and alarms created for a group, by kind. */
export interface ScalingPolicies {
  readonly scaleOut?: AutoscalingPolicy;
  readonly scaleIn?: AutoscalingPolicy;
  readonly scaleOutAlarm?: CloudwatchMetricAlarm;
  readonly scaleInAlarm?: CloudwatchMetricAlarm;
  readonly cpuTarget?: AutoscalingPolicy;
  readonly requestCountTarget?: AutoscalingPolicy;
}

/**
 * Adds scaling policies to a group: step scaling driven by two CloudWatch alarms on the
 * group's average CPU, and/or target tracking on CPU and on ALB requests per target.
 *
 * The step policies' steps start at their alarm's threshold (lower bound 0 above it, upper
 * bound 0 below it). AWS ignores `cooldown` on step policies; the cooldown is applied as the
 * policies' estimated instance warm-up, during which new instances do not count toward the
 * metric, so a breach that persists cannot add instances again until they have warmed up.
 */
export function addScalingPolicies(scope: Construct, props: ScalingPoliciesProps): ScalingPolicies {
  const result: { -readonly [K in keyof ScalingPolicies]: ScalingPolicies[K] } = {};
  const step = props.step;
  if (step) {
    if (step.scaleIn.cpuBelow >= step.scaleOut.cpuAbove) {
      throw new ConfigError("scaling.step.scaleIn.cpuBelow", step.scaleIn.cpuBelow, `overlaps the scale-out threshold (${step.scaleOut.cpuAbove})`, `use a value below ${step.scaleOut.cpuAbove}`);
    }
    const period = step.periodSeconds ?? 60;
    const periods = step.evaluationPeriods ?? 4;
    const minutes = (period * periods) / 60;
    const warmup = step.cooldownSeconds ?? 300;
    const alarm = (id: string, direction: "out" | "in", threshold: number, policy: AutoscalingPolicy, describe: string) =>
      new CloudwatchMetricAlarm(scope, id, {
        alarmName: `${props.groupName}-scale-${direction}-cpu`,
        alarmDescription: `Scale ${direction}: ${describe}`,
        namespace: "AWS/EC2",
        metricName: "CPUUtilization",
        statistic: "Average",
        dimensions: { AutoScalingGroupName: props.groupRef },
        period,
        evaluationPeriods: periods,
        threshold,
        comparisonOperator: direction === "out" ? "GreaterThanThreshold" : "LessThanThreshold",
        treatMissingData: "missing",
        alarmActions: [policy.arn],
      });

    result.scaleOut = new AutoscalingPolicy(scope, "scale_out", {
      name: `${props.groupName}-scale-out`,
      autoscalingGroupName: props.groupRef,
      policyType: "StepScaling",
      adjustmentType: "ChangeInCapacity",
      metricAggregationType: "Average",
      estimatedInstanceWarmup: warmup,
      stepAdjustment: [{ scalingAdjustment: step.scaleOut.adjustment, metricIntervalLowerBound: "0" }],
    });
    result.scaleOutAlarm = alarm(
      "scale_out_alarm",
      "out",
      step.scaleOut.cpuAbove,
      result.scaleOut,
      `add ${step.scaleOut.adjustment} when average CPU > ${step.scaleOut.cpuAbove} % for ${minutes} minutes`,
    );
    result.scaleIn = new AutoscalingPolicy(scope, "scale_in", {
      name: `${props.groupName}-scale-in`,
      autoscalingGroupName: props.groupRef,
      policyType: "StepScaling",
      adjustmentType: "ChangeInCapacity",
      metricAggregationType: "Average",
      estimatedInstanceWarmup: warmup,
      stepAdjustment: [{ scalingAdjustment: step.scaleIn.adjustment, metricIntervalUpperBound: "0" }],
    });
    result.scaleInAlarm = alarm(
      "scale_in_alarm",
      "in",
      step.scaleIn.cpuBelow,
      result.scaleIn,
      `remove ${-step.scaleIn.adjustment} when average CPU < ${step.scaleIn.cpuBelow} % for ${minutes} minutes`,
    );
  }
  if (props.cpuTarget !== undefined) {
    result.cpuTarget = new AutoscalingPolicy(scope, "target_cpu", {
      name: `${props.groupName}-target-cpu`,
      autoscalingGroupName: props.groupRef,
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
        targetValue: props.cpuTarget,
      },
    });
  }
  if (props.requestCountPerTarget) {
    result.requestCountTarget = new AutoscalingPolicy(scope, "target_requests", {
      name: `${props.groupName}-target-requests`,
      autoscalingGroupName: props.groupRef,
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: {
        predefinedMetricSpecification: {
          predefinedMetricType: "ALBRequestCountPerTarget",
          resourceLabel: props.requestCountPerTarget.resourceLabel,
        },
        targetValue: props.requestCountPerTarget.targetValue,
      },
    });
  }
  return result;
}
