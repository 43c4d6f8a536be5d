import { Construct } from "constructs";
import { Fn, TerraformLocal, Token } from "cdktf";
import { AutoscalingGroup, AutoscalingGroupTag } from "@cdktf/provider-aws/lib/autoscaling-group";
import { AutoscalingSchedule } from "@cdktf/provider-aws/lib/autoscaling-schedule";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { addScalingPolicies, ScalingPolicies, StepScalingProps } from "./scaling";

/** Spot capacity through a mixed instances policy. */
export interface FleetSpot {
  /** @default 0 */
  readonly onDemandBaseCapacity?: number;
  /** @default 0 */
  readonly onDemandPercentageAboveBaseCapacity?: number;
  /** @default "price-capacity-optimized" */
  readonly allocationStrategy?: string;
  /** Types beside the fleet's own. @default [] */
  readonly instanceTypes?: readonly string[];
}

/** A scheduled action; unset sizes stay as they are. */
export interface FleetSchedule {
  readonly recurrence: string;
  /** @default "UTC" */
  readonly timeZone?: string;
  readonly minSize?: number;
  readonly maxSize?: number;
  readonly desiredCapacity?: number;
}

export interface FleetProps {
  /** The group's and launch template's name. */
  readonly name: string;
  /** What the instances are, for descriptions. */
  readonly description: string;
  readonly imageId: string;
  readonly instanceType: string;
  /** gp3, always encrypted. */
  readonly rootVolumeSizeGb: number;
  /** @default the account's default EBS key */
  readonly rootVolumeKmsKeyArn?: string;
  /** The AMI's root device. @default "/dev/xvda" (Amazon Linux) */
  readonly rootDeviceName?: string;
  /** IMDSv2 hop limit. @default 1 */
  readonly metadataHopLimit?: number;
  readonly instanceProfileArn: string;
  readonly securityGroupIds: string[];
  /** The private subnets. */
  readonly subnetIds: string[];
  /**
   * The boot script. It is written into the stack as a local, one list item per line, and
   * given to the launch template base64-encoded by Terraform: a reviewer of the synthesized
   * JSON sees a changed line, not a changed blob.
   */
  readonly bootScript: string;
  readonly minSize: number;
  readonly maxSize: number;
  /** Set at creation only; scaling owns it afterwards (`ignore_changes`). */
  readonly desiredCapacity: number;
  /** Tags propagated to the instances (and set on their volumes). */
  readonly tags: Readonly<Record<string, string>>;
  /** The target group to register in; the group then uses ELB health checks. @default none (EC2 health checks) */
  readonly targetGroupArn?: string;
  /** @default 300 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** @default 50 */
  readonly minHealthyPercentage?: number;
  /** Seconds a new instance warms up (instance refresh, default warm-up). @default the grace period */
  readonly instanceWarmupSeconds?: number;
  /** @default on-demand only */
  readonly spot?: FleetSpot;
  /** @default true with Spot */
  readonly capacityRebalance?: boolean;
  /** Scheduled actions by name. @default none */
  readonly schedules?: Readonly<Record<string, FleetSchedule>>;
  readonly step?: StepScalingProps;
  readonly cpuTarget?: number;
  readonly requestCountPerTarget?: { readonly targetValue: number; readonly resourceLabel: string };
  /** An alarm on average CPU above this %. @default none */
  readonly highCpuAlarm?: { readonly thresholdPercent: number; readonly periodSeconds: number; readonly evaluationPeriods: number };
  /** SNS topic the high-CPU alarm notifies. @default none */
  readonly alarmTopicArn?: string;
}

const GROUP_METRICS = [
  "GroupMinSize",
  "GroupMaxSize",
  "GroupDesiredCapacity",
  "GroupInServiceInstances",
  "GroupPendingInstances",
  "GroupStandbyInstances",
  "GroupTerminatingInstances",
  "GroupTotalInstances",
];

/**
 * One auto scaling group and its launch template, created directly in `scope` (so a single
 * group reads `aws_autoscaling_group.<service>_asg`, and a blue-green color
 * `aws_autoscaling_group.<service>_blue_asg`).
 *
 * Launch template: IMDSv2 required, encrypted gp3 root volume, no public IP, detailed
 * monitoring, instance profile, `update_default_version`. Group: private subnets,
 * `desired_capacity` ignored after creation, rolling instance refresh whenever the launch
 * template changes (the group follows its latest version), group metrics, propagated tags.
 */
export class Fleet {
  public readonly launchTemplate: LaunchTemplate;
  public readonly group: AutoscalingGroup;
  public readonly scaling: ScalingPolicies;
  public readonly highCpuAlarm?: CloudwatchMetricAlarm;

  constructor(scope: Construct, props: FleetProps) {
    const tags = Object.entries(props.tags).sort(([a], [b]) => a.localeCompare(b));
    this.launchTemplate = addLaunchTemplate(scope, props, tags);
    this.group = addGroup(scope, props, this.launchTemplate, tags);
    scaleOnSchedule(scope, this.group, props.schedules ?? {});
    this.scaling = addScalingPolicies(scope, {
      groupName: props.name,
      groupRef: this.group.name,
      step: props.step,
      cpuTarget: props.cpuTarget,
      requestCountPerTarget: props.requestCountPerTarget,
    });
    if (props.highCpuAlarm) this.highCpuAlarm = addHighCpuAlarm(scope, props, props.highCpuAlarm, this.group);
  }
}

/** The launch template: IMDSv2 required, encrypted gp3 root volume, no public IP, detailed monitoring. */
function addLaunchTemplate(scope: Construct, props: FleetProps, tags: [string, string][]): LaunchTemplate {
  return new LaunchTemplate(scope, "launch_template", {
    name: props.name,
    description: props.description,
    updateDefaultVersion: true,
    imageId: props.imageId,
    instanceType: props.instanceType,
    iamInstanceProfile: { arn: props.instanceProfileArn },
    userData: userDataOf(scope, props.bootScript),
    monitoring: { enabled: true },
    metadataOptions: {
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: props.metadataHopLimit ?? 1,
    },
    networkInterfaces: [
      {
        deviceIndex: 0,
        associatePublicIpAddress: "false",
        deleteOnTermination: "true",
        securityGroups: props.securityGroupIds,
      },
    ],
    blockDeviceMappings: [
      {
        deviceName: props.rootDeviceName ?? "/dev/xvda",
        ebs: {
          volumeSize: props.rootVolumeSizeGb,
          volumeType: "gp3",
          encrypted: "true",
          kmsKeyId: props.rootVolumeKmsKeyArn,
          deleteOnTermination: "true",
        },
      },
    ],
    tagSpecifications: [{ resourceType: "volume", tags: Object.fromEntries(tags) }],
    tags: { Name: props.name },
  });
}

/**
 * The group: on the template's latest version (or a Spot mix of it), `desired_capacity`
 * ignored after creation, a rolling instance refresh on every template change, group metrics.
 */
function addGroup(scope: Construct, props: FleetProps, launchTemplate: LaunchTemplate, tags: [string, string][]): AutoscalingGroup {
  const version = Token.asString(launchTemplate.latestVersion);
  const warmup = props.instanceWarmupSeconds ?? props.healthCheckGracePeriodSeconds ?? 300;
  return new AutoscalingGroup(scope, "asg", {
    name: props.name,
    minSize: props.minSize,
    maxSize: props.maxSize,
    desiredCapacity: props.desiredCapacity,
    vpcZoneIdentifier: props.subnetIds,
    targetGroupArns: props.targetGroupArn ? [props.targetGroupArn] : undefined,
    healthCheckType: props.targetGroupArn ? "ELB" : "EC2",
    healthCheckGracePeriod: props.healthCheckGracePeriodSeconds ?? 300,
    defaultCooldown: props.step?.cooldownSeconds ?? 300,
    defaultInstanceWarmup: warmup,
    launchTemplate: props.spot ? undefined : { id: launchTemplate.id, version },
    mixedInstancesPolicy: props.spot ? spotMix(props, props.spot, launchTemplate.id, version) : undefined,
    capacityRebalance: props.capacityRebalance ?? props.spot !== undefined,
    instanceRefresh: {
      strategy: "Rolling",
      preferences: { minHealthyPercentage: props.minHealthyPercentage ?? 50, instanceWarmup: String(warmup) },
    },
    enabledMetrics: GROUP_METRICS,
    metricsGranularity: "1Minute",
    tag: tags.map(([key, value]): AutoscalingGroupTag => ({ key, value, propagateAtLaunch: true })),
    lifecycle: { ignoreChanges: ["desired_capacity"] },
  });
}

/** Spot instances of the template's type and the alternatives, above an optional on-demand base. */
function spotMix(props: FleetProps, spot: NonNullable<FleetProps["spot"]>, launchTemplateId: string, version: string) {
  return {
    instancesDistribution: {
      onDemandBaseCapacity: spot.onDemandBaseCapacity ?? 0,
      onDemandPercentageAboveBaseCapacity: spot.onDemandPercentageAboveBaseCapacity ?? 0,
      spotAllocationStrategy: spot.allocationStrategy ?? "price-capacity-optimized",
    },
    launchTemplate: {
      launchTemplateSpecification: { launchTemplateId, version },
      override: [props.instanceType, ...(spot.instanceTypes ?? []).filter((t) => t !== props.instanceType)].map((instanceType) => ({ instanceType })),
    },
  };
}

/** Scheduled actions on the group, by name. */
function scaleOnSchedule(scope: Construct, group: AutoscalingGroup, schedules: NonNullable<FleetProps["schedules"]>): void {
  for (const [name, schedule] of Object.entries(schedules).sort(([a], [b]) => a.localeCompare(b))) {
    new AutoscalingSchedule(scope, `schedule_${name}`, {
      scheduledActionName: name,
      autoscalingGroupName: group.name,
      recurrence: schedule.recurrence,
      timeZone: schedule.timeZone ?? "UTC",
      // -1 is the API's "leave unchanged"; an omitted size would be sent as 0.
      minSize: schedule.minSize ?? -1,
      maxSize: schedule.maxSize ?? -1,
      desiredCapacity: schedule.desiredCapacity ?? -1,
    });
  }
}

/** An alarm on the group's average CPU, to the alarm topic. */
function addHighCpuAlarm(scope: Construct, props: FleetProps, a: NonNullable<FleetProps["highCpuAlarm"]>, group: AutoscalingGroup): CloudwatchMetricAlarm {
  const topics = props.alarmTopicArn ? [props.alarmTopicArn] : undefined;
  return new CloudwatchMetricAlarm(scope, "high_cpu", {
    alarmName: `${props.name}-high-cpu`,
    alarmDescription: `${props.description}: average CPU above ${a.thresholdPercent} % for ${(a.periodSeconds * a.evaluationPeriods) / 60} minutes`,
    namespace: "AWS/EC2",
    metricName: "CPUUtilization",
    statistic: "Average",
    dimensions: { AutoScalingGroupName: group.name },
    period: a.periodSeconds,
    evaluationPeriods: a.evaluationPeriods,
    threshold: a.thresholdPercent,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "missing",
    alarmActions: topics,
    okActions: topics,
  });
}

/**
 * `base64encode(join("\n", local.<scope>_user_data))`, the local holding the script's lines.
 * Terraform would read `${` and `%{` in a line as a template; they are escaped, so the
 * encoded value is the script byte for byte.
 */
function userDataOf(scope: Construct, script: string): string {
  const lines = script.split("\n").map((line) => line.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{"));
  const local = new TerraformLocal(scope, "user_data", lines);
  return Fn.base64encode(Fn.join("\n", local.asList));
}
