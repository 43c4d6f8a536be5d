import { z } from "zod";
import { ALARM_TOPIC_REQUIREMENTS, LogRetentionSchema, PortSchema } from "../../lib/setting-schemas";
import { LoadBalancerConfigSchema, TargetGroupConfigSchema } from "../alb/settings";
import { ENV_VAR_NAME } from "../../lib/env-var";

/**
 * The compute tier (`compute`): a load balancer (ALB or NLB, whose settings are in
 * ../alb/settings.ts) and the services behind it, each an auto scaling group of EC2 instances
 * built from a launch template. Semantic rules that span several keys (min <= desired <= max,
 * step thresholds, certificates, name lengths) are checked in `checks.ts`, before any
 * construct is built.
 */

/** Amazon Linux 2023 (x86_64) through its public SSM parameter: resolved by EC2 at launch, no lookup at plan time. */
export const AL2023_IMAGE = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
const count = (what: string) => z.number().int({ message: `${what} must be a whole number` }).min(0, { message: `${what} cannot be negative` });

/** Step scaling on average CPU, with the two CloudWatch alarms that drive it. The numbers are MueJam's. */
export const StepScalingConfigSchema = z.strictObject({
  scaleOut: z
    .strictObject({
      cpuAbove: z.number().min(1).max(99).default(70),
      adjustment: z.number().int().min(1, { message: "must add at least one instance" }).default(2),
    })
    .prefault({}).describe("Add `adjustment` instances when average CPU is above `cpuAbove` %. Default: +2 above 70 %."),
  scaleIn: z
    .strictObject({
      cpuBelow: z.number().min(1).max(99).default(30),
      adjustment: z.number().int().max(-1, { message: "must remove at least one instance (a negative number)" }).default(-1),
    })
    .prefault({}).describe("Remove `-adjustment` instances when average CPU is below `cpuBelow` %. Default: -1 below 30 %."),
  periodSeconds: z.union([z.literal(60), z.literal(120), z.literal(300)]).default(60).describe("The alarms' period in seconds (detailed monitoring gives 60 s data)."),
  evaluationPeriods: z.number().int().min(1).max(60).default(4).describe("Periods the condition must hold: 4 x 60 s = \"for 4 minutes\"."),
  cooldownSeconds: z.number().int().min(0).max(3600).default(300).describe("Seconds between scaling actions. Applied as the step policies' estimated instance warm-up and the group's default cooldown (AWS ignores `cooldown` on step policies)."),
});
export type StepScalingConfig = z.infer<typeof StepScalingConfigSchema>;

/** A target tracking policy's target: a CPU percentage (1-100), or a request count per target (a positive whole number). */
const cpuTarget = (fallback: number) =>
  z.strictObject({
    targetValue: z
      .number()
      .min(1, { message: "is an average CPU utilization in percent: 1-100" })
      .max(100, { message: "is an average CPU utilization in percent: 1-100 (no group averages more than 100 %)" })
      .default(fallback),
  });
const requestTarget = (fallback: number) =>
  z.strictObject({ targetValue: z.number().int({ message: "is a request count per target per minute: a whole number" }).min(1, { message: "must be at least 1 request per target per minute" }).default(fallback) });

/** Target tracking policies; each may be `null`. */
export const TargetTrackingConfigSchema = z.strictObject({
  cpu: cpuTarget(70).nullable().prefault({}).describe("Keep average CPU at `targetValue` % (Duewin, AlgoItny). Default: { targetValue: 70 }."),
  requestCountPerTarget: requestTarget(1000).nullable().default(null).describe("ALB only: keep requests per target per minute at `targetValue` (AlgoItny). The resource label is derived from the ALB and target group."),
});

/** How the group scales. */
export const ScalingConfigSchema = z.strictObject({
  step: StepScalingConfigSchema.nullable().default(null).describe("Step scaling on CPU; `null` for none."),
  targetTracking: TargetTrackingConfigSchema.prefault({}).describe("Target tracking. Default: CPU 70 %."),
});

/** A scheduled action, e.g. off-peak scale-down. */
export const ScheduleConfigSchema = z.strictObject({
  recurrence: z.string().describe("Cron, five fields: minute hour day-of-month month day-of-week, e.g. \"0 22 * * *\"."),
  timeZone: z.string().default("UTC").describe("IANA time zone of the recurrence."),
  minSize: count("minSize").optional().describe("New minimum size. Note that the next apply sets it back to the group's `minSize`. Default: unchanged."),
  maxSize: count("maxSize").optional().describe("New maximum size. Note that the next apply sets it back to the group's `maxSize`. Default: unchanged."),
  desiredCapacity: count("desiredCapacity").optional().describe("New desired capacity (never reset by an apply). Default: unchanged."),
});

/** Spot capacity through a mixed instances policy (workers). */
export const SpotConfigSchema = z.strictObject({
  onDemandBaseCapacity: count("onDemandBaseCapacity").default(0).describe("On-demand instances always kept, before any Spot."),
  onDemandPercentageAboveBaseCapacity: z.number().int().min(0).max(100).default(0).describe("Percent on-demand above the base. Default: 0 (all Spot)."),
  allocationStrategy: z.enum(["price-capacity-optimized", "capacity-optimized", "lowest-price"]).default("price-capacity-optimized").describe("How Spot capacity is chosen."),
  instanceTypes: z.array(z.string()).default([]).describe("More instance types beside `instanceType`, for more Spot pools."),
});

/** An app run in Docker: image from ECR, secrets from Secrets Manager at boot. */
export const ContainerAppConfigSchema = z.strictObject({
  type: z.literal("container"),
  repository: z.string().regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, { message: "is not an ECR repository name" }).describe("The ECR repository's name, e.g. `algoitny`."),
  tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: "is not a Docker image tag" }).default("latest").describe("The image tag to pull."),
  registryAccountId: z.string().regex(/^\d{12}$/, { message: "must be a 12-digit AWS account id" }).optional().describe("The account of the registry. Default: `accountId`, else the instance's own account, read at boot."),
  containerPort: PortSchema.optional().describe("The port the container listens on. Default: the service's `port`."),
  command: z.array(z.string()).default([]).describe("The container's command. Default: the image's."),
  environment: z.record(z.string().regex(ENV_VAR_NAME), z.string()).default({}).describe("Plain environment variables (never secrets: those go in `secrets`). The container also gets `AWS_REGION` and `AWS_DEFAULT_REGION`, the system's region, for its AWS SDKs."),
  secrets: z.array(z.string()).default([]).describe("Secrets Manager secret names whose JSON key/value pairs become environment variables, read at boot."),
  privateIpIn: z.array(z.string().regex(ENV_VAR_NAME, { message: "is not an environment variable name" })).default([]).describe("Variables the instance's private IPv4 address is appended to, after a comma, when the container starts, whether `environment` or a secret sets them. The load balancer's health checks carry that address as their `Host`, which a host allow-list must accept: Django's `ALLOWED_HOSTS` (AlgoItny, MueJam) answers 400 to any other. A variable neither sets stays unset, and the boot log says so."),
  database: z.boolean().default(false).describe("Connect to the system's RDS database: at each container start the boot script reads `DB_HOST`, `DB_PORT`, `DB_NAME` from the data layer's SSM parameter and `DB_USER`, `DB_PASS` from the master secret RDS manages, and a systemd timer restarts the container within minutes when RDS rotates that secret (every 7 days), so the app never keeps a stale password. Needs `rds`."),
});

/** A native app installed at boot by a script (Joblet's installer). */
/**
 * The first boot of a group whose installer generates shared secrets when it finds them empty:
 * the instances that boot together race to write their id into `electionSecret` (one version,
 * one client request token: only the first write succeeds); the winner installs at once, the
 * others wait until every secret of `waitFor` has a value, then install and read them.
 */
export const FirstBootConfigSchema = z.strictObject({
  electionSecret: z.string().min(1).describe("A secret of the system's store, created empty, that the first instances race to write their id into."),
  waitFor: z.array(z.string().min(1)).min(1).describe("The secrets the winner's installer writes; the others install once each has a value."),
  timeoutSeconds: z.number().int().min(60).max(3600).default(900).describe("How long the others wait before installing anyway (the winner died first), 60-3600. Behind a load balancer, `healthCheckGracePeriodSeconds` must be at least this plus 300. Default: 900."),
});

export const ScriptAppConfigSchema = z.strictObject({
  type: z.literal("script"),
  installerUrl: z.string().regex(/^https:\/\/\S+$/, { message: "must be an https:// URL" }).describe("HTTPS URL of the installer, downloaded and run as root at boot."),
  installerSha256: z.string().regex(/^[0-9a-f]{64}$/, { message: "must be 64 lower case hex digits" }).optional().describe("The installer's SHA-256; the boot fails if the download differs. Default: not checked (a synth warning says so)."),
  environment: z.record(z.string().regex(ENV_VAR_NAME), z.string()).default({}).describe("Environment variables exported for the installer."),
  firstBoot: FirstBootConfigSchema.optional().describe("For an installer that generates what every instance shares (Joblet's CA) when it finds no value yet: the instances that boot together take turns, and after the install every shared secret must have a value (else the boot fails, saying so). Default: none (each installer runs at once)."),
  systemdUnit: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9:_.@-]*$/, { message: "is not a systemd unit name (letters, digits and :_.@-, starting with a letter or digit)" }).optional().describe("The systemd unit the installer starts, e.g. `joblet`: the boot waits up to 2 minutes for it to be active and fails, saying so, when it is not, as an installer may exit 0 after a failed install (Joblet's ends in `main | tee`). Default: not checked."),
});

/** What runs on the instances. */
export const AppConfigSchema = z.discriminatedUnion("type", [ContainerAppConfigSchema, ScriptAppConfigSchema]);
export type AppConfig = z.infer<typeof AppConfigSchema>;
export type FirstBootConfig = z.infer<typeof FirstBootConfigSchema>;

const access = z.enum(["read", "read_write"]).default("read");
const named = (what: string) => z.strictObject({ name: z.string().min(1, { message: `${what} name cannot be empty` }), access });

/** IAM permissions of the instance role, by intent; ARNs are built from names, the region and `accountId`. */
export const GrantsConfigSchema = z.strictObject({
  ecrRepositories: z.array(z.string()).default([]).describe("ECR repositories to pull from, beside the app's own."),
  secrets: z.array(named("secret")).default([]).describe("Secrets by name, or by prefix ending in `/*` (Joblet: `joblet/*`); `read_write` also creates and updates them."),
  dynamodbTables: z.array(named("table")).default([]).describe("DynamoDB tables (and their indexes)."),
  s3Buckets: z.array(named("bucket")).default([]).describe("S3 buckets' objects."),
  sqsQueues: z
    .array(z.strictObject({ name: z.string().min(1, { message: "queue name cannot be empty" }), access: z.enum(["send", "consume"]).default("send") }))
    .default([])
    .describe("SQS queues by name: `send` messages, or `consume` them (receive, delete, change visibility; and send, as Celery's workers also enqueue). Either lists the account's queues too, which Celery's SQS transport does when it connects."),
  logGroups: z.array(z.string()).default([]).describe("CloudWatch log groups the app creates and writes itself, by name or by prefix ending in `/*` (Joblet: `/joblet/*`), beside the app's own: create, set retention, write, read back and delete their streams (Joblet deletes a job's with the job)."),
  kmsKeyArns: z.array(z.string()).default([]).describe("Customer KMS keys encrypting those secrets: decrypt through Secrets Manager only."),
  metricNamespaces: z.array(z.string().min(1).max(255)).default([]).describe("CloudWatch namespaces the app publishes its own metrics to (Joblet: `Joblet/Jobs`), beside the CloudWatch agent's `CWAgent`: `cloudwatch:PutMetricData` in those namespaces only."),
  metricReads: z.boolean().default(false).describe("The app reads metrics back (Joblet: `rnx job metrics`): `cloudwatch:GetMetricStatistics`, which CloudWatch cannot scope to a namespace, so every metric of the account is readable. Default: false."),
});

/** One color of a blue-green pair: its own launch template and group. */
export const ColorConfigSchema = z.strictObject({
  minSize: count("minSize").optional().describe("Default: the service's minSize."),
  maxSize: count("maxSize").optional().describe("Default: the service's maxSize."),
  desiredCapacity: count("desiredCapacity").optional().describe("Default: the service's desiredCapacity."),
  imageTag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: "is not a Docker image tag" }).optional().describe("Container apps: this color's image tag. Default: the app's tag."),
  environment: z.record(z.string().regex(ENV_VAR_NAME), z.string()).default({}).describe("Environment variables over the app's, e.g. the version to install."),
});

/** Blue-green deployment (Joblet's scenario 3): two groups, blue and green. */
export const BlueGreenConfigSchema = z.strictObject({
  mode: z.enum(["shared_target_group", "weighted"]).default("shared_target_group").describe("`shared_target_group`: both groups register in one target group and traffic follows instance counts (Joblet). `weighted` (ALB only): a target group per color and a weighted forward; shifting traffic changes only the weights."),
  blue: ColorConfigSchema.prefault({}),
  green: ColorConfigSchema.prefault({}),
  weights: z.strictObject({ blue: z.number().int().min(0).max(999), green: z.number().int().min(0).max(999) }).optional().describe("`weighted` only: the listener's weights, 0-999. Default: { blue: 100, green: 0 }."),
});
export type BlueGreenConfig = z.infer<typeof BlueGreenConfigSchema>;

/** One service: an auto scaling group (or a blue-green pair) running one app. */
export const ServiceConfigSchema = z.strictObject({
  app: AppConfigSchema.describe("What runs on the instances."),
  loadBalanced: z.boolean().default(true).describe("Whether the service sits behind the load balancer (false: a worker, with no ingress)."),
  port: PortSchema.default(8000).describe("The port the load balancer sends traffic to (8000 AlgoItny, 3000 Duewin, 443 Joblet)."),
  instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { message: 'is not an EC2 instance type like "t3.medium"' }).default("t3.medium").describe("The instance type."),
  imageId: z.string().regex(/^(ami-[0-9a-f]{8,17}|resolve:ssm:\S+)$/, { message: "must be an AMI id or resolve:ssm:<parameter>" }).default(AL2023_IMAGE).describe("The AMI: an id, or `resolve:ssm:<parameter>`. Default: Amazon Linux 2023 via its SSM parameter."),
  rootVolumeSizeGb: z.number().int().min(8).max(16384).default(30).describe("Root volume size in GiB (gp3, always encrypted)."),
  rootVolumeKmsKeyArn: z
    .string()
    .optional()
    .describe("A customer KMS key for the root volume; the stack grants it to Auto Scaling's service-linked role, which launches the instances (docs/compute.md). Default: the account's EBS key."),
  metadataHopLimit: z.number().int().min(1).max(64).optional().describe("IMDSv2 hop limit, 1-64. Default: 2 for container apps (so containers reach the metadata service), else 1."),
  minSize: count("minSize").default(2),
  maxSize: count("maxSize").default(10),
  desiredCapacity: count("desiredCapacity").default(2).describe("Initial size; never reset by later applies (scaling owns it)."),
  healthCheckGracePeriodSeconds: count("healthCheckGracePeriodSeconds").default(300).describe("Seconds before health checks count after launch (ELB health checks only)."),
  instanceRefresh: z
    .strictObject({
      minHealthyPercentage: z.number().int().min(0).max(100).default(50),
      instanceWarmupSeconds: count("instanceWarmupSeconds").optional().describe("Seconds a new instance warms up before the refresh moves on. Default: the group's health check grace period."),
    })
    .prefault({}).describe("Rolling instance refresh whenever the launch template changes."),
  spot: SpotConfigSchema.nullable().default(null).describe("Spot capacity (workers); `null` for on-demand only."),
  maxInstanceLifetimeDays: z.number().int().min(1).max(365).optional().describe("Replace each instance before it is this many days old (the group's `max_instance_lifetime`), e.g. where an installer signs a certificate once at boot: Joblet's server certificate lasts 365 days, and its TCP health check would not notice it expire. 1-365. Default: no limit."),
  capacityRebalance: z.boolean().optional().describe("Replace Spot instances at elevated risk before they are interrupted. Default: true with Spot, else false."),
  schedules: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, { message: "schedule names are lower case letters, digits and dashes" }), ScheduleConfigSchema).default({}).describe("Scheduled actions by name, e.g. `offpeak`."),
  scaling: ScalingConfigSchema.prefault({}).describe("Scaling policies. Default: target tracking on CPU 70 %."),
  highCpuAlarm: z
    .strictObject({
      thresholdPercent: z.number().min(1).max(100).default(80),
      periodSeconds: z.union([z.literal(60), z.literal(300)]).default(60),
      evaluationPeriods: z.number().int().min(1).max(60).default(5).describe("Default: 5 (five minutes)."),
    })
    .nullable()
    .prefault({}).describe("An alarm on high average CPU (AlgoItny: > 80 %); `null` for none."),
  grants: GrantsConfigSchema.prefault({}).describe("IAM permissions of the instances. SSM Session Manager and the app's log group are always granted. Default: none beyond the app's own."),
  sshFromVpc: z.boolean().default(false).describe("Allow SSH (22) from the VPC's CIDR. Session Manager is the way in; SSH is off unless asked."),
  targetGroup: TargetGroupConfigSchema.prefault({}).describe("The target group (load-balanced services)."),
  blueGreen: BlueGreenConfigSchema.nullable().default(null).describe("Blue-green deployment; `null` for one group."),
  logRetentionInDays: LogRetentionSchema.optional().describe("Days to keep the app's logs. Default: the compute tier's `logRetentionInDays`."),
});
export type ServiceConfig = z.infer<typeof ServiceConfigSchema>;

/** The compute tier of a system. No services: no compute stack. */
export const ComputeConfigSchema = z.strictObject({
  loadBalancer: LoadBalancerConfigSchema.nullable().default(null).describe("The load balancer; `null` for none."),
  services: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, { message: "service names are 1-20 lower case letters, digits and dashes" }), ServiceConfigSchema).default({}).describe("Services by name (`app`, `api`, `worker`): lower case letters, digits, dashes."),
  logRetentionInDays: LogRetentionSchema.default(90).describe("Days to keep app logs. Default: 30 in dev, 90 in staging and prod."),
  alarmTopicArn: z.string().optional().describe(`An SNS topic ARN that alarms notify. ${ALARM_TOPIC_REQUIREMENTS} Default: none (alarms are visible in CloudWatch only).`),
});
export type ComputeConfig = z.infer<typeof ComputeConfigSchema>;
export type ComputeConfigInput = z.input<typeof ComputeConfigSchema>;

/** Days a service's app logs are kept: its own `logRetentionInDays`, else the compute tier's (a default derived from another key). */
export function serviceLogRetentionOf(compute: Pick<ComputeConfig, "logRetentionInDays">, service: Pick<ServiceConfig, "logRetentionInDays">): number {
  return service.logRetentionInDays ?? compute.logRetentionInDays;
}
