import { PlannedSystem } from "../../src/app";

/**
 * What `terraform plan` must create for each kind of stack, computed from the system's
 * configuration (not from the synthesized JSON), so a construct that drops or duplicates
 * a resource fails the plan rung.
 */
export function expectedCreates(stackName: string, system: PlannedSystem): Record<string, number> {
  const layer = stackName.slice(`${system.config.project}-${system.config.environment}-`.length);
  const expectation = EXPECTATIONS[layer];
  if (!expectation) throw new Error(`no plan expectation for layer "${layer}" (stack ${stackName}); add one to __tests__/harness/expected-plans.ts`);
  return expectation(system);
}

const EXPECTATIONS: Record<string, (system: PlannedSystem) => Record<string, number>> = {
  network: ({ config }) => {
    const azs = config.network.azs.length;
    const tiers = config.network.isolatedSubnets ? 3 : 2;
    const nats = config.network.natGateways === "single" ? 1 : azs;
    const flowLogs: Record<string, number> = config.network.flowLogs.enabled
      ? { aws_cloudwatch_log_group: 1, aws_iam_role: 1, aws_iam_role_policy: 1, aws_flow_log: 1 }
      : {};
    return {
      aws_vpc: 1,
      aws_internet_gateway: 1,
      aws_default_security_group: 1,
      aws_default_route_table: 1,
      aws_subnet: azs * tiers,
      aws_eip: nats,
      aws_nat_gateway: nats,
      aws_route_table: 1 + azs * (tiers - 1),
      aws_route: 1 + azs,
      aws_route_table_association: azs * tiers,
      ...flowLogs,
    };
  },
  // The state bucket (a SecureBucket without access logs: bucket, public access block,
  // ownership, encryption, versioning, lifecycle, TLS-only policy) and the lock table.
  state: () => ({
    aws_s3_bucket: 1,
    aws_s3_bucket_public_access_block: 1,
    aws_s3_bucket_ownership_controls: 1,
    aws_s3_bucket_server_side_encryption_configuration: 1,
    aws_s3_bucket_versioning: 1,
    aws_s3_bucket_lifecycle_configuration: 1,
    aws_s3_bucket_policy: 1,
    aws_dynamodb_table: 1,
  }),
};
