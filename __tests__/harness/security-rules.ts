import { StackJson } from "./synth";

/**
 * Security rules of the checkov / trivy / cdk-nag class, applied to synthesized Terraform
 * JSON. No scanner installs here (no network beyond npm), so each rule re-states one
 * published check, cites its id, and reads the same attributes that check reads.
 *
 * Severity follows the scanners where they publish one (trivy's AVD-AWS-* levels), else the
 * judgement written in the rule's `title`. Rules of severity `critical`, `high` and `medium`
 * gate the rung (__tests__/unit/security-scan.test.ts); `low` rules are advisory and listed in
 * docs/security.md.
 */
export type Severity = "critical" | "high" | "medium" | "low";

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  /** The stack it was found in. */
  readonly stack: string;
  /** `type.name` of the resource. */
  readonly address: string;
  readonly message: string;
}

export interface SecurityRule {
  /** The check it mirrors, e.g. `CKV_AWS_91`; several ids joined with `/`. */
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  /** The problems in one stack: each the address and what is wrong. */
  check(stack: StackJson): { address: string; message: string }[];
}

type Resource = Record<string, unknown>;

/** The resources of `type` in a stack, as [name, body]. */
export function resources(stack: StackJson, type: string): [string, Resource][] {
  return Object.entries(stack.resource?.[type] ?? {}) as [string, Resource][];
}

/** The `type.name` addresses a value references through `${type.name.attr}` interpolations. */
export function referencedAddresses(value: unknown): Set<string> {
  const out = new Set<string>();
  const text = JSON.stringify(value ?? null);
  for (const m of text.matchAll(/\$\{([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)[.}]/g)) out.add(`${m[1]}.${m[2]}`);
  return out;
}

/** The resources of `type` whose `field` refers to `address`. */
function companions(stack: StackJson, type: string, address: string, field: string): Resource[] {
  return resources(stack, type)
    .filter(([, r]) => referencedAddresses(r[field]).has(address))
    .map(([, r]) => r);
}

/** One value or the first element of a list block (cdktf writes single blocks either way). */
function block(value: unknown): Resource | undefined {
  if (Array.isArray(value)) return value[0] as Resource | undefined;
  return value as Resource | undefined;
}

function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

function each(stack: StackJson, type: string, test: (r: Resource, name: string) => string | undefined): { address: string; message: string }[] {
  return resources(stack, type).flatMap(([name, r]) => {
    const message = test(r, name);
    return message ? [{ address: `${type}.${name}`, message }] : [];
  });
}

const ANYWHERE = ["0.0.0.0/0", "::/0"];

/** Ingress rules as (address, cidrs, from, to, protocol, description), from the three ways Terraform writes them. */
function ingressRules(stack: StackJson): { address: string; cidrs: string[]; from: number; to: number; protocol: string; description?: string }[] {
  const out: { address: string; cidrs: string[]; from: number; to: number; protocol: string; description?: string }[] = [];
  for (const [name, r] of resources(stack, "aws_vpc_security_group_ingress_rule")) {
    out.push({
      address: `aws_vpc_security_group_ingress_rule.${name}`,
      cidrs: [r.cidr_ipv4, r.cidr_ipv6].filter((c): c is string => typeof c === "string"),
      from: Number(r.from_port ?? 0),
      to: Number(r.to_port ?? 65535),
      protocol: String(r.ip_protocol),
      description: r.description as string | undefined,
    });
  }
  for (const [name, r] of resources(stack, "aws_security_group_rule")) {
    if (r.type !== "ingress") continue;
    out.push({
      address: `aws_security_group_rule.${name}`,
      cidrs: [...((r.cidr_blocks as string[]) ?? []), ...((r.ipv6_cidr_blocks as string[]) ?? [])],
      from: Number(r.from_port),
      to: Number(r.to_port),
      protocol: String(r.protocol),
      description: r.description as string | undefined,
    });
  }
  for (const [name, r] of resources(stack, "aws_security_group")) {
    for (const i of (r.ingress as Resource[]) ?? []) {
      out.push({
        address: `aws_security_group.${name}`,
        cidrs: [...((i.cidr_blocks as string[]) ?? []), ...((i.ipv6_cidr_blocks as string[]) ?? [])],
        from: Number(i.from_port),
        to: Number(i.to_port),
        protocol: String(i.protocol),
        description: i.description as string | undefined,
      });
    }
  }
  return out;
}

function opensPort(rule: { from: number; to: number; protocol: string }, port: number): boolean {
  if (rule.protocol === "-1" || rule.protocol === "all") return true;
  return rule.protocol === "tcp" || rule.protocol === "6" ? rule.from <= port && port <= rule.to : false;
}

function openFromAnywhere(id: string, severity: Severity, port: number, what: string): SecurityRule {
  return {
    id,
    severity,
    title: `No ingress from 0.0.0.0/0 to port ${port} (${what})`,
    check: (stack) =>
      ingressRules(stack)
        .filter((r) => r.cidrs.some((c) => ANYWHERE.includes(c)) && opensPort(r, port))
        .map((r) => ({ address: r.address, message: `admits ${r.cidrs.join(", ")} to port ${port}` })),
  };
}

/** S3: what every bucket of the stack must have, through its companion resources. */
function bucketRule(id: string, severity: Severity, title: string, test: (stack: StackJson, address: string, bucket: Resource) => string | undefined): SecurityRule {
  return { id, severity, title, check: (stack) => each(stack, "aws_s3_bucket", (b, name) => test(stack, `aws_s3_bucket.${name}`, b)) };
}

/** Internet-facing application load balancers. */
function publicAlbs(stack: StackJson): [string, Resource][] {
  return resources(stack, "aws_lb").filter(([, r]) => !isTrue(r.internal) && (r.load_balancer_type ?? "application") === "application");
}

/** Annotations of internet-facing Ingresses of the AWS Load Balancer Controller (each becomes an ALB). */
function publicIngresses(stack: StackJson): [string, Record<string, string>][] {
  return resources(stack, "kubernetes_ingress_v1")
    .map(([name, r]) => [name, ((block(r.metadata) ?? {}).annotations ?? {}) as Record<string, string>] as [string, Record<string, string>])
    .filter(([, a]) => a["alb.ingress.kubernetes.io/scheme"] === "internet-facing");
}

export const SECURITY_RULES: readonly SecurityRule[] = [
  // ---- S3
  bucketRule("CKV2_AWS_6/AVD-AWS-0086..0094", "high", "S3 bucket has a public access block with all four settings on", (stack, address) => {
    const pab = companions(stack, "aws_s3_bucket_public_access_block", address, "bucket")[0];
    const keys = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
    if (!pab) return "has no aws_s3_bucket_public_access_block";
    const off = keys.filter((k) => !isTrue(pab[k]));
    return off.length ? `public access block leaves ${off.join(", ")} off` : undefined;
  }),
  bucketRule("CKV_AWS_19/AVD-AWS-0088", "high", "S3 bucket has default server-side encryption", (stack, address) =>
    companions(stack, "aws_s3_bucket_server_side_encryption_configuration", address, "bucket").length ? undefined : "has no server-side encryption configuration",
  ),
  bucketRule("CKV_AWS_145/AVD-AWS-0132", "low", "S3 bucket is encrypted with a KMS key (SSE-KMS)", (stack, address) => {
    const sse = companions(stack, "aws_s3_bucket_server_side_encryption_configuration", address, "bucket")[0];
    const algorithm = (block(block(sse?.rule)?.apply_server_side_encryption_by_default) ?? {}).sse_algorithm;
    return algorithm === "aws:kms" || algorithm === "aws:kms:dsse" ? undefined : `is encrypted with ${String(algorithm ?? "nothing")}, not a KMS key`;
  }),
  bucketRule("CKV_AWS_21/AVD-AWS-0090", "medium", "S3 bucket has versioning enabled", (stack, address) => {
    const v = companions(stack, "aws_s3_bucket_versioning", address, "bucket")[0];
    return block(v?.versioning_configuration)?.status === "Enabled" ? undefined : "has no versioning enabled";
  }),
  bucketRule("CKV_AWS_18/AVD-AWS-0089", "medium", "S3 bucket has server access logging", (stack, address) =>
    companions(stack, "aws_s3_bucket_logging", address, "bucket").length ? undefined : "has no server access logging",
  ),
  bucketRule("AwsSolutions-S10/CKV_AWS_379", "medium", "S3 bucket policy denies requests without TLS (aws:SecureTransport)", (stack, address) => {
    const policies = companions(stack, "aws_s3_bucket_policy", address, "bucket");
    return policies.some((p) => JSON.stringify(p.policy).includes("aws:SecureTransport")) ? undefined : "has no bucket policy denying non-TLS requests";
  }),
  bucketRule("CKV2_AWS_61", "low", "S3 bucket has a lifecycle configuration", (stack, address) =>
    companions(stack, "aws_s3_bucket_lifecycle_configuration", address, "bucket").length ? undefined : "has no lifecycle configuration",
  ),

  // ---- RDS
  { id: "CKV_AWS_17/AVD-AWS-0180", severity: "critical", title: "RDS instance is not publicly accessible", check: (s) => each(s, "aws_db_instance", (r) => (isTrue(r.publicly_accessible) ? "is publicly accessible" : undefined)) },
  { id: "CKV_AWS_16/AVD-AWS-0080", severity: "high", title: "RDS storage is encrypted", check: (s) => each(s, "aws_db_instance", (r) => (isTrue(r.storage_encrypted) ? undefined : "storage_encrypted is not true")) },
  { id: "CKV_AWS_133/AVD-AWS-0077", severity: "medium", title: "RDS keeps automated backups", check: (s) => each(s, "aws_db_instance", (r) => (Number(r.backup_retention_period ?? 0) >= 1 ? undefined : `backup_retention_period is ${String(r.backup_retention_period ?? 0)}`)) },
  { id: "CKV_AWS_293/AVD-AWS-0177", severity: "medium", title: "RDS instance has deletion protection", check: (s) => each(s, "aws_db_instance", (r) => (isTrue(r.deletion_protection) ? undefined : "deletion_protection is not true")) },
  { id: "CKV_AWS_161/AVD-AWS-0176", severity: "medium", title: "RDS allows IAM database authentication", check: (s) => each(s, "aws_db_instance", (r) => (isTrue(r.iam_database_authentication_enabled) ? undefined : "iam_database_authentication_enabled is not true")) },
  { id: "CKV_AWS_129", severity: "medium", title: "RDS exports its logs to CloudWatch", check: (s) => each(s, "aws_db_instance", (r) => (((r.enabled_cloudwatch_logs_exports as string[]) ?? []).length ? undefined : "exports no logs to CloudWatch")) },
  { id: "CKV_AWS_157", severity: "low", title: "RDS instance is Multi-AZ", check: (s) => each(s, "aws_db_instance", (r) => (isTrue(r.multi_az) ? undefined : "is single-AZ")) },

  // ---- ElastiCache
  { id: "CKV_AWS_29/AVD-AWS-0045", severity: "high", title: "ElastiCache replication group is encrypted at rest", check: (s) => each(s, "aws_elasticache_replication_group", (r) => (isTrue(r.at_rest_encryption_enabled) ? undefined : "at_rest_encryption_enabled is not true")) },
  { id: "CKV_AWS_30/AVD-AWS-0051", severity: "high", title: "ElastiCache replication group encrypts in transit", check: (s) => each(s, "aws_elasticache_replication_group", (r) => (isTrue(r.transit_encryption_enabled) ? undefined : "transit_encryption_enabled is not true")) },
  {
    id: "CKV_AWS_31",
    severity: "high",
    title: "ElastiCache with TLS authenticates clients (AUTH token or RBAC user group)",
    check: (s) => each(s, "aws_elasticache_replication_group", (r) => (r.auth_token || ((r.user_group_ids as string[]) ?? []).length ? undefined : "has neither an auth token nor a user group")),
  },

  // ---- ECR
  { id: "CKV_AWS_163/AVD-AWS-0030", severity: "high", title: "ECR scans images on push", check: (s) => each(s, "aws_ecr_repository", (r) => (isTrue(block(r.image_scanning_configuration)?.scan_on_push) ? undefined : "scan_on_push is not true")) },
  { id: "CKV_AWS_51/AVD-AWS-0031", severity: "high", title: "ECR image tags are immutable", check: (s) => each(s, "aws_ecr_repository", (r) => (String(r.image_tag_mutability ?? "MUTABLE").startsWith("IMMUTABLE") ? undefined : `image_tag_mutability is ${String(r.image_tag_mutability ?? "MUTABLE")}`)) },
  { id: "CKV_AWS_136/AVD-AWS-0033", severity: "low", title: "ECR repository is encrypted with a KMS key", check: (s) => each(s, "aws_ecr_repository", (r) => (block(r.encryption_configuration)?.encryption_type === "KMS" ? undefined : "is encrypted with AES256, not a KMS key")) },

  // ---- Secrets Manager and KMS
  { id: "CKV_AWS_149/AVD-AWS-0098", severity: "medium", title: "Secrets Manager secret is encrypted with a customer managed KMS key", check: (s) => each(s, "aws_secretsmanager_secret", (r) => (r.kms_key_id ? undefined : "has no kms_key_id (uses aws/secretsmanager)")) },
  { id: "CKV_AWS_7/AVD-AWS-0065", severity: "medium", title: "KMS key rotates", check: (s) => each(s, "aws_kms_key", (r) => (r.customer_master_key_spec && r.customer_master_key_spec !== "SYMMETRIC_DEFAULT") || isTrue(r.enable_key_rotation) ? undefined : "enable_key_rotation is not true") },
  {
    id: "CKV2_AWS_57",
    severity: "low",
    title: "Secrets Manager secret rotates automatically",
    check: (s) => each(s, "aws_secretsmanager_secret", (_r, name) => (companions(s, "aws_secretsmanager_secret_rotation", `aws_secretsmanager_secret.${name}`, "secret_id").length ? undefined : "has no rotation")),
  },

  // ---- CloudTrail, CloudWatch, SNS
  { id: "CKV_AWS_36/AVD-AWS-0016", severity: "medium", title: "CloudTrail validates log files", check: (s) => each(s, "aws_cloudtrail", (r) => (isTrue(r.enable_log_file_validation) ? undefined : "enable_log_file_validation is not true")) },
  { id: "CKV_AWS_35/AVD-AWS-0015", severity: "medium", title: "CloudTrail logs are encrypted with a KMS key", check: (s) => each(s, "aws_cloudtrail", (r) => (r.kms_key_id ? undefined : "has no kms_key_id")) },
  { id: "CKV_AWS_67/AVD-AWS-0014", severity: "medium", title: "CloudTrail is multi-region", check: (s) => each(s, "aws_cloudtrail", (r) => (isTrue(r.is_multi_region_trail) ? undefined : "is_multi_region_trail is not true")) },
  { id: "CKV_AWS_66", severity: "medium", title: "CloudWatch log group has a retention", check: (s) => each(s, "aws_cloudwatch_log_group", (r) => (Number(r.retention_in_days ?? 0) > 0 ? undefined : "keeps logs forever (no retention_in_days)")) },
  { id: "CKV_AWS_338", severity: "low", title: "CloudWatch log group keeps logs at least a year", check: (s) => each(s, "aws_cloudwatch_log_group", (r) => (Number(r.retention_in_days ?? 0) >= 365 ? undefined : `keeps logs ${String(r.retention_in_days)} days`)) },
  { id: "CKV_AWS_158/AVD-AWS-0017", severity: "low", title: "CloudWatch log group is encrypted with a KMS key", check: (s) => each(s, "aws_cloudwatch_log_group", (r) => (r.kms_key_id ? undefined : "has no kms_key_id")) },
  { id: "CKV_AWS_26/AVD-AWS-0095", severity: "medium", title: "SNS topic is encrypted", check: (s) => each(s, "aws_sns_topic", (r) => (r.kms_master_key_id ? undefined : "has no kms_master_key_id")) },

  // ---- EC2
  {
    id: "CKV_AWS_79/AVD-AWS-0130",
    severity: "high",
    title: "Launch template requires IMDSv2",
    check: (s) => each(s, "aws_launch_template", (r) => (block(r.metadata_options)?.http_tokens === "required" ? undefined : "metadata_options.http_tokens is not \"required\"")),
  },
  {
    id: "CKV_AWS_8/AVD-AWS-0131",
    severity: "high",
    title: "Launch template encrypts its EBS volumes",
    check: (s) =>
      each(s, "aws_launch_template", (r) => {
        const devices = (r.block_device_mappings as Resource[]) ?? [];
        const plain = devices.filter((d) => !isTrue(block(d.ebs)?.encrypted)).map((d) => d.device_name);
        return plain.length ? `EBS volume(s) ${plain.join(", ")} not encrypted` : undefined;
      }),
  },
  {
    id: "CKV_AWS_88/AVD-AWS-0009",
    severity: "high",
    title: "Launch template gives instances no public IP",
    check: (s) => each(s, "aws_launch_template", (r) => (((r.network_interfaces as Resource[]) ?? []).some((n) => isTrue(n.associate_public_ip_address)) ? "associates a public IP address" : undefined)),
  },

  // ---- VPC and security groups
  {
    id: "CKV2_AWS_11",
    severity: "medium",
    title: "VPC has flow logs",
    check: (s) => each(s, "aws_vpc", (_r, name) => (companions(s, "aws_flow_log", `aws_vpc.${name}`, "vpc_id").length ? undefined : "has no flow log")),
  },
  {
    id: "CKV2_AWS_12",
    severity: "medium",
    title: "VPC's default security group allows nothing",
    check: (s) =>
      each(s, "aws_vpc", (_r, name) => {
        const sg = companions(s, "aws_default_security_group", `aws_vpc.${name}`, "vpc_id")[0];
        if (!sg) return "its default security group is not managed (AWS's default allows all traffic between members and all egress)";
        return ((sg.ingress as unknown[]) ?? []).length || ((sg.egress as unknown[]) ?? []).length ? "its default security group has rules" : undefined;
      }),
  },
  openFromAnywhere("CKV_AWS_24/AVD-AWS-0107", "critical", 22, "SSH"),
  openFromAnywhere("CKV_AWS_25/AVD-AWS-0107", "critical", 3389, "RDP"),
  openFromAnywhere("CKV_AWS_260", "medium", 80, "HTTP"),
  {
    id: "AVD-AWS-0107",
    severity: "high",
    title: "No security group ingress from the whole internet on any port",
    check: (s) => ingressRules(s).filter((r) => r.cidrs.some((c) => ANYWHERE.includes(c))).map((r) => ({ address: r.address, message: `admits ${r.cidrs.join(", ")} to ${r.protocol} ${r.from}-${r.to}` })),
  },
  {
    id: "CKV_AWS_23/AVD-AWS-0099/AVD-AWS-0124",
    severity: "low",
    title: "Security groups and their rules have descriptions",
    check: (s) => [
      ...each(s, "aws_security_group", (r) => (r.description ? undefined : "has no description")),
      ...each(s, "aws_vpc_security_group_ingress_rule", (r) => (r.description ? undefined : "has no description")),
      ...each(s, "aws_vpc_security_group_egress_rule", (r) => (r.description ? undefined : "has no description")),
    ],
  },

  // ---- Load balancers
  {
    id: "CKV_AWS_91",
    severity: "medium",
    title: "Load balancer keeps access logs",
    check: (s) => each(s, "aws_lb", (r) => (isTrue(block(r.access_logs)?.enabled) && block(r.access_logs)?.bucket ? undefined : "has no access logs")),
  },
  { id: "CKV_AWS_131/AVD-AWS-0052", severity: "high", title: "ALB drops invalid header fields", check: (s) => publicAlbs(s).filter(([, r]) => !isTrue(r.drop_invalid_header_fields)).map(([n]) => ({ address: `aws_lb.${n}`, message: "drop_invalid_header_fields is not true" })) },
  { id: "CKV_AWS_150", severity: "low", title: "Load balancer has deletion protection", check: (s) => each(s, "aws_lb", (r) => (isTrue(r.enable_deletion_protection) ? undefined : "enable_deletion_protection is not true")) },
  {
    id: "AVD-AWS-0053",
    severity: "high",
    title: "Load balancer is not internet-facing",
    check: (s) => each(s, "aws_lb", (r) => (isTrue(r.internal) ? undefined : "is internet-facing")),
  },
  {
    id: "CKV_AWS_2/AVD-AWS-0054",
    severity: "critical",
    title: "ALB listeners use HTTPS, or redirect HTTP to HTTPS",
    check: (s) =>
      each(s, "aws_lb_listener", (r) => {
        if (r.protocol !== "HTTP") return undefined;
        const actions = (r.default_action as Resource[]) ?? [];
        return actions.every((a) => a.type === "redirect" && block(a.redirect)?.protocol === "HTTPS") ? undefined : "serves plain HTTP";
      }),
  },
  {
    id: "CKV_AWS_103/AVD-AWS-0047",
    severity: "high",
    title: "HTTPS and TLS listeners negotiate TLS 1.2 or later",
    check: (s) =>
      each(s, "aws_lb_listener", (r) => {
        if (r.protocol !== "HTTPS" && r.protocol !== "TLS") return undefined;
        const policy = String(r.ssl_policy ?? "ELBSecurityPolicy-2016-08");
        return /TLS13|TLS-1-2|FS-1-2/.test(policy) ? undefined : `ssl_policy ${policy} allows TLS below 1.2`;
      }),
  },
  {
    id: "CKV2_AWS_28",
    severity: "medium",
    title: "Internet-facing ALB is protected by a WAFv2 web ACL",
    check: (s) =>
      publicAlbs(s)
        .filter(([n]) => !companions(s, "aws_wafv2_web_acl_association", `aws_lb.${n}`, "resource_arn").length)
        .map(([n]) => ({ address: `aws_lb.${n}`, message: "has no aws_wafv2_web_acl_association" })),
  },

  // ---- WAF
  {
    id: "CKV2_AWS_31",
    severity: "medium",
    title: "WAFv2 web ACL has a logging configuration",
    check: (s) => each(s, "aws_wafv2_web_acl", (_r, name) => (companions(s, "aws_wafv2_web_acl_logging_configuration", `aws_wafv2_web_acl.${name}`, "resource_arn").length ? undefined : "has no logging configuration")),
  },
  {
    id: "CKV_AWS_192",
    severity: "medium",
    title: "WAFv2 web ACL blocks known bad inputs (Log4j: AWSManagedRulesKnownBadInputsRuleSet)",
    check: (s) => each(s, "aws_wafv2_web_acl", (r) => (JSON.stringify(r.rule ?? []).includes("AWSManagedRulesKnownBadInputsRuleSet") ? undefined : "has no AWSManagedRulesKnownBadInputsRuleSet rule")),
  },

  // ---- CloudFront
  { id: "CKV_AWS_68/CKV2_AWS_47", severity: "medium", title: "CloudFront distribution has a WAFv2 web ACL", check: (s) => each(s, "aws_cloudfront_distribution", (r) => (r.web_acl_id ? undefined : "has no web_acl_id")) },
  {
    id: "CKV_AWS_174/AVD-AWS-0013",
    severity: "high",
    title: "CloudFront viewers negotiate TLS 1.2 or later",
    check: (s) =>
      each(s, "aws_cloudfront_distribution", (r) => {
        const cert = block(r.viewer_certificate) ?? {};
        if (isTrue(cert.cloudfront_default_certificate)) return "uses the default certificate, which allows TLS 1.0";
        return /^TLSv1\.2_20(19|21)$|^TLSv1\.3/.test(String(cert.minimum_protocol_version)) ? undefined : `minimum_protocol_version is ${String(cert.minimum_protocol_version)}`;
      }),
  },
  {
    id: "CKV_AWS_34/AVD-AWS-0012",
    severity: "critical",
    title: "CloudFront viewers are sent to HTTPS",
    check: (s) =>
      each(s, "aws_cloudfront_distribution", (r) => {
        const behaviours = [block(r.default_cache_behavior), ...(((r.ordered_cache_behavior as Resource[]) ?? []))];
        return behaviours.some((b) => b && b.viewer_protocol_policy === "allow-all") ? "a cache behaviour allows plain HTTP" : undefined;
      }),
  },
  { id: "CKV_AWS_86/AVD-AWS-0010", severity: "medium", title: "CloudFront distribution keeps access logs", check: (s) => each(s, "aws_cloudfront_distribution", (r) => (block(r.logging_config)?.bucket ? undefined : "has no logging_config")) },

  // ---- EKS
  {
    id: "CKV_AWS_38/AVD-AWS-0041",
    severity: "critical",
    title: "EKS public endpoint is not open to 0.0.0.0/0",
    check: (s) =>
      each(s, "aws_eks_cluster", (r) => {
        const vpc = block(r.vpc_config) ?? {};
        if (vpc.endpoint_public_access === false || vpc.endpoint_public_access === "false") return undefined;
        const cidrs = (vpc.public_access_cidrs as string[]) ?? ["0.0.0.0/0"];
        return cidrs.some((c) => ANYWHERE.includes(c)) ? "the public API endpoint admits 0.0.0.0/0" : undefined;
      }),
  },
  {
    id: "CKV_AWS_39/AVD-AWS-0040",
    severity: "high",
    title: "EKS API endpoint is private",
    check: (s) => each(s, "aws_eks_cluster", (r) => (block(r.vpc_config)?.endpoint_public_access === false ? undefined : "has a public API endpoint")),
  },
  {
    id: "CKV_AWS_37/AVD-AWS-0038",
    severity: "medium",
    title: "EKS control plane logs every log type",
    check: (s) =>
      each(s, "aws_eks_cluster", (r) => {
        const missing = ["api", "audit", "authenticator", "controllerManager", "scheduler"].filter((t) => !((r.enabled_cluster_log_types as string[]) ?? []).includes(t));
        return missing.length ? `does not log ${missing.join(", ")}` : undefined;
      }),
  },
  { id: "CKV_AWS_58/AVD-AWS-0039", severity: "high", title: "EKS encrypts Kubernetes Secrets with KMS", check: (s) => each(s, "aws_eks_cluster", (r) => (JSON.stringify(r.encryption_config ?? "").includes("secrets") ? undefined : "has no encryption_config for secrets")) },

  // ---- DynamoDB
  { id: "CKV_AWS_28/AVD-AWS-0024", severity: "medium", title: "DynamoDB table has point-in-time recovery", check: (s) => each(s, "aws_dynamodb_table", (r) => (isTrue(block(r.point_in_time_recovery)?.enabled) ? undefined : "has no point-in-time recovery")) },
  { id: "CKV_AWS_119/AVD-AWS-0025", severity: "low", title: "DynamoDB table is encrypted with a customer managed KMS key", check: (s) => each(s, "aws_dynamodb_table", (r) => (block(r.server_side_encryption)?.kms_key_arn ? undefined : "uses the AWS owned key")) },

  // ---- ALBs the AWS Load Balancer Controller creates from an Ingress (the same checks, on its annotations)
  {
    id: "CKV_AWS_2/AVD-AWS-0054-ingress",
    severity: "critical",
    title: "Internet-facing Ingress serves HTTPS and redirects HTTP",
    check: (s) =>
      publicIngresses(s)
        .filter(([, a]) => !(a["alb.ingress.kubernetes.io/listen-ports"] ?? "").includes("HTTPS") || !a["alb.ingress.kubernetes.io/ssl-redirect"])
        .map(([n]) => ({ address: `kubernetes_ingress_v1.${n}`, message: "its ALB serves plain HTTP (no HTTPS listener with ssl-redirect)" })),
  },
  {
    id: "CKV2_AWS_28-ingress",
    severity: "medium",
    title: "Internet-facing Ingress's ALB is protected by a WAFv2 web ACL",
    check: (s) =>
      publicIngresses(s)
        .filter(([, a]) => !a["alb.ingress.kubernetes.io/wafv2-acl-arn"])
        .map(([n]) => ({ address: `kubernetes_ingress_v1.${n}`, message: "has no alb.ingress.kubernetes.io/wafv2-acl-arn" })),
  },
  {
    id: "CKV_AWS_91-ingress",
    severity: "medium",
    title: "Internet-facing Ingress's ALB keeps access logs",
    check: (s) =>
      publicIngresses(s)
        .filter(([, a]) => !(a["alb.ingress.kubernetes.io/load-balancer-attributes"] ?? "").includes("access_logs.s3.enabled=true"))
        .map(([n]) => ({ address: `kubernetes_ingress_v1.${n}`, message: "its ALB has no access_logs.s3.enabled=true attribute" })),
  },
];

/** Runs every rule on one stack. */
export function scanStack(stackName: string, stack: StackJson, rules: readonly SecurityRule[] = SECURITY_RULES): Finding[] {
  return rules.flatMap((rule) => rule.check(stack).map((f) => ({ rule: rule.id, severity: rule.severity, stack: stackName, ...f })));
}

/** Severities that gate the rung. */
export const GATING: readonly Severity[] = ["critical", "high", "medium"];
