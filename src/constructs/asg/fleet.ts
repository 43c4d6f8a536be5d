import { Construct } from "constructs";
import { Fn, TerraformLocal, Token } from "cdktf";
import { AutoscalingGroup, AutoscalingGroupTag } from "@cdktf/provider-aws/lib/autoscaling-group";
import { AutoscalingSchedule } from "@cdktf/provider-aws/lib/autoscaling-schedule";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { KmsGrant } from "@cdktf/provider-aws/lib/kms-grant";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { accountIdOf } from "../../lib/arn";
import { addScalingPolicies, ScalingPolicies } from "./scaling";
import { ServiceConfig } from "./settings";

/**
 * The settings of a service that each of its groups reads, as the schema parsed them: every
 * default is the schema's (./settings.ts), none is repeated here.
 */
export type FleetSettings = Pick<
  ServiceConfig,
  | "app"
  | "imageId"
  | "instanceType"
  | "rootVolumeSizeGb"
  | "rootVolumeKmsKeyArn"
  | "metadataHopLimit"
  | "healthCheckGracePeriodSeconds"
  | "instanceRefresh"
  | "spot"
  | "capacityRebalance"
  | "maxInstanceLifetimeDays"
  | "schedules"
  | "scaling"
  | "highCpuAlarm"
>;

export interface FleetProps {
  /** The service's settings this group reads. */
  readonly settings: FleetSettings;
  /** The group's and launch template's name. */
  readonly name: string;
  /** What the instances are, for descriptions. */
  readonly description: string;
  /** The AMI's root device. @default "/dev/xvda" (Amazon Linux) */
  readonly rootDeviceName?: string;
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
  /** This group's capacity (a blue-green color's own, over the service's). */
  readonly minSize: number;
  readonly maxSize: number;
  /** Set at creation only; scaling owns it afterwards (`ignore_changes`). */
  readonly desiredCapacity: number;
  /** Tags propagated to the instances (and set on their volumes). */
  readonly tags: Readonly<Record<string, string>>;
  /** The target group to register in; the group then uses ELB health checks. @default none (EC2 health checks) */
  readonly targetGroupArn?: string;
  /**
   * `<alb arn_suffix>/<target group arn_suffix>`, the label of request-count target tracking
   * (`scaling.targetTracking.requestCountPerTarget`). @default none (that policy needs an ALB target group)
   */
  readonly requestCountResourceLabel?: string;
  /** SNS topic the high-CPU alarm notifies. @default none */
  readonly alarmTopicArn?: string;
  /**
   * Where the group is: its partition, and its account when the configuration names it (else
   * the account in the launch template's ARN, known after apply). For Auto Scaling's
   * service-linked role, which a customer key of the root volume is granted to.
   */
  readonly account: { readonly partition: string; readonly id?: string };
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
 * Launch template: IMDSv2 required, encrypted gp3 root volume (with a customer key, granted
 * to Auto Scaling before the group exists), no public IP, detailed
 * monitoring, instance profile, `update_default_version`. Group: private subnets,
 * `desired_capacity` ignored after creation, rolling instance refresh whenever the launch
 * template changes (the group follows its latest version), group metrics, propagated tags.
 */
export class Fleet {
  public readonly launchTemplate: LaunchTemplate;
  public readonly group: AutoscalingGroup;
  public readonly scaling: ScalingPolicies;
  public readonly highCpuAlarm?: CloudwatchMetricAlarm;
  /** The grant that lets Auto Scaling use `rootVolumeKmsKeyArn` (only with that key). */
  public readonly rootVolumeKeyGrant?: KmsGrant;

  constructor(scope: Construct, props: FleetProps) {
    const tags = Object.entries(props.tags).sort(([a], [b]) => a.localeCompare(b));
    this.launchTemplate = addLaunchTemplate(scope, props, tags);
    const key = props.settings.rootVolumeKmsKeyArn;
    if (key) this.rootVolumeKeyGrant = grantRootVolumeKey(scope, props, key, this.launchTemplate);
    // Instances launch as soon as the group exists: the grant must be there first.
    this.group = addGroup(scope, props, this.launchTemplate, tags, this.rootVolumeKeyGrant);
    const { scaling, highCpuAlarm } = props.settings;
    scaleOnSchedule(scope, this.group, props.settings.schedules);
    const requests = scaling.targetTracking.requestCountPerTarget;
    this.scaling = addScalingPolicies(scope, {
      groupName: props.name,
      groupRef: this.group.name,
      step: scaling.step ?? undefined,
      cpuTarget: scaling.targetTracking.cpu?.targetValue,
      requestCountPerTarget: requests && props.requestCountResourceLabel ? { targetValue: requests.targetValue, resourceLabel: props.requestCountResourceLabel } : undefined,
    });
    if (highCpuAlarm) this.highCpuAlarm = addHighCpuAlarm(scope, props, highCpuAlarm, this.group);
  }
}

/** The launch template: IMDSv2 required, encrypted gp3 root volume, no public IP, detailed monitoring. */
function addLaunchTemplate(scope: Construct, props: FleetProps, tags: [string, string][]): LaunchTemplate {
  const s = props.settings;
  return new LaunchTemplate(scope, "launch_template", {
    name: props.name,
    description: props.description,
    updateDefaultVersion: true,
    imageId: s.imageId,
    instanceType: s.instanceType,
    iamInstanceProfile: { arn: props.instanceProfileArn },
    userData: userDataOf(scope, props.bootScript),
    monitoring: { enabled: true },
    metadataOptions: {
      httpEndpoint: "enabled",
      httpTokens: "required",
      // Containers are one hop further from the instance metadata service than the host.
      httpPutResponseHopLimit: s.metadataHopLimit ?? (s.app.type === "container" ? 2 : 1),
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
          volumeSize: s.rootVolumeSizeGb,
          volumeType: "gp3",
          encrypted: "true",
          kmsKeyId: s.rootVolumeKmsKeyArn,
          deleteOnTermination: "true",
        },
      },
    ],
    tagSpecifications: [{ resourceType: "volume", tags: Object.fromEntries(tags) }],
    tags: { Name: props.name },
  });
}

/** What Auto Scaling does with a customer key to launch instances with volumes it encrypts (AWS's key-policy guide for Auto Scaling). */
const ROOT_VOLUME_KEY_OPERATIONS = ["Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "DescribeKey", "CreateGrant"];

/**
 * A grant on the customer key of the root volume to Auto Scaling's service-linked role
 * (`AWSServiceRoleForAutoScaling`, AWS's, in the group's account), which launches the
 * instances: its permissions cover AWS managed keys only, and without the grant (or a key
 * policy naming it) every launch fails with `Client.InternalError`. A grant works for a key
 * of another account too, where that key's policy lets this account create, list and revoke
 * grants; a key policy statement there would not.
 */
function grantRootVolumeKey(scope: Construct, props: FleetProps, keyArn: string, launchTemplate: LaunchTemplate): KmsGrant {
  const account = props.account.id ?? accountIdOf(launchTemplate.arn);
  return new KmsGrant(scope, "root_volume_key_grant", {
    name: `${props.name}-root-volume`,
    keyId: keyArn,
    granteePrincipal: `arn:${props.account.partition}:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    operations: ROOT_VOLUME_KEY_OPERATIONS,
  });
}

/**
 * The group: on the template's latest version (or a Spot mix of it), `desired_capacity`
 * ignored after creation, a rolling instance refresh on every template change, group metrics.
 */
function addGroup(scope: Construct, props: FleetProps, launchTemplate: LaunchTemplate, tags: [string, string][], keyGrant?: KmsGrant): AutoscalingGroup {
  const s = props.settings;
  const version = Token.asString(launchTemplate.latestVersion);
  const warmup = s.instanceRefresh.instanceWarmupSeconds ?? s.healthCheckGracePeriodSeconds;
  return new AutoscalingGroup(scope, "asg", {
    name: props.name,
    minSize: props.minSize,
    maxSize: props.maxSize,
    desiredCapacity: props.desiredCapacity,
    vpcZoneIdentifier: props.subnetIds,
    targetGroupArns: props.targetGroupArn ? [props.targetGroupArn] : undefined,
    healthCheckType: props.targetGroupArn ? "ELB" : "EC2",
    healthCheckGracePeriod: s.healthCheckGracePeriodSeconds,
    // With step scaling, its cooldown; else AWS's default.
    defaultCooldown: s.scaling.step?.cooldownSeconds ?? 300,
    defaultInstanceWarmup: warmup,
    launchTemplate: s.spot ? undefined : { id: launchTemplate.id, version },
    mixedInstancesPolicy: s.spot ? spotMix(s.instanceType, s.spot, launchTemplate.id, version) : undefined,
    capacityRebalance: s.capacityRebalance ?? s.spot !== null,
    maxInstanceLifetime: s.maxInstanceLifetimeDays === undefined ? undefined : s.maxInstanceLifetimeDays * 86_400,
    instanceRefresh: {
      strategy: "Rolling",
      preferences: { minHealthyPercentage: s.instanceRefresh.minHealthyPercentage, instanceWarmup: String(warmup) },
    },
    enabledMetrics: GROUP_METRICS,
    metricsGranularity: "1Minute",
    tag: tags.map(([key, value]): AutoscalingGroupTag => ({ key, value, propagateAtLaunch: true })),
    lifecycle: { ignoreChanges: ["desired_capacity"] },
    dependsOn: keyGrant ? [keyGrant] : undefined,
  });
}

/** Spot instances of the template's type and the alternatives, above an optional on-demand base. */
function spotMix(instanceType: string, spot: NonNullable<FleetSettings["spot"]>, launchTemplateId: string, version: string) {
  return {
    instancesDistribution: {
      onDemandBaseCapacity: spot.onDemandBaseCapacity,
      onDemandPercentageAboveBaseCapacity: spot.onDemandPercentageAboveBaseCapacity,
      spotAllocationStrategy: spot.allocationStrategy,
    },
    launchTemplate: {
      launchTemplateSpecification: { launchTemplateId, version },
      override: [instanceType, ...spot.instanceTypes.filter((t) => t !== instanceType)].map((type) => ({ instanceType: type })),
    },
  };
}

/** Scheduled actions on the group, by name. */
function scaleOnSchedule(scope: Construct, group: AutoscalingGroup, schedules: FleetSettings["schedules"]): void {
  for (const [name, schedule] of Object.entries(schedules).sort(([a], [b]) => a.localeCompare(b))) {
    new AutoscalingSchedule(scope, `schedule_${name}`, {
      scheduledActionName: name,
      autoscalingGroupName: group.name,
      recurrence: schedule.recurrence,
      timeZone: schedule.timeZone,
      // -1 is the API's "leave unchanged"; an omitted size would be sent as 0.
      minSize: schedule.minSize ?? -1,
      maxSize: schedule.maxSize ?? -1,
      desiredCapacity: schedule.desiredCapacity ?? -1,
    });
  }
}

/** An alarm on the group's average CPU, to the alarm topic. */
function addHighCpuAlarm(scope: Construct, props: FleetProps, a: NonNullable<FleetSettings["highCpuAlarm"]>, group: AutoscalingGroup): CloudwatchMetricAlarm {
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
