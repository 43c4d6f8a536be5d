import { z } from "zod";
import { DEFAULT_PREFIX_LENGTHS } from "../../lib/subnet-plan";
import { LogRetentionSchema } from "../../lib/setting-schemas";
import { defaultAzs } from "../../lib/availability-zones";

/**
 * One subnet tier: either planned, `{ prefixLength: 24 }` (a /24 per AZ, carved from the VPC
 * CIDR), or explicit, `{ cidrs: { "us-east-1a": "10.0.0.0/24", ... } }` with one CIDR per AZ.
 */
export const SubnetTierSchema = z.union(
  [
    z.strictObject({ prefixLength: z.number().int().min(16, { message: "must be a subnet prefix length of 16-28" }).max(28, { message: "must be a subnet prefix length of 16-28 (AWS's smallest subnet is a /28)" }) }),
    z.strictObject({ cidrs: z.record(z.string(), z.string()) }),
  ],
  { error: 'must be { "prefixLength": <16-28> } or { "cidrs": { "<az>": "<cidr>", ... } }' },
);

/** VPC flow logs to CloudWatch Logs. */
export const FlowLogsConfigSchema = z.strictObject({
  enabled: z.boolean().default(true).describe("Whether to record flow logs."),
  retentionInDays: LogRetentionSchema.default(90).describe("Days to keep flow logs. Default: 30 in dev, 90 in staging, 365 in prod."),
  trafficType: z.enum(["ALL", "ACCEPT", "REJECT"]).default("ALL").describe("Which traffic to record."),
  maxAggregationInterval: z.union([z.literal(60), z.literal(600)]).default(600).describe("Seconds over which a flow is aggregated into one record: 60 or 600."),
});

/** The VPC: three tiers of subnets over 2-6 AZs, NAT, flow logs. */
export const NetworkConfigSchema = z.strictObject({
  cidr: z.string().default("10.0.0.0/16").describe("The VPC's IPv4 CIDR, /16 to /28."),
  azs: z.array(z.string()).optional().describe("The AZs to span, 2 to 6. Default: the region's first three AZs; none in us-west-1, whose zone names differ by account."),
  publicSubnets: SubnetTierSchema.default({ prefixLength: DEFAULT_PREFIX_LENGTHS.public }).describe("Public subnets (load balancers, NAT gateways). Default: { prefixLength: 24 }."),
  privateSubnets: SubnetTierSchema.default({ prefixLength: DEFAULT_PREFIX_LENGTHS.private }).describe("Private subnets with a default route to NAT (instances, EKS nodes). Default: { prefixLength: 20 }."),
  isolatedSubnets: SubnetTierSchema.nullable().default({ prefixLength: DEFAULT_PREFIX_LENGTHS.isolated }).describe("Isolated subnets with no route to the internet (databases, caches); `null` for none. Default: { prefixLength: 24 }."),
  natGateways: z.enum(["one_per_az", "single"]).default("one_per_az").describe("`one_per_az`: a NAT gateway in every AZ, so an AZ outage cannot cut the others off. `single`: one shared NAT gateway in the first AZ, an explicit cost saving. Default: \"single\" in dev, \"one_per_az\" in staging and prod."),
  flowLogs: FlowLogsConfigSchema.prefault({}).describe("VPC flow logs. Default: enabled, all traffic."),
  eksClusterNames: z.array(z.string()).default([]).describe("EKS clusters that may place load balancers in these subnets (`kubernetes.io/cluster/<name>` tags)."),
});

export type FlowLogsConfig = z.infer<typeof FlowLogsConfigSchema>;
export type NetworkConfig = z.infer<typeof NetworkConfigSchema>;
export type NetworkConfigInput = z.input<typeof NetworkConfigSchema>;

/** The AZs a network spans: `azs` as set, else the region's first three (a default derived from the region). */
export function azsOf(settings: Pick<NetworkConfig, "azs">, region: string): string[] {
  return [...(settings.azs ?? defaultAzs(region))];
}
