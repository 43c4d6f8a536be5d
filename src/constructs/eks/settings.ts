import { z } from "zod";
import { CidrSyntaxError, parseCidr } from "../../lib/cidr";
import { EKS_KUBERNETES_CALENDAR } from "../../lib/support-calendar";
import { isGravitonType } from "../../lib/instance-types";
import { ConfigError, Problems } from "../../lib/errors";
import { LogRetentionSchema } from "../../lib/setting-schemas";

/**
 * The Kubernetes versions this project accepts: those in AWS's EKS calendar
 * (src/lib/support-calendar.ts). The aws provider takes the version as a plain string, so
 * this list and the calendar are the only checks before `apply`: synth fails for a version
 * past the end of its standard support on the day it runs, and warns 90 days before
 * (src/config/aws-rules.ts). ODE's document asks for 1.29, which EKS no longer creates.
 */
export const KUBERNETES_VERSIONS: readonly string[] = Object.keys(EKS_KUBERNETES_CALENDAR);

/** The EKS add-on that ships the pods' logs (eks.containerLogs): Fluent Bit and the CloudWatch agent. */
export const CONTAINER_LOGS_ADDON = "amazon-cloudwatch-observability";

/** The control-plane log types EKS can send to CloudWatch Logs. */
export const CLUSTER_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** The AMI types of managed node groups that need no custom AMI or user data. */
export const NODE_AMI_TYPES = [
  "AL2023_x86_64_STANDARD",
  "AL2023_ARM_64_STANDARD",
  "BOTTLEROCKET_x86_64",
  "BOTTLEROCKET_ARM_64",
] as const;

/** The label every node carries with its node group's name: workloads select a pool with it. */
export const NODE_POOL_LABEL = "node-pool";

/** A Kubernetes taint on every node of a group. */
export const NodeTaintSchema = z.strictObject({
  key: z.string().min(1).describe("The taint's key, e.g. `CriticalAddonsOnly`."),
  value: z.string().optional().describe("The taint's value. Default: none."),
  effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]).describe("What the taint does to pods that do not tolerate it."),
});

/** One EKS managed node group: an auto scaling group of nodes of one kind, in the private subnets. */
export const NodeGroupConfigSchema = z.strictObject({
  instanceTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { message: 'must be an EC2 instance type such as "t3.large"' })).min(1).describe("EC2 instance types, most preferred first, e.g. `[\"t3.large\"]`."),
  minSize: z.number().int().min(0).describe("The fewest nodes."),
  maxSize: z.number().int().min(1).max(450, { message: "must be at most 450: EKS's quota of nodes per managed node group" }).describe("The most nodes, 1-450 (EKS's limit of nodes per managed node group)."),
  desiredSize: z.number().int().min(0).describe("How many nodes to run; between minSize and maxSize."),
  capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND").describe("`ON_DEMAND` or `SPOT`."),
  amiType: z.enum(NODE_AMI_TYPES).default("AL2023_x86_64_STANDARD").describe("The EKS-optimized AMI family."),
  diskSizeGiB: z.number().int().min(20).max(16384).default(50).describe("Size of each node's root volume (gp3, encrypted), in GiB."),
  labels: z.record(z.string(), z.string()).default({}).describe("Extra Kubernetes labels on the nodes; `node-pool: <group name>` is always set."),
  taints: z.array(NodeTaintSchema).default([]).describe("Taints on the nodes, e.g. to keep a system pool for cluster add-ons."),
  maxUnavailable: z.number().int().min(1).max(100).default(1).describe("Nodes replaced at once during an update."),
  metadataHopLimit: z.number().int().min(1).max(64).default(2).describe("The nodes' IMDSv2 hop limit, 1-64. 2 lets pods reach the instance metadata (the AWS Load Balancer Controller finds its region and VPC there), and so the node role, to a pod without an identity of its own; 1 keeps pods out (then give the controller its region and VPC id)."),
});

/** One EKS add-on; `null` leaves it out. */
export const AddonConfigSchema = z.strictObject({
  version: z.string().regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, { message: 'must be an add-on version such as "v1.18.3-eksbuild.1"' }).optional().describe("The add-on version, e.g. `v1.18.3-eksbuild.1`. Default: the default version AWS picks for the cluster's Kubernetes version at creation."),
  configurationValues: z.record(z.string(), z.unknown()).optional().describe("The add-on's configuration (its JSON schema: `aws eks describe-addon-configuration`). Default: none."),
});

/**
 * The pods' stdout and stderr, shipped to CloudWatch Logs by the `amazon-cloudwatch-observability`
 * add-on (Fluent Bit on every node) into log groups Terraform creates first, with a retention and
 * a KMS key (see container-logs.ts and docs/eks.md).
 */
export const ContainerLogsConfigSchema = z.strictObject({
  enabled: z.boolean().default(true).describe("Whether the pods' logs (stdout and stderr of every container, on every node) are shipped to CloudWatch Logs by the `amazon-cloudwatch-observability` add-on, into `/aws/containerinsights/<cluster>/application` (and `dataplane`, `host`, `performance`). Without it, a pod's logs live only on its node and are lost when the pod or node is replaced. `false` removes the add-on, its identity, its log groups and their key."),
  retentionInDays: LogRetentionSchema.optional().describe("Days to keep the container log groups. Default: `eks.logRetentionInDays` (the control-plane logs')."),
  addonVersion: z.string().regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, { message: 'must be an add-on version such as "v4.5.0-eksbuild.1"' }).optional().describe("The `amazon-cloudwatch-observability` add-on version, at least v3.1.0 (EKS Pod Identity), e.g. `v4.5.0-eksbuild.1`. Default: the default version AWS picks for the cluster's Kubernetes version at creation."),
});

/** The cluster's API endpoint: reachable from the VPC, and optionally from listed public CIDRs. */
export const EndpointAccessConfigSchema = z.strictObject({
  privateAccess: z.boolean().default(true).describe("Whether the API is reachable from inside the VPC (nodes use this path)."),
  publicAccess: z.boolean().optional().describe("Whether the API is reachable from the internet (from `publicAccessCidrs` only). Outside dev a public endpoint must list its CIDRs: `0.0.0.0/0` fails synth there. Default: true in dev; false in staging and prod (reach the private endpoint from the VPC, a VPN or a CI runner in the VPC: docs/eks.md)."),
  publicAccessCidrs: z.array(z.string()).default(["0.0.0.0/0"]).describe("The CIDRs that may reach the public endpoint; narrow them to your offices, VPN or CI. Default: [\"0.0.0.0/0\"] (dev only)."),
  privateAccessCidrs: z.array(z.string()).default([]).describe("CIDRs outside the cluster (CI runners, VPN, bastion subnets) that may reach the private endpoint on 443. Required when there are workloads and the endpoint is private only (staging and prod by default): whatever applies the workloads stack must reach the API."),
});

/** An EKS cluster with managed node groups, add-ons, IRSA and secrets encryption. */
export const EksConfigSchema = z.strictObject({
  version: z.string().default("1.35").describe("The Kubernetes version: one of AWS's EKS calendar (src/lib/support-calendar.ts), in standard support on the day of synth."),
  supportType: z.enum(["STANDARD", "EXTENDED"]).default("EXTENDED").describe("`EXTENDED` keeps a version past the end of its standard support (at extended-support pricing); `STANDARD` lets EKS upgrade the cluster when standard support ends."),
  endpoint: EndpointAccessConfigSchema.prefault({}).describe("Who can reach the API endpoint. Default: private; in dev also public (from anywhere)."),
  logTypes: z.array(z.enum(CLUSTER_LOG_TYPES)).default([...CLUSTER_LOG_TYPES]).describe("Control-plane logs sent to CloudWatch Logs. Default: all five types."),
  logRetentionInDays: LogRetentionSchema.default(90).describe("Days to keep the control-plane logs."),
  kmsKeyDeletionWindowInDays: z.number().int().min(7).max(30).default(30).describe("Days KMS waits before deleting the secrets-encryption key once scheduled for deletion (7-30)."),
  authenticationMode: z.enum(["API_AND_CONFIG_MAP", "API"]).default("API_AND_CONFIG_MAP").describe("`API_AND_CONFIG_MAP` (access entries, plus the aws-auth ConfigMap) or `API` (access entries only)."),
  bootstrapClusterCreatorAdminPermissions: z.boolean().default(true).describe("Whether the identity that creates the cluster gets cluster-admin. The workloads stack applies as that identity, so leave it on unless `adminPrincipalArns` lists it. Changing it replaces the cluster."),
  adminPrincipalArns: z.array(z.string()).default([]).describe("IAM role or user ARNs given cluster-admin through access entries."),
  serviceIpv4Cidr: z.string().optional().describe("The CIDR Kubernetes services get their IPs from. Changing it on a running cluster replaces the cluster (refused at plan where `deletionProtection` is on). Default: AWS's choice (10.100.0.0/16 or 172.20.0.0/16)."),
  nodeGroups: z.record(z.string(), NodeGroupConfigSchema).prefault({
    system: { instanceTypes: ["t3.medium"], minSize: 2, maxSize: 4, desiredSize: 2, taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }] },
    worker: { instanceTypes: ["t3.large"], minSize: 3, maxSize: 10, desiredSize: 3 },
  }).describe("Managed node groups, by name. The default is ODE's document: a tainted `system` pool of 2 t3.medium for cluster add-ons and a `worker` pool of 3 t3.large for the apps. Default: { system: t3.medium 2 (2-4), worker: t3.large 3 (3-10) }."),
  addons: z.record(z.string(), AddonConfigSchema.nullable()).prefault({
    "vpc-cni": {},
    "kube-proxy": {},
    coredns: {},
    "eks-pod-identity-agent": {},
  }).describe("EKS add-ons, by name; `null` removes one. Default: vpc-cni, kube-proxy, coredns, eks-pod-identity-agent. `amazon-cloudwatch-observability` is not one of them: `containerLogs` installs it."),
  containerLogs: ContainerLogsConfigSchema.prefault({}).describe("Shipping the pods' logs to CloudWatch Logs (docs/eks.md, Container logs). Default: on, kept as long as the control-plane logs."),
});

export type EksConfig = z.infer<typeof EksConfigSchema>;
/**
 * The cluster's settings once checked: `endpoint.publicAccess` filled in with the
 * environment's default by {@link checkEksConfig}, the one place that default is derived.
 */
export type EksSettings = Omit<EksConfig, "endpoint" | "containerLogs"> & {
  readonly endpoint: EksConfig["endpoint"] & { readonly publicAccess: boolean };
  /** `retentionInDays` filled in with `logRetentionInDays` when unset. */
  readonly containerLogs: EksConfig["containerLogs"] & { readonly retentionInDays: number };
};
export type EksConfigInput = z.input<typeof EksConfigSchema>;
export type NodeGroupConfig = z.infer<typeof NodeGroupConfigSchema>;
export type AddonConfig = z.infer<typeof AddonConfigSchema>;
export type ContainerLogsConfig = z.infer<typeof ContainerLogsConfigSchema>;

const NODE_GROUP_NAME = /^[a-z][a-z0-9-]{0,30}$/;
const ADDON_NAME = /^[a-z0-9][a-z0-9-]*$/;
const IAM_PRINCIPAL_ARN = /^arn:aws(-cn|-us-gov)?:(iam|sts)::\d{12}:(role|user|assumed-role)\/[\w+=,.@/-]+$/;

/**
 * Checks what the schema cannot: the version is one EKS runs, node group sizes are in
 * order, CIDRs and ARNs are well formed, the public endpoint is not open to the internet
 * outside dev. Every setting, node group and add-on is checked even when another fails.
 * Keys are relative to `eks`. Returns the settings with the environment's default of
 * `endpoint.publicAccess` filled in; throws a ConfigError, or ConfigErrors for several.
 */
export function checkEksConfig(eks: EksConfig, environment = "dev"): EksSettings {
  const problems = new Problems();
  if (!(KUBERNETES_VERSIONS as readonly string[]).includes(eks.version)) {
    problems.add(
      new ConfigError(
        "version",
        eks.version,
        "is not a Kubernetes version EKS supports",
        `use one of ${KUBERNETES_VERSIONS.join(", ")} (a newer EKS version is one line, with its dates, in src/lib/support-calendar.ts)`,
      ),
    );
  }
  const endpoint = { ...eks.endpoint, publicAccess: publicAccessOf(eks.endpoint, environment) };
  problems.check(() => checkEndpoint(endpoint, environment));
  if (eks.serviceIpv4Cidr !== undefined) problems.check(() => checkCidr("serviceIpv4Cidr", eks.serviceIpv4Cidr!));
  eks.adminPrincipalArns.forEach((arn, i) => {
    if (!IAM_PRINCIPAL_ARN.test(arn)) {
      problems.add(new ConfigError(`adminPrincipalArns[${i}]`, arn, "is not an IAM role or user ARN", "use e.g. arn:aws:iam::123456789012:role/platform-admin"));
    }
  });
  if (new Set(eks.logTypes).size !== eks.logTypes.length) {
    problems.add(new ConfigError("logTypes", eks.logTypes, "lists a log type twice", "list each log type once"));
  }

  const groups = Object.entries(eks.nodeGroups);
  if (groups.length === 0) {
    problems.add(new ConfigError("nodeGroups", eks.nodeGroups, "is empty, so no pod could run", "define at least one node group"));
  }
  for (const [name, group] of groups) problems.check(() => checkNodeGroup(name, group));

  for (const name of Object.keys(eks.addons)) {
    if (!ADDON_NAME.test(name)) {
      problems.add(new ConfigError(`addons.${name}`, name, "is not an EKS add-on name", "use the add-on's name as `aws eks describe-addon-versions` lists it, e.g. vpc-cni"));
    }
  }
  problems.check(() => checkContainerLogs(eks));
  problems.throwIfAny();
  const containerLogs = { ...eks.containerLogs, retentionInDays: eks.containerLogs.retentionInDays ?? eks.logRetentionInDays };
  return { ...eks, endpoint, containerLogs };
}

/**
 * The container logs' add-on is the project's to install, and its Fluent Bit gets its AWS
 * identity from EKS Pod Identity; keys relative to `eks`.
 */
function checkContainerLogs(eks: EksConfig): void {
  if (!eks.containerLogs.enabled) return;
  const problems = new Problems();
  if (eks.addons[CONTAINER_LOGS_ADDON]) {
    problems.add(
      new ConfigError(
        `addons.${CONTAINER_LOGS_ADDON}`,
        eks.addons[CONTAINER_LOGS_ADDON],
        "is installed by eks.containerLogs, with its identity, log groups and configuration",
        `remove it from eks.addons (pin its version with eks.containerLogs.addonVersion), or set eks.containerLogs.enabled to false to install it yourself`,
      ),
    );
  }
  const version = eks.containerLogs.addonVersion?.match(/^v(\d+)\.(\d+)\./);
  if (version && (Number(version[1]) < 3 || (Number(version[1]) === 3 && Number(version[2]) < 1))) {
    problems.add(
      new ConfigError(
        "containerLogs.addonVersion",
        eks.containerLogs.addonVersion,
        "is older than v3.1.0, the first version of the add-on that takes its AWS identity from EKS Pod Identity",
        "use v3.1.0 or later (aws eks describe-addon-versions --addon-name amazon-cloudwatch-observability), or leave it unset for AWS's default",
      ),
    );
  }
  if (!eks.addons["eks-pod-identity-agent"]) {
    problems.add(
      new ConfigError(
        "addons.eks-pod-identity-agent",
        eks.addons["eks-pod-identity-agent"] ?? null,
        "is off, but the container logs' Fluent Bit gets its AWS credentials through EKS Pod Identity: without the agent it could write no log",
        'keep the eks-pod-identity-agent add-on, or set eks.containerLogs.enabled to false',
      ),
    );
  }
  problems.throwIfAny();
}

/** Whether the API endpoint is public: as set, or by default in dev only. */
export function publicAccessOf(endpoint: EksConfig["endpoint"], environment: string): boolean {
  return endpoint.publicAccess ?? environment === "dev";
}

/** Who can reach the API endpoint (`publicAccess` filled in); keys relative to `eks`. */
function checkEndpoint(endpoint: EksConfig["endpoint"] & { publicAccess: boolean }, environment: string): void {
  const problems = new Problems();
  if (!endpoint.privateAccess && !endpoint.publicAccess) {
    problems.add(new ConfigError("endpoint", endpoint, "turns off both the private and the public API endpoint", "enable privateAccess, publicAccess or both"));
  }
  if (endpoint.publicAccess && endpoint.publicAccessCidrs.length === 0) {
    problems.add(new ConfigError("endpoint.publicAccessCidrs", [], "is empty, so nobody could reach the public endpoint", 'list the CIDRs that may reach it, or set "publicAccess": false'));
  }
  endpoint.publicAccessCidrs.forEach((cidr, i) => problems.check(() => checkCidr(`endpoint.publicAccessCidrs[${i}]`, cidr)));
  if (environment !== "dev" && endpoint.publicAccess && endpoint.publicAccessCidrs.includes("0.0.0.0/0")) {
    problems.add(
      new ConfigError(
        "endpoint.publicAccessCidrs",
        endpoint.publicAccessCidrs,
        `opens the public Kubernetes API endpoint to the whole internet in ${environment}`,
        'list your offices, VPN and CI egress CIDRs instead, or set "publicAccess": false and reach the private endpoint from the VPC (docs/eks.md: Reaching a private API endpoint)',
      ),
    );
  }
  endpoint.privateAccessCidrs.forEach((cidr, i) => problems.check(() => checkCidr(`endpoint.privateAccessCidrs[${i}]`, cidr)));
  problems.throwIfAny();
}

/** One managed node group; keys relative to `eks`. */
function checkNodeGroup(name: string, group: NodeGroupConfig): void {
  const problems = new Problems();
  const key = `nodeGroups.${name}`;
  if (!NODE_GROUP_NAME.test(name)) {
    problems.add(new ConfigError(key, name, "is not a valid node group name", "use 1-31 lower case letters, digits and dashes, starting with a letter"));
  }
  if (group.minSize > group.maxSize) {
    problems.add(new ConfigError(`${key}.minSize`, group.minSize, `is greater than maxSize (${group.maxSize})`, "make minSize <= desiredSize <= maxSize"));
  } else if (group.desiredSize < group.minSize || group.desiredSize > group.maxSize) {
    problems.add(
      new ConfigError(
        `${key}.desiredSize`,
        group.desiredSize,
        `is outside minSize..maxSize (${group.minSize}..${group.maxSize})`,
        "make minSize <= desiredSize <= maxSize",
      ),
    );
  }
  if (NODE_POOL_LABEL in group.labels) {
    problems.add(new ConfigError(`${key}.labels.${NODE_POOL_LABEL}`, group.labels[NODE_POOL_LABEL], "is set automatically to the node group's name", `remove it; select the pool with ${NODE_POOL_LABEL}: ${name}`));
  }
  const arm = group.amiType.includes("ARM");
  group.instanceTypes.forEach((type, i) => {
    if (isGravitonType(type) !== arm) {
      problems.add(
        new ConfigError(
          `${key}.instanceTypes[${i}]`,
          type,
          `is ${isGravitonType(type) ? "an ARM (Graviton)" : "an x86"} instance type, but amiType ${group.amiType} is for ${arm ? "ARM" : "x86"}`,
          `use ${arm ? "a Graviton type such as t4g.large" : "an x86 type such as t3.large"}, or change amiType`,
        ),
      );
    }
  });
  problems.throwIfAny();
}

function checkCidr(key: string, cidr: string): void {
  try {
    parseCidr(cidr);
  } catch (e) {
    if (!(e instanceof CidrSyntaxError)) throw e;
    throw new ConfigError(key, cidr, e.message, e.suggestion ? `use ${e.suggestion}` : "use a.b.c.d/n, e.g. 203.0.113.0/24");
  }
}

