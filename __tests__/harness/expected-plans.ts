import { PlannedSystem } from "../../src/app";
import { colorsOf } from "../../src/config/compute-checks";
import { ComputeConfig, LoadBalancerConfig, ServiceConfig } from "../../src/config/compute-config";

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
  services: ({ config }) => loadBalancerCreates(config.compute),
  compute: ({ config }) => {
    const compute = config.compute;
    const lbHere = compute.loadBalancer?.stack === "compute" ? loadBalancerCreates(compute) : {};
    return sum(lbHere, ...Object.values(compute.services).map((s) => serviceCreates(s)));
  },
};

/** The load balancer, its security group and rules, listeners, target groups, optional log bucket. */
function loadBalancerCreates(compute: ComputeConfig): Record<string, number> {
  const lb = compute.loadBalancer as LoadBalancerConfig;
  const service = Object.values(compute.services).find((s) => s.loadBalanced)!;
  const cidrs = lb.ingressCidrs.length;
  const alb = lb.type === "alb";
  // ALB with TLS: 443 + 80 (redirect); ALB without: 80; NLB: its one port.
  const ingressPorts = alb ? (lb.tls.enabled ? 2 : 1) : 1;
  const listeners = alb && lb.tls.enabled ? 2 : 1;
  const targetGroups = service.blueGreen?.mode === "weighted" ? 2 : 1;
  const logBucket: Record<string, number> = alb && lb.accessLogs
    ? {
        aws_s3_bucket: 1,
        aws_s3_bucket_public_access_block: 1,
        aws_s3_bucket_ownership_controls: 1,
        aws_s3_bucket_server_side_encryption_configuration: 1,
        aws_s3_bucket_versioning: 1,
        aws_s3_bucket_lifecycle_configuration: 1,
        aws_s3_bucket_policy: 1,
      }
    : {};
  return {
    aws_security_group: 1,
    aws_vpc_security_group_ingress_rule: cidrs * ingressPorts,
    aws_vpc_security_group_egress_rule: 1,
    aws_lb: 1,
    aws_lb_listener: listeners,
    aws_lb_target_group: targetGroups,
    ...logBucket,
  };
}

/** A service: security group and rules, role, profile, policy, log group, and per group (color) its template, group, policies, alarms, schedules. */
function serviceCreates(service: ServiceConfig): Record<string, number> {
  const groups = colorsOf(service).length;
  const step = service.scaling.step ? 1 : 0;
  const tracking = (service.scaling.targetTracking.cpu ? 1 : 0) + (service.scaling.targetTracking.requestCountPerTarget ? 1 : 0);
  const schedules = Object.keys(service.schedules).length;
  const ingress = (service.loadBalanced ? 1 : 0) + (service.sshFromVpc ? 1 : 0);
  const alarms = 2 * step + (service.highCpuAlarm ? 1 : 0);
  return {
    aws_security_group: 1,
    aws_vpc_security_group_egress_rule: 1,
    aws_vpc_security_group_ingress_rule: ingress,
    aws_iam_role: 1,
    aws_iam_instance_profile: 1,
    aws_iam_role_policy: 1,
    aws_iam_role_policy_attachment: 1,
    aws_cloudwatch_log_group: 1,
    aws_launch_template: groups,
    aws_autoscaling_group: groups,
    aws_autoscaling_policy: groups * (2 * step + tracking),
    aws_cloudwatch_metric_alarm: groups * alarms,
    aws_autoscaling_schedule: groups * schedules,
  };
}

/** Adds resource counts by type, leaving out zeros (a plan lists only what it creates). */
function sum(...counts: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const c of counts) for (const [type, n] of Object.entries(c)) total[type] = (total[type] ?? 0) + n;
  return Object.fromEntries(Object.entries(total).filter(([, n]) => n > 0));
}
