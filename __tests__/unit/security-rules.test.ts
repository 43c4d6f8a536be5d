import { excuses, globToRegExp } from "../harness/security-exceptions";
import { scanStack, SECURITY_RULES } from "../harness/security-rules";
import { StackJson } from "../harness/synth";

type R = Record<string, Record<string, Record<string, unknown>>>;
const stack = (resource: R): StackJson => ({ resource });
const ref = (address: string, attr = "id") => `\${${address}.${attr}}`;

/** A bucket with everything the S3 rules ask for; `omit` drops companions, `patch` changes them. */
function bucket(omit: string[] = [], patch: R = {}): R {
  const b = "aws_s3_bucket.b";
  const r: R = {
    aws_s3_bucket: { b: { bucket: "x" } },
    aws_s3_bucket_public_access_block: { pab: { bucket: ref(b), block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true } },
    aws_s3_bucket_server_side_encryption_configuration: { sse: { bucket: ref(b), rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" } }] } },
    aws_s3_bucket_versioning: { v: { bucket: ref(b), versioning_configuration: { status: "Enabled" } } },
    aws_s3_bucket_logging: { l: { bucket: ref(b), target_bucket: "logs" } },
    aws_s3_bucket_policy: { p: { bucket: ref(b), policy: JSON.stringify({ Statement: [{ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }] }) } },
    aws_s3_bucket_lifecycle_configuration: { lc: { bucket: ref(b), rule: [] } },
  };
  for (const t of omit) delete r[t];
  for (const [t, v] of Object.entries(patch)) r[t] = { ...r[t], ...v };
  return r;
}

const vpc = (): R => ({
  aws_vpc: { v: { cidr_block: "10.0.0.0/16" } },
  aws_flow_log: { f: { vpc_id: ref("aws_vpc.v") } },
  aws_default_security_group: { d: { vpc_id: ref("aws_vpc.v") } },
});
const rds = (over: Record<string, unknown> = {}): R => ({
  aws_db_instance: { db: { publicly_accessible: false, storage_encrypted: true, backup_retention_period: 7, deletion_protection: true, iam_database_authentication_enabled: true, enabled_cloudwatch_logs_exports: ["error"], multi_az: true, ...over } },
});
const redis = (over: Record<string, unknown> = {}): R => ({
  aws_elasticache_replication_group: { r: { at_rest_encryption_enabled: "true", transit_encryption_enabled: true, user_group_ids: ["g"], ...over } },
});
const ecr = (over: Record<string, unknown> = {}): R => ({
  aws_ecr_repository: { e: { image_scanning_configuration: { scan_on_push: true }, image_tag_mutability: "IMMUTABLE", encryption_configuration: [{ encryption_type: "KMS" }], ...over } },
});
const lt = (over: Record<string, unknown> = {}): R => ({
  aws_launch_template: {
    t: {
      metadata_options: { http_tokens: "required" },
      block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "true" } }],
      network_interfaces: [{ associate_public_ip_address: "false" }],
      ...over,
    },
  },
});
const ingress = (cidr: string, from: number, to: number): R => ({
  aws_vpc_security_group_ingress_rule: { i: { cidr_ipv4: cidr, from_port: from, to_port: to, ip_protocol: "tcp", description: "d" } },
});
const alb = (over: Record<string, unknown> = {}, extra: R = {}): R => ({
  aws_lb: { a: { internal: true, load_balancer_type: "application", drop_invalid_header_fields: true, enable_deletion_protection: true, access_logs: { bucket: "logs", enabled: true }, ...over } },
  aws_wafv2_web_acl_association: { w: { resource_arn: ref("aws_lb.a", "arn"), web_acl_arn: "x" } },
  ...extra,
});
const listener = (over: Record<string, unknown>): R => ({ aws_lb_listener: { l: { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06", ...over } } });
const acl = (rules: string[] = ["AWSManagedRulesKnownBadInputsRuleSet"], logged = true): R => ({
  aws_wafv2_web_acl: { w: { rule: rules.map((name) => ({ statement: { managed_rule_group_statement: { name, vendor_name: "AWS" } } })) } },
  ...(logged ? { aws_wafv2_web_acl_logging_configuration: { l: { resource_arn: ref("aws_wafv2_web_acl.w", "arn") } } } : {}),
});
const cdn = (over: Record<string, unknown> = {}): R => ({
  aws_cloudfront_distribution: {
    c: {
      web_acl_id: "arn",
      viewer_certificate: { minimum_protocol_version: "TLSv1.2_2021", acm_certificate_arn: "a" },
      default_cache_behavior: { viewer_protocol_policy: "redirect-to-https" },
      logging_config: { bucket: "logs.s3.amazonaws.com" },
      ...over,
    },
  },
});
const eks = (vpcConfig: Record<string, unknown> = { endpoint_public_access: false }, over: Record<string, unknown> = {}): R => ({
  aws_eks_cluster: {
    k: {
      vpc_config: { endpoint_private_access: true, ...vpcConfig },
      enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      encryption_config: { resources: ["secrets"], provider: { key_arn: "k" } },
      ...over,
    },
  },
});
const k8sIngress = (annotations: Record<string, string>): R => ({
  kubernetes_ingress_v1: {
    i: {
      metadata: {
        annotations: {
          "alb.ingress.kubernetes.io/scheme": "internet-facing",
          "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80},{"HTTPS":443}]',
          "alb.ingress.kubernetes.io/ssl-redirect": "443",
          "alb.ingress.kubernetes.io/wafv2-acl-arn": "arn",
          "alb.ingress.kubernetes.io/load-balancer-attributes": "access_logs.s3.enabled=true,access_logs.s3.bucket=b",
          ...annotations,
        },
      },
    },
  },
});

/**
 * Per rule: a small input it must flag (with the flagged address), and the good input of
 * the same resources it must pass. Every rule has a case: a rule that cannot fail is caught.
 */
const CASES: Record<string, { good: R; bad: R; address: string }> = {
  "CKV2_AWS_6/AVD-AWS-0086..0094": { good: bucket(), bad: bucket([], { aws_s3_bucket_public_access_block: { pab: { bucket: ref("aws_s3_bucket.b"), block_public_acls: true } } }), address: "aws_s3_bucket.b" },
  "CKV_AWS_19/AVD-AWS-0088": { good: bucket(), bad: bucket(["aws_s3_bucket_server_side_encryption_configuration"]), address: "aws_s3_bucket.b" },
  "CKV_AWS_145/AVD-AWS-0132": { good: bucket(), bad: bucket([], { aws_s3_bucket_server_side_encryption_configuration: { sse: { bucket: ref("aws_s3_bucket.b"), rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }] } } }), address: "aws_s3_bucket.b" },
  "CKV_AWS_21/AVD-AWS-0090": { good: bucket(), bad: bucket([], { aws_s3_bucket_versioning: { v: { bucket: ref("aws_s3_bucket.b"), versioning_configuration: { status: "Suspended" } } } }), address: "aws_s3_bucket.b" },
  "CKV_AWS_18/AVD-AWS-0089": { good: bucket(), bad: bucket(["aws_s3_bucket_logging"]), address: "aws_s3_bucket.b" },
  "AwsSolutions-S10/CKV_AWS_379": { good: bucket(), bad: bucket([], { aws_s3_bucket_policy: { p: { bucket: ref("aws_s3_bucket.b"), policy: "{}" } } }), address: "aws_s3_bucket.b" },
  "CKV2_AWS_61": { good: bucket(), bad: bucket(["aws_s3_bucket_lifecycle_configuration"]), address: "aws_s3_bucket.b" },
  "CKV_AWS_17/AVD-AWS-0180": { good: rds(), bad: rds({ publicly_accessible: true }), address: "aws_db_instance.db" },
  "CKV_AWS_16/AVD-AWS-0080": { good: rds(), bad: rds({ storage_encrypted: false }), address: "aws_db_instance.db" },
  "CKV_AWS_133/AVD-AWS-0077": { good: rds(), bad: rds({ backup_retention_period: 0 }), address: "aws_db_instance.db" },
  "CKV_AWS_293/AVD-AWS-0177": { good: rds(), bad: rds({ deletion_protection: false }), address: "aws_db_instance.db" },
  "CKV_AWS_161/AVD-AWS-0176": { good: rds(), bad: rds({ iam_database_authentication_enabled: undefined }), address: "aws_db_instance.db" },
  "CKV_AWS_129": { good: rds(), bad: rds({ enabled_cloudwatch_logs_exports: [] }), address: "aws_db_instance.db" },
  "CKV_AWS_157": { good: rds(), bad: rds({ multi_az: false }), address: "aws_db_instance.db" },
  "CKV_AWS_29/AVD-AWS-0045": { good: redis(), bad: redis({ at_rest_encryption_enabled: "false" }), address: "aws_elasticache_replication_group.r" },
  "CKV_AWS_30/AVD-AWS-0051": { good: redis(), bad: redis({ transit_encryption_enabled: undefined }), address: "aws_elasticache_replication_group.r" },
  "CKV_AWS_31": { good: redis(), bad: redis({ user_group_ids: [] }), address: "aws_elasticache_replication_group.r" },
  "CKV_AWS_163/AVD-AWS-0030": { good: ecr(), bad: ecr({ image_scanning_configuration: { scan_on_push: false } }), address: "aws_ecr_repository.e" },
  "CKV_AWS_51/AVD-AWS-0031": { good: ecr(), bad: ecr({ image_tag_mutability: "MUTABLE" }), address: "aws_ecr_repository.e" },
  "CKV_AWS_136/AVD-AWS-0033": { good: ecr(), bad: ecr({ encryption_configuration: [{ encryption_type: "AES256" }] }), address: "aws_ecr_repository.e" },
  "CKV_AWS_149/AVD-AWS-0098": { good: { aws_secretsmanager_secret: { s: { kms_key_id: "k" } }, aws_secretsmanager_secret_rotation: { r: { secret_id: ref("aws_secretsmanager_secret.s") } } }, bad: { aws_secretsmanager_secret: { s: { name: "s" } } }, address: "aws_secretsmanager_secret.s" },
  "CKV2_AWS_57": { good: { aws_secretsmanager_secret: { s: { kms_key_id: "k" } }, aws_secretsmanager_secret_rotation: { r: { secret_id: ref("aws_secretsmanager_secret.s") } } }, bad: { aws_secretsmanager_secret: { s: { kms_key_id: "k" } } }, address: "aws_secretsmanager_secret.s" },
  "CKV_AWS_7/AVD-AWS-0065": { good: { aws_kms_key: { k: { enable_key_rotation: true } } }, bad: { aws_kms_key: { k: { description: "x" } } }, address: "aws_kms_key.k" },
  "CKV_AWS_36/AVD-AWS-0016": { good: { aws_cloudtrail: { t: { enable_log_file_validation: true, kms_key_id: "k", is_multi_region_trail: true } } }, bad: { aws_cloudtrail: { t: { kms_key_id: "k", is_multi_region_trail: true } } }, address: "aws_cloudtrail.t" },
  "CKV_AWS_35/AVD-AWS-0015": { good: { aws_cloudtrail: { t: { enable_log_file_validation: true, kms_key_id: "k", is_multi_region_trail: true } } }, bad: { aws_cloudtrail: { t: { enable_log_file_validation: true, is_multi_region_trail: true } } }, address: "aws_cloudtrail.t" },
  "CKV_AWS_67/AVD-AWS-0014": { good: { aws_cloudtrail: { t: { enable_log_file_validation: true, kms_key_id: "k", is_multi_region_trail: true } } }, bad: { aws_cloudtrail: { t: { enable_log_file_validation: true, kms_key_id: "k" } } }, address: "aws_cloudtrail.t" },
  "CKV_AWS_66": { good: { aws_cloudwatch_log_group: { g: { retention_in_days: 365, kms_key_id: "k" } } }, bad: { aws_cloudwatch_log_group: { g: { kms_key_id: "k" } } }, address: "aws_cloudwatch_log_group.g" },
  "CKV_AWS_338": { good: { aws_cloudwatch_log_group: { g: { retention_in_days: 365, kms_key_id: "k" } } }, bad: { aws_cloudwatch_log_group: { g: { retention_in_days: 90, kms_key_id: "k" } } }, address: "aws_cloudwatch_log_group.g" },
  "CKV_AWS_158/AVD-AWS-0017": { good: { aws_cloudwatch_log_group: { g: { retention_in_days: 365, kms_key_id: "k" } } }, bad: { aws_cloudwatch_log_group: { g: { retention_in_days: 365 } } }, address: "aws_cloudwatch_log_group.g" },
  "CKV_AWS_26/AVD-AWS-0095": { good: { aws_sns_topic: { t: { kms_master_key_id: "k" } } }, bad: { aws_sns_topic: { t: { name: "t" } } }, address: "aws_sns_topic.t" },
  "CKV_AWS_79/AVD-AWS-0130": { good: lt(), bad: lt({ metadata_options: { http_tokens: "optional" } }), address: "aws_launch_template.t" },
  "CKV_AWS_8/AVD-AWS-0131": { good: lt(), bad: lt({ block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "false" } }] }), address: "aws_launch_template.t" },
  "CKV_AWS_88/AVD-AWS-0009": { good: lt(), bad: lt({ network_interfaces: [{ associate_public_ip_address: "true" }] }), address: "aws_launch_template.t" },
  "CKV2_AWS_11": { good: vpc(), bad: { ...vpc(), aws_flow_log: {} }, address: "aws_vpc.v" },
  "CKV2_AWS_12": { good: vpc(), bad: { ...vpc(), aws_default_security_group: { d: { vpc_id: ref("aws_vpc.v"), ingress: [{ from_port: 0 }] } } }, address: "aws_vpc.v" },
  "CKV_AWS_24/AVD-AWS-0107": { good: ingress("10.0.0.0/8", 22, 22), bad: ingress("0.0.0.0/0", 0, 1024), address: "aws_vpc_security_group_ingress_rule.i" },
  "CKV_AWS_25/AVD-AWS-0107": { good: ingress("0.0.0.0/0", 443, 443), bad: ingress("0.0.0.0/0", 3389, 3389), address: "aws_vpc_security_group_ingress_rule.i" },
  "CKV_AWS_260": { good: ingress("0.0.0.0/0", 443, 443), bad: ingress("0.0.0.0/0", 80, 80), address: "aws_vpc_security_group_ingress_rule.i" },
  "AVD-AWS-0107": { good: ingress("10.0.0.0/16", 443, 443), bad: ingress("0.0.0.0/0", 443, 443), address: "aws_vpc_security_group_ingress_rule.i" },
  "CKV_AWS_23/AVD-AWS-0099/AVD-AWS-0124": { good: { aws_security_group: { g: { description: "d" } } }, bad: { aws_security_group: { g: { name: "g" } } }, address: "aws_security_group.g" },
  "CKV_AWS_91": { good: alb(), bad: alb({ access_logs: undefined }), address: "aws_lb.a" },
  "CKV_AWS_131/AVD-AWS-0052": { good: alb({ internal: false }), bad: alb({ internal: false, drop_invalid_header_fields: false }), address: "aws_lb.a" },
  "CKV_AWS_150": { good: alb(), bad: alb({ enable_deletion_protection: false }), address: "aws_lb.a" },
  "AVD-AWS-0053": { good: alb(), bad: alb({ internal: false }), address: "aws_lb.a" },
  "CKV_AWS_2/AVD-AWS-0054": {
    good: listener({ protocol: "HTTP", default_action: [{ type: "redirect", redirect: { protocol: "HTTPS" } }] }),
    bad: listener({ protocol: "HTTP", default_action: [{ type: "forward", target_group_arn: "tg" }] }),
    address: "aws_lb_listener.l",
  },
  "CKV_AWS_103/AVD-AWS-0047": { good: listener({}), bad: listener({ ssl_policy: "ELBSecurityPolicy-2016-08" }), address: "aws_lb_listener.l" },
  "CKV2_AWS_28": { good: alb({ internal: false }), bad: { ...alb({ internal: false }), aws_wafv2_web_acl_association: {} }, address: "aws_lb.a" },
  "CKV2_AWS_31": { good: acl(), bad: acl(undefined, false), address: "aws_wafv2_web_acl.w" },
  "CKV_AWS_192": { good: acl(), bad: acl(["AWSManagedRulesCommonRuleSet"]), address: "aws_wafv2_web_acl.w" },
  "CKV_AWS_68/CKV2_AWS_47": { good: cdn(), bad: cdn({ web_acl_id: undefined }), address: "aws_cloudfront_distribution.c" },
  "CKV_AWS_174/AVD-AWS-0013": { good: cdn(), bad: cdn({ viewer_certificate: { cloudfront_default_certificate: true } }), address: "aws_cloudfront_distribution.c" },
  "CKV_AWS_34/AVD-AWS-0012": { good: cdn(), bad: cdn({ default_cache_behavior: { viewer_protocol_policy: "allow-all" } }), address: "aws_cloudfront_distribution.c" },
  "CKV_AWS_86/AVD-AWS-0010": { good: cdn(), bad: cdn({ logging_config: undefined }), address: "aws_cloudfront_distribution.c" },
  "CKV_AWS_38/AVD-AWS-0041": { good: eks({ endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] }), bad: eks({ endpoint_public_access: true, public_access_cidrs: ["0.0.0.0/0"] }), address: "aws_eks_cluster.k" },
  "CKV_AWS_39/AVD-AWS-0040": { good: eks(), bad: eks({ endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] }), address: "aws_eks_cluster.k" },
  "CKV_AWS_37/AVD-AWS-0038": { good: eks(), bad: eks(undefined, { enabled_cluster_log_types: ["api"] }), address: "aws_eks_cluster.k" },
  "CKV_AWS_58/AVD-AWS-0039": { good: eks(), bad: eks(undefined, { encryption_config: undefined }), address: "aws_eks_cluster.k" },
  "CKV_AWS_28/AVD-AWS-0024": { good: { aws_dynamodb_table: { t: { point_in_time_recovery: { enabled: true }, server_side_encryption: { enabled: true, kms_key_arn: "k" } } } }, bad: { aws_dynamodb_table: { t: { server_side_encryption: { enabled: true, kms_key_arn: "k" } } } }, address: "aws_dynamodb_table.t" },
  "CKV_AWS_119/AVD-AWS-0025": { good: { aws_dynamodb_table: { t: { point_in_time_recovery: { enabled: true }, server_side_encryption: { enabled: true, kms_key_arn: "k" } } } }, bad: { aws_dynamodb_table: { t: { point_in_time_recovery: { enabled: true } } } }, address: "aws_dynamodb_table.t" },
  "CKV_AWS_2/AVD-AWS-0054-ingress": { good: k8sIngress({}), bad: k8sIngress({ "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80}]' }), address: "kubernetes_ingress_v1.i" },
  "CKV2_AWS_28-ingress": { good: k8sIngress({}), bad: k8sIngress({ "alb.ingress.kubernetes.io/wafv2-acl-arn": "" }), address: "kubernetes_ingress_v1.i" },
  "CKV_AWS_91-ingress": { good: k8sIngress({}), bad: k8sIngress({ "alb.ingress.kubernetes.io/load-balancer-attributes": "deletion_protection.enabled=true" }), address: "kubernetes_ingress_v1.i" },
};

describe("security rules (__tests__/harness/security-rules.ts)", () => {
  it("has a bad and a good fixture for every rule, and no fixture without a rule", () => {
    expect(Object.keys(CASES).sort()).toEqual(SECURITY_RULES.map((r) => r.id).sort());
  });

  it("gives every rule a distinct id", () => {
    expect(new Set(SECURITY_RULES.map((r) => r.id)).size).toBe(SECURITY_RULES.length);
  });

  describe.each(SECURITY_RULES.map((r) => [r.id, r] as const))("%s", (id, rule) => {
    const c = CASES[id];
    it("flags the bad fixture at its address", () => {
      const found = scanStack("s", stack(c.bad), [rule]);
      expect(found.map((f) => f.address)).toContain(c.address);
      expect(found.every((f) => f.rule === id && f.severity === rule.severity && f.message.length > 0)).toBe(true);
    });
    it("passes the good fixture", () => {
      expect(scanStack("s", stack(c.good), [rule])).toEqual([]);
    });
  });
});

describe("security exceptions", () => {
  it("match by rule, stack glob and address glob", () => {
    const e = { rule: "CKV_AWS_91", stack: "joblet-*-compute", address: "aws_lb.nlb_lb", reason: "r" };
    const f = { rule: "CKV_AWS_91", severity: "medium" as const, stack: "joblet-prod-compute", address: "aws_lb.nlb_lb", message: "m" };
    expect(excuses(e, f)).toBe(true);
    expect(excuses(e, { ...f, stack: "muejam-prod-compute" })).toBe(false);
    expect(excuses(e, { ...f, address: "aws_lb.alb_lb" })).toBe(false);
    expect(excuses(e, { ...f, rule: "CKV2_AWS_28" })).toBe(false);
  });
  it("treat only * as a wildcard", () => {
    expect(globToRegExp("aws_lb.a").test("aws_lbXa")).toBe(false);
    expect(globToRegExp("*-state").test("ode-prod-state")).toBe(true);
  });
});
