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
  /** The HTTP path probed (ALB only; an NLB checks that the TCP port accepts connections). @default "/health" */
  path: z.string().regex(/^\/[\x21-\x7e]*$/, { message: "must be an absolute path starting with /" }).default("/health"),
  /** Seconds between checks, 5-300. @default 30 */
  intervalSeconds: z.number().int().min(5).max(300).default(30),
  /** Seconds without a response that fail a check, 2-120, less than the interval. @default 5 */
  timeoutSeconds: z.number().int().min(2).max(120).default(5),
  /** Consecutive successes that make a target healthy, 2-10. @default 2 */
  healthyThreshold: z.number().int().min(2).max(10).default(2),
  /** Consecutive failures that make a target unhealthy, 2-10. @default 3 */
  unhealthyThreshold: z.number().int().min(2).max(10).default(3),
  /** Success codes (ALB only). @default "200", or "12" (gRPC OK..UNIMPLEMENTED) for gRPC target groups */
  matcher: z.string().regex(/^\d+([-,]\d+)*$/, { message: 'must be codes like "200", "200-299" or "200,302"' }).optional(),
});
export type HealthCheckConfig = z.infer<typeof HealthCheckConfigSchema>;

/** The target group a load-balanced service registers in. */
export const TargetGroupConfigSchema = z.strictObject({
  /** The target group's name, at most 32 characters. @default "<project>-<environment>-<service>" (+ "-blue"/"-green" in weighted blue-green) */
  name: z.string().regex(/^[A-Za-z0-9-]+$/, { message: "may only hold letters, digits and hyphens" }).optional(),
  /** ALB only: `HTTP1`, `HTTP2`, or `GRPC` (which needs TLS at the ALB). @default "HTTP1" */
  protocolVersion: z.enum(["HTTP1", "HTTP2", "GRPC"]).default("HTTP1"),
  /** The health check. @default MueJam's: /health every 30 s, timeout 5 s, 2 healthy, 3 unhealthy, 200 */
  healthCheck: HealthCheckConfigSchema.prefault({}),
  /**
   * Session affinity. On an ALB a load-balancer cookie (`lb_cookie`) lasting `durationSeconds`;
   * on an NLB, `source_ip` affinity.
   */
  stickiness: z
    .strictObject({
      /** @default true on an ALB (MueJam's WebSocket sessions), false on an NLB */
      enabled: z.boolean().optional(),
      /** ALB cookie lifetime, 1 s to 7 days. @default 86400 (one day) */
      durationSeconds: z.number().int().min(1).max(604800).default(86400),
    })
    .prefault({}),
  /** Seconds a deregistering target keeps its in-flight requests (connection draining), 0-3600. @default 60 */
  deregistrationDelaySeconds: z.number().int().min(0).max(3600).default(60),
});
export type TargetGroupConfig = z.infer<typeof TargetGroupConfigSchema>;

/** TLS at the load balancer. */
export const LoadBalancerTlsConfigSchema = z.strictObject({
  /**
   * Whether the load balancer terminates TLS. On an ALB, `false` means a plain HTTP listener
   * (allowed, with a synth warning, for e.g. dev); on an NLB it means TCP passthrough, where
   * the instances terminate TLS themselves (Joblet). @default true
   */
  enabled: z.boolean().default(true),
  /** The ACM certificate's ARN, in the system's region. Required when `enabled`. @default none */
  certificateArn: z.string().optional(),
  /** The TLS negotiation policy, from the allow-list of TLS 1.2+ policies. @default "ELBSecurityPolicy-TLS13-1-2-2021-06" */
  sslPolicy: z.enum(TLS_POLICIES).default(DEFAULT_TLS_POLICY),
  /** NLB TLS listeners only: the ALPN policy (gRPC: `HTTP2Preferred`). @default none */
  alpnPolicy: z.enum(ALPN_POLICIES).optional(),
});

/** Optional access logs to an S3 bucket created for them. */
export const AccessLogsConfigSchema = z.strictObject({
  /** The bucket's globally unique name. @default "<project>-<environment>-lb-logs-<region>" */
  bucketName: z.string().optional(),
  /** Key prefix of the logs, without a trailing slash. @default "" */
  prefix: z.string().regex(/^([A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*)?$/, { message: "must be a key prefix without leading or trailing slash" }).default(""),
  /** Days to keep the logs. @default 90 */
  expirationDays: z.number().int().min(1).default(90),
});

/** The internet-facing load balancer in front of the load-balanced service. */
export const LoadBalancerConfigSchema = z.strictObject({
  /** `alb` (HTTP/HTTPS, MueJam, Duewin, AlgoItny) or `nlb` (TCP/TLS, Joblet). @default "alb" */
  type: z.enum(["alb", "nlb"]).default("alb"),
  /**
   * Which stack holds the load balancer and its target groups: `compute`, beside the
   * instances, or `services`, a separate `<project>-<environment>-services` stack whose
   * outputs the compute stack reads (AlgoItny keeps its ALB in a separate state). @default "compute"
   */
  stack: z.enum(["compute", "services"]).default("compute"),
  /** Who may reach the listeners, when `ingressFrom` is `cidrs`. @default ["0.0.0.0/0"] */
  ingressCidrs: z.array(z.string()).min(1, { message: "must list at least one CIDR" }).default(["0.0.0.0/0"]),
  /**
   * ALB: `cloudfront` admits only CloudFront's origin-facing servers (the managed prefix list
   * `com.amazonaws.global.cloudfront.origin-facing`) on the port CloudFront uses (443, or 80 with
   * TLS off), so nobody bypasses the distribution and its WAF; `cidrs` admits `ingressCidrs` on
   * every listener port.
   * @default "cloudfront" when edge.cdn uses the load balancer as its origin, else "cidrs"
   */
  ingressFrom: z.enum(["cidrs", "cloudfront"]).optional(),
  /** TLS at the load balancer. @default on, with the default policy; the certificate must be given */
  tls: LoadBalancerTlsConfigSchema.prefault({}),
  /** NLB: the listener port. @default 443 */
  port: PortSchema.default(443),
  /** ALB: seconds an idle connection stays open, 1-4000. @default 60 */
  idleTimeoutSeconds: z.number().int().min(1).max(4000).default(60),
  /** NLB: cross-zone load balancing (an ALB always balances across zones). @default true */
  crossZone: z.boolean().default(true),
  /**
   * Access logs to a bucket created for them; `null` for none. AWS writes an NLB's access
   * logs only for a TLS listener, so a TCP-passthrough NLB has none.
   * @default outside dev `{}` (an ALB, or an NLB with TLS on); in dev none
   */
  accessLogs: AccessLogsConfigSchema.nullable().optional(),
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
  /** Add `adjustment` instances when average CPU is above `cpuAbove` %. @default +2 above 70 % */
  scaleOut: z
    .strictObject({
      cpuAbove: z.number().min(1).max(99).default(70),
      adjustment: z.number().int().min(1, { message: "must add at least one instance" }).default(2),
    })
    .prefault({}),
  /** Remove `-adjustment` instances when average CPU is below `cpuBelow` %. @default -1 below 30 % */
  scaleIn: z
    .strictObject({
      cpuBelow: z.number().min(1).max(99).default(30),
      adjustment: z.number().int().max(-1, { message: "must remove at least one instance (a negative number)" }).default(-1),
    })
    .prefault({}),
  /** The alarms' period in seconds (detailed monitoring gives 60 s data). @default 60 */
  periodSeconds: z.union([z.literal(60), z.literal(120), z.literal(300)]).default(60),
  /** Periods the condition must hold: 4 x 60 s = "for 4 minutes". @default 4 */
  evaluationPeriods: z.number().int().min(1).max(60).default(4),
  /**
   * Seconds between scaling actions. Applied as the step policies' estimated instance
   * warm-up and the group's default cooldown (AWS ignores `cooldown` on step policies). @default 300
   */
  cooldownSeconds: z.number().int().min(0).max(3600).default(300),
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
  /** Keep average CPU at `targetValue` % (Duewin, AlgoItny). @default { targetValue: 70 } */
  cpu: cpuTarget(70).nullable().prefault({}),
  /**
   * ALB only: keep requests per target per minute at `targetValue` (AlgoItny). The
   * resource label is derived from the ALB and target group. @default null
   */
  requestCountPerTarget: requestTarget(1000).nullable().default(null),
});

/** How the group scales. */
export const ScalingConfigSchema = z.strictObject({
  /** Step scaling on CPU; `null` for none. @default null */
  step: StepScalingConfigSchema.nullable().default(null),
  /** Target tracking. @default CPU 70 % */
  targetTracking: TargetTrackingConfigSchema.prefault({}),
});

/** A scheduled action, e.g. off-peak scale-down. */
export const ScheduleConfigSchema = z.strictObject({
  /** Cron, five fields: minute hour day-of-month month day-of-week, e.g. "0 22 * * *". */
  recurrence: z.string(),
  /** IANA time zone of the recurrence. @default "UTC" */
  timeZone: z.string().default("UTC"),
  /** New minimum size. Note that the next apply sets it back to the group's `minSize`. @default unchanged */
  minSize: count("minSize").optional(),
  /** New maximum size. Note that the next apply sets it back to the group's `maxSize`. @default unchanged */
  maxSize: count("maxSize").optional(),
  /** New desired capacity (never reset by an apply). @default unchanged */
  desiredCapacity: count("desiredCapacity").optional(),
});

/** Spot capacity through a mixed instances policy (workers). */
export const SpotConfigSchema = z.strictObject({
  /** On-demand instances always kept, before any Spot. @default 0 */
  onDemandBaseCapacity: count("onDemandBaseCapacity").default(0),
  /** Percent on-demand above the base. @default 0 (all Spot) */
  onDemandPercentageAboveBaseCapacity: z.number().int().min(0).max(100).default(0),
  /** How Spot capacity is chosen. @default "price-capacity-optimized" */
  allocationStrategy: z.enum(["price-capacity-optimized", "capacity-optimized", "lowest-price"]).default("price-capacity-optimized"),
  /** More instance types beside `instanceType`, for more Spot pools. @default [] */
  instanceTypes: z.array(z.string()).default([]),
});

/** An app run in Docker: image from ECR, secrets from Secrets Manager at boot. */
export const ContainerAppConfigSchema = z.strictObject({
  type: z.literal("container"),
  /** The ECR repository's name, e.g. `algoitny`. */
  repository: z.string().regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, { message: "is not an ECR repository name" }),
  /** The image tag to pull. @default "latest" */
  tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: "is not a Docker image tag" }).default("latest"),
  /** The account of the registry. @default `accountId`, else the instance's own account, read at boot */
  registryAccountId: z.string().regex(/^\d{12}$/, { message: "must be a 12-digit AWS account id" }).optional(),
  /** The port the container listens on. @default the service's `port` */
  containerPort: PortSchema.optional(),
  /** The container's command. @default the image's */
  command: z.array(z.string()).default([]),
  /** Plain environment variables (never secrets: those go in `secrets`). @default {} */
  environment: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
  /** Secrets Manager secret names whose JSON key/value pairs become environment variables, read at boot. @default [] */
  secrets: z.array(z.string()).default([]),
  /**
   * Connect to the system's RDS database: at each container start the boot script reads
   * `DB_HOST`, `DB_PORT`, `DB_NAME` from the data layer's SSM parameter and `DB_USER`,
   * `DB_PASS` from the master secret RDS manages, and a systemd timer restarts the container
   * within minutes when RDS rotates that secret (every 7 days), so the app never keeps a
   * stale password. Needs `rds`. @default false
   */
  database: z.boolean().default(false),
});

/** A native app installed at boot by a script (Joblet's installer). */
export const ScriptAppConfigSchema = z.strictObject({
  type: z.literal("script"),
  /** HTTPS URL of the installer, downloaded and run as root at boot. */
  installerUrl: z.string().regex(/^https:\/\/\S+$/, { message: "must be an https:// URL" }),
  /** The installer's SHA-256; the boot fails if the download differs. @default not checked (a synth warning says so) */
  installerSha256: z.string().regex(/^[0-9a-f]{64}$/, { message: "must be 64 lower case hex digits" }).optional(),
  /** Environment variables exported for the installer. @default {} */
  environment: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
});

/** What runs on the instances. */
export const AppConfigSchema = z.discriminatedUnion("type", [ContainerAppConfigSchema, ScriptAppConfigSchema]);
export type AppConfig = z.infer<typeof AppConfigSchema>;

const access = z.enum(["read", "read_write"]).default("read");
const named = (what: string) => z.strictObject({ name: z.string().min(1, { message: `${what} name cannot be empty` }), access });

/** IAM permissions of the instance role, by intent; ARNs are built from names, the region and `accountId`. */
export const GrantsConfigSchema = z.strictObject({
  /** ECR repositories to pull from, beside the app's own. @default [] */
  ecrRepositories: z.array(z.string()).default([]),
  /** Secrets by name, or by prefix ending in `/*` (Joblet: `joblet/*`); `read_write` also creates and updates them. @default [] */
  secrets: z.array(named("secret")).default([]),
  /** DynamoDB tables (and their indexes). @default [] */
  dynamodbTables: z.array(named("table")).default([]),
  /** S3 buckets' objects. @default [] */
  s3Buckets: z.array(named("bucket")).default([]),
  /** Customer KMS keys encrypting those secrets: decrypt through Secrets Manager only. @default [] */
  kmsKeyArns: z.array(z.string()).default([]),
});

/** One color of a blue-green pair: its own launch template and group. */
export const ColorConfigSchema = z.strictObject({
  /** @default the service's minSize */
  minSize: count("minSize").optional(),
  /** @default the service's maxSize */
  maxSize: count("maxSize").optional(),
  /** @default the service's desiredCapacity */
  desiredCapacity: count("desiredCapacity").optional(),
  /** Container apps: this color's image tag. @default the app's tag */
  imageTag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: "is not a Docker image tag" }).optional(),
  /** Environment variables over the app's, e.g. the version to install. @default {} */
  environment: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
});

/** Blue-green deployment (Joblet's scenario 3): two groups, blue and green. */
export const BlueGreenConfigSchema = z.strictObject({
  /**
   * `shared_target_group`: both groups register in one target group and traffic follows
   * instance counts (Joblet). `weighted` (ALB only): a target group per color and a weighted
   * forward; shifting traffic changes only the weights. @default "shared_target_group"
   */
  mode: z.enum(["shared_target_group", "weighted"]).default("shared_target_group"),
  blue: ColorConfigSchema.prefault({}),
  green: ColorConfigSchema.prefault({}),
  /** `weighted` only: the listener's weights, 0-999. @default { blue: 100, green: 0 } */
  weights: z.strictObject({ blue: z.number().int().min(0).max(999), green: z.number().int().min(0).max(999) }).optional(),
});
export type BlueGreenConfig = z.infer<typeof BlueGreenConfigSchema>;

/** One service: an auto scaling group (or a blue-green pair) running one app. */
export const ServiceConfigSchema = z.strictObject({
  /** What runs on the instances. */
  app: AppConfigSchema,
  /** Whether the service sits behind the load balancer (false: a worker, with no ingress). @default true */
  loadBalanced: z.boolean().default(true),
  /** The port the load balancer sends traffic to (8000 AlgoItny, 3000 Duewin, 443 Joblet). @default 8000 */
  port: PortSchema.default(8000),
  /** The instance type. @default "t3.medium" */
  instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { message: 'is not an EC2 instance type like "t3.medium"' }).default("t3.medium"),
  /** The AMI: an id, or `resolve:ssm:<parameter>`. @default Amazon Linux 2023 via its SSM parameter */
  imageId: z.string().regex(/^(ami-[0-9a-f]{8,17}|resolve:ssm:\S+)$/, { message: "must be an AMI id or resolve:ssm:<parameter>" }).default(AL2023_IMAGE),
  /** Root volume size in GiB (gp3, always encrypted). @default 30 */
  rootVolumeSizeGb: z.number().int().min(8).max(16384).default(30),
  /** A customer KMS key for the root volume. @default the account's EBS key */
  rootVolumeKmsKeyArn: z.string().optional(),
  /** IMDSv2 hop limit, 1-64. @default 2 for container apps (so containers reach the metadata service), else 1 */
  metadataHopLimit: z.number().int().min(1).max(64).optional(),
  /** @default 2 */
  minSize: count("minSize").default(2),
  /** @default 10 */
  maxSize: count("maxSize").default(10),
  /** Initial size; never reset by later applies (scaling owns it). @default 2 */
  desiredCapacity: count("desiredCapacity").default(2),
  /** Seconds before health checks count after launch (ELB health checks only). @default 300 */
  healthCheckGracePeriodSeconds: count("healthCheckGracePeriodSeconds").default(300),
  /** Rolling instance refresh whenever the launch template changes. */
  instanceRefresh: z
    .strictObject({
      /** @default 50 */
      minHealthyPercentage: z.number().int().min(0).max(100).default(50),
      /** Seconds a new instance warms up before the refresh moves on. @default the group's health check grace period */
      instanceWarmupSeconds: count("instanceWarmupSeconds").optional(),
    })
    .prefault({}),
  /** Spot capacity (workers); `null` for on-demand only. @default null */
  spot: SpotConfigSchema.nullable().default(null),
  /** Replace Spot instances at elevated risk before they are interrupted. @default true with Spot, else false */
  capacityRebalance: z.boolean().optional(),
  /** Scheduled actions by name, e.g. `offpeak`. @default {} */
  schedules: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, { message: "schedule names are lower case letters, digits and dashes" }), ScheduleConfigSchema).default({}),
  /** Scaling policies. @default target tracking on CPU 70 % */
  scaling: ScalingConfigSchema.prefault({}),
  /** An alarm on high average CPU (AlgoItny: > 80 %); `null` for none. */
  highCpuAlarm: z
    .strictObject({
      /** @default 80 */
      thresholdPercent: z.number().min(1).max(100).default(80),
      /** @default 60 */
      periodSeconds: z.union([z.literal(60), z.literal(300)]).default(60),
      /** @default 5 (five minutes) */
      evaluationPeriods: z.number().int().min(1).max(60).default(5),
    })
    .nullable()
    .prefault({}),
  /** IAM permissions of the instances. SSM Session Manager and the app's log group are always granted. @default none beyond the app's own */
  grants: GrantsConfigSchema.prefault({}),
  /** Allow SSH (22) from the VPC's CIDR. Session Manager is the way in; SSH is off unless asked. @default false */
  sshFromVpc: z.boolean().default(false),
  /** The target group (load-balanced services). */
  targetGroup: TargetGroupConfigSchema.prefault({}),
  /** Blue-green deployment; `null` for one group. @default null */
  blueGreen: BlueGreenConfigSchema.nullable().default(null),
  /** Days to keep the app's logs. @default the compute tier's `logRetentionInDays` */
  logRetentionInDays: LogRetentionSchema.optional(),
});
export type ServiceConfig = z.infer<typeof ServiceConfigSchema>;

/** The compute tier of a system. No services: no compute stack. */
export const ComputeConfigSchema = z.strictObject({
  /** The load balancer; `null` for none. @default null */
  loadBalancer: LoadBalancerConfigSchema.nullable().default(null),
  /** Services by name (`app`, `api`, `worker`): lower case letters, digits, dashes. @default {} */
  services: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, { message: "service names are 1-20 lower case letters, digits and dashes" }), ServiceConfigSchema).default({}),
  /** Days to keep app logs. @default 30 in dev, 90 in staging and prod */
  logRetentionInDays: LogRetentionSchema.default(90),
  /** An SNS topic ARN that alarms notify. @default none (alarms are visible in CloudWatch only) */
  alarmTopicArn: z.string().optional(),
});
export type ComputeConfig = z.infer<typeof ComputeConfigSchema>;
export type ComputeConfigInput = z.input<typeof ComputeConfigSchema>;
