import { PlannedSystem } from "../../src/app";

/**
 * What `terraform plan` must create for each kind of stack, computed from the system's
 * configuration (not from the synthesized JSON), so a construct that drops or duplicates
 * a resource fails the plan rung.
 */
export function expectedCreates(stackName: string, system: PlannedSystem): Record<string, number> {
  const layer = layerOf(stackName, system);
  const expectation = EXPECTATIONS[layer];
  if (!expectation) throw new Error(`no plan expectation for layer "${layer}" (stack ${stackName}); add one to __tests__/harness/expected-plans.ts`);
  return expectation(system);
}

/** The layer of a stack: its name without the `<project>-<environment>-` prefix. */
export function layerOf(stackName: string, system: PlannedSystem): string {
  return stackName.slice(`${system.config.project}-${system.config.environment}-`.length);
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
  eks: ({ config }) => {
    const eks = config.eks!;
    const nodeGroups = Object.keys(eks.nodeGroups).length;
    const addons = Object.values(eks.addons).filter((a) => a !== null).length;
    const admins = eks.adminPrincipalArns.length;
    const privateAccessRules = eks.endpoint.privateAccess ? eks.endpoint.privateAccessCidrs.length : 0;
    const accessEntries: Record<string, number> = admins > 0 ? { aws_eks_access_entry: admins, aws_eks_access_policy_association: admins } : {};
    return {
      aws_kms_key: 1,
      aws_kms_alias: 1,
      aws_cloudwatch_log_group: 1,
      // the cluster role (AmazonEKSClusterPolicy + an inline KMS grant) and the node role (3 managed policies)
      aws_iam_role: 2,
      aws_iam_role_policy: 1,
      aws_iam_role_policy_attachment: 1 + 3,
      // the control plane's additional group (443 from the nodes) and the nodes' group
      aws_security_group: 2,
      aws_vpc_security_group_egress_rule: 2,
      aws_vpc_security_group_ingress_rule: 1 + privateAccessRules,
      aws_eks_cluster: 1,
      aws_iam_openid_connect_provider: 1,
      aws_launch_template: nodeGroups,
      aws_eks_node_group: nodeGroups,
      aws_eks_addon: addons,
      ...accessEntries,
    };
  },
};
