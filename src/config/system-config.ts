import { z } from "zod";
import { AdoptedConfigSchema } from "./adopted-config";
import { BackendConfigSchema } from "./backend-config";
import { ForeignStateConfigSchema } from "../constructs/remote-state/settings";
import { StateBackendConfigSchema } from "../constructs/state-backend/settings";
import { ComputeConfigSchema } from "../constructs/asg/settings";
import { ENVIRONMENT_NAMES } from "./environments";
import { AuditConfigSchema } from "../constructs/audit/settings";
import { NetworkConfigSchema } from "../constructs/networking/settings";
import { RdsConfigSchema } from "../constructs/rds/settings";
import { RedisConfigSchema } from "../constructs/elasticache/settings";
import { RegistryConfigSchema } from "../constructs/registry/settings";
import { SecretsConfigSchema } from "../constructs/secrets/settings";
import { StorageConfigSchema } from "../constructs/storage/settings";
import { EdgeConfigSchema } from "../constructs/edge/settings";
import { EksConfigSchema } from "../constructs/eks/settings";
import { WafConfigSchema } from "../constructs/waf/settings";
import { WorkloadsConfigSchema } from "../constructs/k8s-workloads/settings";

/**
 * The configuration of one system (e.g. `muejam`) in one environment (e.g. `prod`): what
 * the system's stacks are built from. Unknown keys are errors, so a typo never passes
 * silently.
 */
export const SystemConfigSchema = z.strictObject({
  project: z
    .string()
    .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, { message: "must be lower case letters, digits and dashes, starting with a letter" })
    .max(24, { message: "must be at most 24 characters, so that derived resource names fit AWS limits" }).describe("The system's name: lower case letters, digits and dashes. Prefixes every resource name and the `Project` tag."),
  environment: z.enum(ENVIRONMENT_NAMES).describe("The environment: `dev`, `staging` or `prod`."),
  region: z.string().describe("The AWS region, e.g. `us-east-1`."),
  accountId: z
    .string()
    .regex(/^\d{12}$/, { message: "must be a 12-digit AWS account id" })
    .optional().describe("The only AWS account the stacks may be applied to (the provider's `allowed_account_ids`). When set, derived S3 bucket names end in it (`<project>-<environment>-<key>-<accountId>`): bucket names are global. Default: no restriction."),
  deletionProtection: z.boolean().default(true).describe("AWS-side deletion protection on databases, caches and load balancers, and Terraform `prevent_destroy` on databases and caches. State and data buckets are always protected. Default: false in dev, true in staging and prod."),
  tags: z.record(z.string(), z.string()).default({}).describe("Extra tags on every resource, beside Project, Environment and ManagedBy."),
  network: NetworkConfigSchema.prefault({}).describe("The VPC."),
  storage: StorageConfigSchema.prefault({}).describe("S3 buckets and DynamoDB tables (the `storage` stack). Default: none."),
  registry: RegistryConfigSchema.prefault({}).describe("ECR repositories (the `storage` stack). Default: none."),
  secrets: SecretsConfigSchema.optional().describe("Secrets Manager secrets and their KMS key (the `storage` stack). Default: none."),
  rds: RdsConfigSchema.optional().describe("An RDS instance in the isolated subnets (the `data` stack). Default: none."),
  redis: RedisConfigSchema.optional().describe("An ElastiCache Redis replication group in the isolated subnets (the `data` stack). Default: none."),
  audit: AuditConfigSchema.optional().describe("CloudTrail, secret-access and certificate-expiry alarms (the `audit` stack). Default: none."),
  backend: BackendConfigSchema.prefault({}).describe("Where every stack keeps its Terraform state (docs/state.md). Default: local state files."),
  stateBackend: StateBackendConfigSchema.prefault({}).describe("The system's own state bucket and lock table, as the stack `<project>-<environment>-state`. Default: not built."),
  foreignStates: z.record(z.string(), ForeignStateConfigSchema).default({}).describe("Other teams' states the stacks read, by name (src/constructs/remote-state)."),
  compute: ComputeConfigSchema.prefault({}).describe("The compute tier: load balancer and auto scaling groups (see src/constructs/asg/settings.ts and src/constructs/alb/settings.ts). Default: none."),
  edge: EdgeConfigSchema.nullable().optional().describe("CloudFront, Route 53 and ACM (the `edge` stack, after compute); see docs/edge.md. `null` removes a preset's. Default: none."),
  eks: EksConfigSchema.optional().describe("An EKS cluster (`<project>-<environment>-cluster`); see docs/eks.md. Only systems that run on Kubernetes (ode) build it. Default: none."),
  workloads: WorkloadsConfigSchema.optional().describe("The Kubernetes workloads on the EKS cluster; needs `eks`. See docs/eks.md. Default: none."),
  waf: WafConfigSchema.nullable().prefault({}).describe("The WAFv2 web ACL of every internet-facing ALB, CloudFront distribution and Ingress (see src/constructs/waf/settings.ts, docs/security.md); `null` for none, which synth warns about outside dev. Default: on: a 2000-requests-per-5-minutes rate limit and AWS's Common, KnownBadInputs and AmazonIpReputationList rule groups."),
  adopted: AdoptedConfigSchema.describe("Values adopted resources keep (docs/adopt.md), by layer, resource address and attribute."),
});

export type SystemConfig = z.infer<typeof SystemConfigSchema>;
export type SystemConfigInput = DeepPartial<z.input<typeof SystemConfigSchema>>;

/** Every property optional, recursively: one layer of configuration (environment, preset or override). */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
