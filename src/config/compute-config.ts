import { z } from "zod";
import { LogRetentionSchema } from "./network-config";

/**
 * The compute tier: a load balancer (ALB or NLB) and the services behind it, each an auto
 * scaling group of EC2 instances built from a launch template. Semantic rules that span
 * several keys (min <= desired <= max, step thresholds, certificates, name lengths) are
 * checked in `compute-checks.ts`, before any construct is built.
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

/** Amazon Linux 2023 (x86_64) through its public SSM parameter: resolved by EC2 at launch, no lookup at plan time. */
export const AL2023_IMAGE = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

const portMessage = { message: "is not a port number; ports are 1 to 65535" };
/** A TCP port, 1-65535. */
export const PortSchema = z.number().int(portMessage).min(1, portMessage).max(65535, portMessage);

const count = (what: string) => z.number().int({ message: `${what} must be a whole number` }).min(0, { message: `${what} cannot be negative` });

/** A target group's health check. The numbers are MueJam's. */
export const HealthCheckConfigSchema = z.strictObject({
  path: z.string().regex(/^\/[\x21-\x7e]*$/, { message: "must be an absolute path starting with /" }).default("/health").describe("The HTTP path probed (ALB only; an NLB checks that the TCP port accepts connections)."),
  intervalSeconds: z.number().int().min(5).max(300).default(30).describe("Seconds between checks, 5-300."),
  timeoutSeconds: z.number().int().min(2).max(120).default(5).describe("Seconds without a response that fail a check, 2-120, less than the interval."),
  healthyThreshold: z.number().int().min(2).max(10).default(2).describe("Consecutive successes that make a target healthy, 2-10."),
  unhealthyThreshold: z.number().int().min(2).max(10).default(3).describe("Consecutive failures that make a target unhealthy, 2-10."),
  matcher: z.string().regex(/^\d+([-,]\d+)*$/, { message: 'must be codes like "200", "200-299" or "200,302"' }).optional().describe("Success codes (ALB only). Default: \"200\", or \"12\" (gRPC OK..UNIMPLEMENTED) for gRPC target groups."),
});
export type HealthCheckConfig = z.infer<typeof HealthCheckConfigSchema>;

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
  bucketName: z.string().optional().describe("The bucket's globally unique name. Default: \"<project>-<environment>-lb-logs-<region>\"."),
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
export type AccessLogsConfig = z.infer<typeof AccessLogsConfigSchema>;

/** The access logs a load balancer keeps in `environment`: the setting, else the environment's default. */
export function loadBalancerAccessLogs(lb: LoadBalancerConfig, environment: string): AccessLogsConfig | null {
  if (lb.accessLogs !== undefined) return lb.accessLogs;
  if (environment === "dev" || (lb.type === "nlb" && !lb.tls.enabled)) return null;
  return AccessLogsConfigSchema.parse({});
}

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
  environment: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}).describe("Plain environment variables (never secrets: those go in `secrets`)."),
  secrets: z.array(z.string()).default([]).describe("Secrets Manager secret names whose JSON key/value pairs become environment variables, read at boot."),
  database: z.boolean().default(false).describe("Connect to the system's RDS database: at each container start the boot script reads `DB_HOST`, `DB_PORT`, `DB_NAME` from the data layer's SSM parameter and `DB_USER`, `DB_PASS` from the master secret RDS manages, and a systemd timer restarts the container within minutes when RDS rotates that secret (every 7 days), so the app never keeps a stale password. Needs `rds`."),
});

/** A native app installed at boot by a script (Joblet's installer). */
export const ScriptAppConfigSchema = z.strictObject({
  type: z.literal("script"),
  installerUrl: z.string().regex(/^https:\/\/\S+$/, { message: "must be an https:// URL" }).describe("HTTPS URL of the installer, downloaded and run as root at boot."),
  installerSha256: z.string().regex(/^[0-9a-f]{64}$/, { message: "must be 64 lower case hex digits" }).optional().describe("The installer's SHA-256; the boot fails if the download differs. Default: not checked (a synth warning says so)."),
  environment: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}).describe("Environment variables exported for the installer."),
});

/** What runs on the instances. */
export const AppConfigSchema = z.discriminatedUnion("type", [ContainerAppConfigSchema, ScriptAppConfigSchema]);
export type AppConfig = z.infer<typeof AppConfigSchema>;

const access = z.enum(["read", "read_write"]).default("read");
const named = (what: string) => z.strictObject({ name: z.string().min(1, { message: `${what} name cannot be empty` }), access });

/** IAM permissions of the instance role, by intent; ARNs are built from names, the region and `accountId`. */
export const GrantsConfigSchema = z.strictObject({
  ecrRepositories: z.array(z.string()).default([]).describe("ECR repositories to pull from, beside the app's own."),
  secrets: z.array(named("secret")).default([]).describe("Secrets by name, or by prefix ending in `/*` (Joblet: `joblet/*`); `read_write` also creates and updates them."),
  dynamodbTables: z.array(named("table")).default([]).describe("DynamoDB tables (and their indexes)."),
  s3Buckets: z.array(named("bucket")).default([]).describe("S3 buckets' objects."),
  kmsKeyArns: z.array(z.string()).default([]).describe("Customer KMS keys encrypting those secrets: decrypt through Secrets Manager only."),
});

/** One color of a blue-green pair: its own launch template and group. */
export const ColorConfigSchema = z.strictObject({
  minSize: count("minSize").optional().describe("Default: the service's minSize."),
  maxSize: count("maxSize").optional().describe("Default: the service's maxSize."),
  desiredCapacity: count("desiredCapacity").optional().describe("Default: the service's desiredCapacity."),
  imageTag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: "is not a Docker image tag" }).optional().describe("Container apps: this color's image tag. Default: the app's tag."),
  environment: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}).describe("Environment variables over the app's, e.g. the version to install."),
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
  rootVolumeKmsKeyArn: z.string().optional().describe("A customer KMS key for the root volume. Default: the account's EBS key."),
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
  alarmTopicArn: z.string().optional().describe("An SNS topic ARN that alarms notify. Default: none (alarms are visible in CloudWatch only)."),
});
export type ComputeConfig = z.infer<typeof ComputeConfigSchema>;
export type ComputeConfigInput = z.input<typeof ComputeConfigSchema>;
