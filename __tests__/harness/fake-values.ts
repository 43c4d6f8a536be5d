/**
 * Well-formed stand-ins for the values AWS computes, by resource type and attribute.
 *
 * The mock provider of `terraform test` invents random strings for computed attributes,
 * but the aws provider still validates ARN-shaped arguments, and offline plans of stacks
 * that read other stacks' outputs need values for them. Both draw from this table: the
 * harness renders it as the mock provider's `mock_resource` defaults, and as the outputs
 * of stand-in remote states. Account 123456789012 is AWS's documentation account.
 *
 * Add a line when a new resource type's ARN (or other checked attribute) is consumed.
 */
const ACCOUNT = "123456789012";
const REGION = "us-east-1";

/** A fake attribute value: a string, or a nested value (a computed block such as an EKS cluster's `identity`). */
export type FakeValue = string | number | boolean | readonly FakeValue[] | { readonly [key: string]: FakeValue };

const OIDC_ISSUER = `https://oidc.eks.${REGION}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF`;

export const FAKE_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, FakeValue>>>> = {
  aws_iam_role: { arn: `arn:aws:iam::${ACCOUNT}:role/mock-role` },
  aws_iam_policy: { arn: `arn:aws:iam::${ACCOUNT}:policy/mock-policy` },
  aws_ssm_parameter: { arn: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/mock` },
  aws_cloudwatch_log_group: { arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:mock` },
  aws_kms_key: { arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0` },
  aws_sns_topic: { arn: `arn:aws:sns:${REGION}:${ACCOUNT}:mock-topic` },
  aws_s3_bucket: { arn: "arn:aws:s3:::mock-bucket", bucket_regional_domain_name: `mock-bucket.s3.${REGION}.amazonaws.com` },
  aws_secretsmanager_secret: { arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:mock/secret-AbCdEf` },
  aws_db_instance: {
    arn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:mock-db`,
    master_user_secret: [
      { secret_arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!db-mock-AbCdEf`, kms_key_id: "", secret_status: "active" },
    ],
  },
  aws_elasticache_replication_group: { arn: `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:mock-redis` },
  aws_elasticache_user: { arn: `arn:aws:elasticache:${REGION}:${ACCOUNT}:user:mock-user` },
  aws_ecr_repository: { arn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/mock` },
  aws_dynamodb_table: { arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/mock` },
  aws_cloudtrail: { arn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/mock` },
  aws_cloudwatch_event_rule: { arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/mock` },
  aws_vpc: { cidr_block: "10.0.0.0/16" },
  aws_wafv2_web_acl: { arn: `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/mock/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0` },
  aws_launch_template: { id: "lt-0123456789abcdef0" },
  aws_iam_instance_profile: { arn: `arn:aws:iam::${ACCOUNT}:instance-profile/mock` },
  aws_lb: {
    arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/mock/0123456789abcdef`,
    arn_suffix: "app/mock/0123456789abcdef",
    dns_name: `mock-0123456789.${REGION}.elb.amazonaws.com`,
    // The canonical hosted zone of ALBs in us-east-1 (alias records point at it).
    zone_id: "Z35SXDOTRQ7X7K",
  },
  aws_lb_target_group: {
    arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/mock/0123456789abcdef`,
    arn_suffix: "targetgroup/mock/0123456789abcdef",
  },
  aws_lb_listener: { arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/mock/0123456789abcdef/0123456789abcdef` },
  aws_autoscaling_policy: { arn: `arn:aws:autoscaling:${REGION}:${ACCOUNT}:scalingPolicy:00000000-0000-0000-0000-000000000000:autoScalingGroupName/mock:policyName/mock` },
  // The mock provider leaves computed nested blocks empty; the OIDC provider reads identity[0].oidc[0].issuer.
  aws_eks_cluster: {
    arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/mock-cluster`,
    endpoint: "https://0123456789ABCDEF0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com",
    identity: [{ oidc: [{ issuer: OIDC_ISSUER }] }],
    certificate_authority: [{ data: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCm1vY2sKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=" }],
  },
  // CloudFront: every distribution's alias target zone is Z2FDTNDATAQYW2.
  aws_cloudfront_distribution: {
    arn: `arn:aws:cloudfront::${ACCOUNT}:distribution/E0123456789ABC`,
    id: "E0123456789ABC",
    domain_name: "d0123456789abc.cloudfront.net",
    hosted_zone_id: "Z2FDTNDATAQYW2",
  },
  aws_cloudfront_origin_access_control: { id: "E0123456789OAC" },
  aws_acm_certificate: { arn: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0` },
  aws_route53_zone: { zone_id: "Z0123456789MOCKZONE", name_servers: ["ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk", "ns-3.awsdns-03.com", "ns-4.awsdns-04.net"] },
  aws_route53_health_check: { id: "01234567-89ab-cdef-0123-456789abcdef" },
  aws_iam_openid_connect_provider: { arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.${REGION}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF` },
};

/** A stand-in for attribute `attribute` of a resource of type `type`. */
export function fakeValue(type: string, attribute: string): string {
  const known = FAKE_ATTRIBUTES[type]?.[attribute];
  if (typeof known === "string") return known;
  const kind = type.replace(/^aws_/, "");
  if (attribute === "arn" || attribute.endsWith("_arn")) return `arn:aws:mock:${REGION}:${ACCOUNT}:${kind}/mock`;
  if (attribute === "id") return `${kind.replace(/_/g, "-")}-0123456789abcdef0`;
  return `mock-${kind}-${attribute}`;
}

/** The table as a `.tfmock.hcl` file for `mock_provider "aws" { source = ... }`. */
export function renderMockFile(): string {
  return Object.entries(FAKE_ATTRIBUTES)
    .map(([type, attributes]) => {
      const defaults = Object.entries(attributes)
        .map(([name, value]) => `    ${name} = ${JSON.stringify(value)}`)
        .join("\n");
      return `mock_resource "${type}" {\n  defaults = {\n${defaults}\n  }\n}\n`;
    })
    .join("\n");
}
