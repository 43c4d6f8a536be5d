import { PlannedSystem } from "../../src/app";
import { colorsOf } from "../../src/config/compute-checks";
import { ComputeConfig, LoadBalancerConfig, loadBalancerAccessLogs, ServiceConfig } from "../../src/config/compute-config";
import { EdgeConfig } from "../../src/config/edge-config";

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

  storage: ({ config }) => {
    const buckets = Object.values(config.storage.buckets);
    const logBucket = config.storage.accessLogs && buckets.length > 0 ? 1 : 0;
    const allBuckets = buckets.length + logBucket;
    const repositories = Object.keys(config.registry.repositories).length;
    const key = config.secrets !== undefined || buckets.some((b) => b.encryption === "SSE-KMS") ? 1 : 0;
    return nonZero({
      ...secureBuckets(allBuckets),
      aws_s3_bucket_logging: logBucket ? buckets.length : 0,
      aws_dynamodb_table: Object.keys(config.storage.tables).length,
      aws_ecr_repository: repositories,
      aws_ecr_lifecycle_policy: repositories,
      aws_kms_key: key,
      aws_kms_alias: key,
      aws_secretsmanager_secret: Object.keys(config.secrets?.entries ?? {}).length,
    });
  },

  data: ({ config }) => {
    const counts: Record<string, number> = {};
    const add = (type: string, n: number) => (counts[type] = (counts[type] ?? 0) + n);
    if (config.rds) {
      const instances = 1 + Object.keys(config.rds.readReplicas).length;
      // The log exports: postgresql + upgrade, or error + slowquery + general, per instance.
      const logExports = config.rds.engine === "postgres" ? 2 : 3;
      add("aws_db_instance", instances);
      add("aws_db_subnet_group", 1);
      add("aws_db_parameter_group", 1);
      add("aws_security_group", 1);
      add("aws_cloudwatch_log_group", logExports * instances);
      if (config.rds.monitoringInterval > 0) {
        add("aws_iam_role", 1);
        add("aws_iam_role_policy_attachment", 1);
      }
    }
    if (config.redis) {
      add("aws_elasticache_replication_group", 1);
      add("aws_elasticache_subnet_group", 1);
      add("aws_elasticache_parameter_group", 1);
      add("aws_security_group", 1);
      // the disabled "default" user and one IAM user per application user
      add("aws_elasticache_user", 1 + Object.keys(config.redis.users).length);
      add("aws_elasticache_user_group", 1);
      add("aws_cloudwatch_log_group", 1);
    }
    // Every compute service is a client: an ingress rule on each data store's port, and one
    // inline policy on its role (the database secret, and Redis IAM auth as the app user).
    // EKS nodes are clients too (their pods reach the stores), with no role grants.
    const services = Object.keys(config.compute.services).length;
    const clients = services + (config.eks ? 1 : 0);
    if (config.rds) add("aws_vpc_security_group_ingress_rule", clients);
    if (config.redis) add("aws_vpc_security_group_ingress_rule", clients);
    // Each compute service's role, and each pod role that uses the database or Redis.
    const pods = Object.values(config.workloads?.apps ?? {}).filter((a) => a.aws && (a.aws.database || a.aws.redis)).length;
    if (config.rds || config.redis?.users.app) add("aws_iam_role_policy", services + pods);
    // The connection parameter boot scripts read, when a container service asks for the database.
    if (config.rds && Object.values(config.compute.services).some((s) => s.app.type === "container" && s.app.database)) add("aws_ssm_parameter", 1);
    return nonZero(counts);
  },

  audit: ({ config }) => {
    const audit = config.audit!;
    const certificates = Object.keys(audit.certificateExpiry.certificates).length + (audit.certificateExpiry.secretCertificates?.secrets.length ?? 0);
    const acmEvents = audit.certificateExpiry.acmEvents ? 1 : 0;
    return nonZero({
      aws_cloudtrail: 1,
      ...secureBuckets(1),
      aws_kms_key: 1,
      aws_kms_alias: 1,
      aws_cloudwatch_log_group: 1,
      aws_iam_role: 1,
      aws_iam_role_policy: 1,
      aws_sns_topic: 1,
      aws_sns_topic_policy: 1,
      aws_sns_topic_subscription: audit.alarmSubscriptions.length,
      aws_cloudwatch_log_metric_filter: 1,
      aws_cloudwatch_metric_alarm: 1 + certificates,
      aws_cloudwatch_event_rule: acmEvents,
      aws_cloudwatch_event_target: acmEvents,
    });
  },
  // The state bucket (a SecureBucket without access logs) and the lock table.
  state: () => ({ ...secureBuckets(1), aws_dynamodb_table: 1 }),
  services: ({ config }) => sum(loadBalancerCreates(config.compute, config.environment, behindCdn(config)), albWebAcl(config)),
  compute: ({ config }) => {
    const compute = config.compute;
    const lbHere = compute.loadBalancer?.stack === "compute" ? sum(loadBalancerCreates(compute, config.environment, behindCdn(config)), albWebAcl(config)) : {};
    return sum(lbHere, ...Object.values(compute.services).map((s) => serviceCreates(s)));
  },
  edge: ({ config }) => sum(edgeCreates(config.edge!), config.waf && config.edge?.cdn && config.edge.cdn.webAclArn === undefined ? webAcl(false) : {}),
  eks: ({ config }) => {
    const eks = config.eks!;
    const nodeGroups = Object.keys(eks.nodeGroups).length;
    const addons = Object.values(eks.addons).filter((a) => a !== null).length;
    const admins = eks.adminPrincipalArns.length;
    const privateAccessRules = eks.endpoint.privateAccess ? eks.endpoint.privateAccessCidrs.length : 0;
    const accessEntries: Record<string, number> = admins > 0 ? { aws_eks_access_entry: admins, aws_eks_access_policy_association: admins } : {};
    // A pod identity (role, association, and an inline policy when it has buckets) per app
    // with aws settings; the load balancer controller's (role, association, managed policy) with an ingress.
    const podApps = Object.values(config.workloads?.apps ?? {}).filter((a) => a.aws);
    const podPolicies = podApps.filter((a) => Object.keys(a.aws!.buckets).length > 0).length;
    const controller = config.workloads?.ingress ? 1 : 0;
    // The AWS side of an internet-facing Ingress's ALB: its web ACL, and outside dev its access-log bucket.
    const publicIngress = config.workloads?.ingress?.scheme === "internet-facing";
    const ingress = sum(
      publicIngress && config.waf ? webAcl(false) : {},
      publicIngress && config.environment !== "dev" ? secureBuckets(1) : {},
    );
    return sum(ingress, {
      aws_kms_key: 1,
      aws_kms_alias: 1,
      aws_cloudwatch_log_group: 1,
      // the cluster role (AmazonEKSClusterPolicy + an inline KMS grant) and the node role (3 managed policies)
      aws_iam_role: 2 + podApps.length + controller,
      aws_iam_role_policy: 1 + podPolicies,
      aws_iam_role_policy_attachment: 1 + 3 + controller,
      ...(podApps.length + controller > 0 ? { aws_eks_pod_identity_association: podApps.length + controller } : {}),
      ...(controller ? { aws_iam_policy: 1 } : {}),
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
    });
  },
};

/** `count` SecureBuckets: each bucket and its six companions (without access logging). */
function secureBuckets(count: number): Record<string, number> {
  return {
    aws_s3_bucket: count,
    aws_s3_bucket_public_access_block: count,
    aws_s3_bucket_ownership_controls: count,
    aws_s3_bucket_server_side_encryption_configuration: count,
    aws_s3_bucket_versioning: count,
    aws_s3_bucket_lifecycle_configuration: count,
    aws_s3_bucket_policy: count,
  };
}

function nonZero(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

/** The load balancer, its security group and rules, listeners, target groups, optional log bucket. */
function loadBalancerCreates(compute: ComputeConfig, environment: string, cloudFrontOnly: boolean): Record<string, number> {
  const lb = compute.loadBalancer as LoadBalancerConfig;
  const service = Object.values(compute.services).find((s) => s.loadBalanced)!;
  const cidrs = lb.ingressCidrs.length;
  const alb = lb.type === "alb";
  // ALB with TLS: 443 + 80 (redirect); ALB without: 80; NLB: its one port.
  const ingressPorts = alb ? (lb.tls.enabled ? 2 : 1) : 1;
  const listeners = alb && lb.tls.enabled ? 2 : 1;
  const targetGroups = service.blueGreen?.mode === "weighted" ? 2 : 1;
  const logBucket = loadBalancerAccessLogs(lb, environment) ? secureBuckets(1) : {};
  return {
    aws_security_group: 1,
    // From CloudFront's prefix list: one rule, on the port CloudFront uses.
    aws_vpc_security_group_ingress_rule: cloudFrontOnly ? 1 : cidrs * ingressPorts,
    aws_vpc_security_group_egress_rule: 1,
    aws_lb: 1,
    aws_lb_listener: listeners,
    aws_lb_target_group: targetGroups,
    ...logBucket,
  };
}

/** Whether the ALB admits only CloudFront (compute.loadBalancer.ingressFrom, defaulting on the CDN's origin). */
function behindCdn(config: PlannedSystem["config"]): boolean {
  const lb = config.compute.loadBalancer;
  return lb?.type === "alb" && (lb.ingressFrom ?? (config.edge?.cdn?.defaultOrigin === "loadBalancer" ? "cloudfront" : "cidrs")) === "cloudfront";
}

/** A web ACL with its log group and logging configuration (and an association, for a regional one). */
function webAcl(associated: boolean): Record<string, number> {
  return { aws_wafv2_web_acl: 1, aws_cloudwatch_log_group: 1, aws_wafv2_web_acl_logging_configuration: 1, aws_wafv2_web_acl_association: associated ? 1 : 0 };
}

/** The ALB's web ACL, unless `waf` is null (an NLB has none: WAF does not attach to one). */
function albWebAcl(config: PlannedSystem["config"]): Record<string, number> {
  return config.waf && config.compute.loadBalancer?.type === "alb" ? webAcl(true) : {};
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

/**
 * The edge layer: a created hosted zone; the distribution, with a SecureBucket and an origin
 * access control for static assets; for custom names a certificate, its validation and one
 * validation record per name (a wildcard shares its base name's), and alias A (and AAAA
 * with IPv6) records; per load-balancer record an A record (two with failover), a health
 * check and its alarm.
 */
function edgeCreates(edge: EdgeConfig): Record<string, number> {
  const cdn = edge.cdn;
  const names = cdn?.domainNames ?? [];
  const validationRecords = names.filter((n) => !(n.startsWith("*.") && names.includes(n.slice(2)))).length;
  const records = Object.values(edge.loadBalancerRecords);
  const assets = cdn?.staticAssets ? 1 : 0;
  return sum(
    { aws_route53_zone: edge.hostedZone && edge.hostedZone.zoneId === undefined ? 1 : 0 },
    cdn ? { aws_cloudfront_distribution: 1, aws_cloudfront_origin_access_control: assets } : {},
    {
      aws_s3_bucket: assets,
      aws_s3_bucket_public_access_block: assets,
      aws_s3_bucket_ownership_controls: assets,
      aws_s3_bucket_server_side_encryption_configuration: assets,
      aws_s3_bucket_versioning: assets,
      aws_s3_bucket_lifecycle_configuration: assets,
      aws_s3_bucket_policy: assets,
    },
    names.length > 0 ? { aws_acm_certificate: 1, aws_acm_certificate_validation: 1, aws_route53_record: validationRecords + names.length * (cdn!.ipv6 ? 2 : 1) } : {},
    ...records.map((r) => ({
      aws_route53_record: r.failover ? 2 : 1,
      aws_route53_health_check: r.healthCheck ? 1 : 0,
      aws_cloudwatch_metric_alarm: r.healthCheck?.alarm ? 1 : 0,
    })),
  );
}

/** Adds resource counts by type, leaving out zeros (a plan lists only what it creates). */
function sum(...counts: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const c of counts) for (const [type, n] of Object.entries(c)) total[type] = (total[type] ?? 0) + n;
  return Object.fromEntries(Object.entries(total).filter(([, n]) => n > 0));
}
