import { Construct } from "constructs";
import { AutoscalingPolicy } from "@cdktf/provider-aws/lib/autoscaling-policy";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { StepScalingConfig } from "./settings";

/** Step scaling on average CPU, as the schema parsed it (its defaults are MueJam's: +2 above 70 %, -1 below 30 %, over 4 minutes). */
export type StepScalingProps = StepScalingConfig;

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
  return {
    ...(props.step ? scaleOnCpuSteps(scope, props, props.step) : {}),
    ...(props.cpuTarget !== undefined ? { cpuTarget: scaleOnCpu(scope, props, props.cpuTarget) } : {}),
    ...(props.requestCountPerTarget ? { requestCountTarget: scaleOnRequests(scope, props, props.requestCountPerTarget) } : {}),
  };
}

type StepScaling = NonNullable<ScalingPoliciesProps["step"]>;

/** Step scaling: a scale-out and a scale-in policy, each driven by an alarm on the group's average CPU. */
function scaleOnCpuSteps(scope: Construct, props: ScalingPoliciesProps, step: StepScaling): Pick<ScalingPolicies, "scaleOut" | "scaleOutAlarm" | "scaleIn" | "scaleInAlarm"> {
  const minutes = (step.periodSeconds * step.evaluationPeriods) / 60;
  const scaleOut = stepPolicy(scope, props, step, "out", { scalingAdjustment: step.scaleOut.adjustment, metricIntervalLowerBound: "0" });
  const scaleOutAlarm = cpuAlarm(scope, props, step, "out", step.scaleOut.cpuAbove, scaleOut, `add ${step.scaleOut.adjustment} when average CPU > ${step.scaleOut.cpuAbove} % for ${minutes} minutes`);
  const scaleIn = stepPolicy(scope, props, step, "in", { scalingAdjustment: step.scaleIn.adjustment, metricIntervalUpperBound: "0" });
  const scaleInAlarm = cpuAlarm(scope, props, step, "in", step.scaleIn.cpuBelow, scaleIn, `remove ${-step.scaleIn.adjustment} when average CPU < ${step.scaleIn.cpuBelow} % for ${minutes} minutes`);
  return { scaleOut, scaleOutAlarm, scaleIn, scaleInAlarm };
}

function stepPolicy(scope: Construct, props: ScalingPoliciesProps, step: StepScaling, direction: "out" | "in", adjustment: { scalingAdjustment: number; metricIntervalLowerBound?: string; metricIntervalUpperBound?: string }): AutoscalingPolicy {
  return new AutoscalingPolicy(scope, `scale_${direction}`, {
    name: `${props.groupName}-scale-${direction}`,
    autoscalingGroupName: props.groupRef,
    policyType: "StepScaling",
    adjustmentType: "ChangeInCapacity",
    metricAggregationType: "Average",
    estimatedInstanceWarmup: step.cooldownSeconds,
    stepAdjustment: [adjustment],
  });
}

function cpuAlarm(scope: Construct, props: ScalingPoliciesProps, step: StepScaling, direction: "out" | "in", threshold: number, policy: AutoscalingPolicy, describe: string): CloudwatchMetricAlarm {
  return new CloudwatchMetricAlarm(scope, `scale_${direction}_alarm`, {
    alarmName: `${props.groupName}-scale-${direction}-cpu`,
    alarmDescription: `Scale ${direction}: ${describe}`,
    namespace: "AWS/EC2",
    metricName: "CPUUtilization",
    statistic: "Average",
    dimensions: { AutoScalingGroupName: props.groupRef },
    period: step.periodSeconds,
    evaluationPeriods: step.evaluationPeriods,
    threshold,
    comparisonOperator: direction === "out" ? "GreaterThanThreshold" : "LessThanThreshold",
    treatMissingData: "missing",
    alarmActions: [policy.arn],
  });
}

/** Target tracking on the group's average CPU. */
function scaleOnCpu(scope: Construct, props: ScalingPoliciesProps, targetValue: number): AutoscalingPolicy {
  return new AutoscalingPolicy(scope, "target_cpu", {
    name: `${props.groupName}-target-cpu`,
    autoscalingGroupName: props.groupRef,
    policyType: "TargetTrackingScaling",
    targetTrackingConfiguration: { predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" }, targetValue },
  });
}

/** Target tracking on the ALB's requests per target. */
function scaleOnRequests(scope: Construct, props: ScalingPoliciesProps, target: NonNullable<ScalingPoliciesProps["requestCountPerTarget"]>): AutoscalingPolicy {
  return new AutoscalingPolicy(scope, "target_requests", {
    name: `${props.groupName}-target-requests`,
    autoscalingGroupName: props.groupRef,
    policyType: "TargetTrackingScaling",
    targetTrackingConfiguration: {
      predefinedMetricSpecification: { predefinedMetricType: "ALBRequestCountPerTarget", resourceLabel: target.resourceLabel },
      targetValue: target.targetValue,
    },
  });
}
