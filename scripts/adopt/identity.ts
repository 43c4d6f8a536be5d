import { Json } from "../replan/plan-json";

/**
 * What makes a resource the same resource on both sides of an adoption: its type plus the
 * attributes AWS identifies it by, never its address or its position in a list. References
 * to other resources are compared by what they point at (a subnet's `vpc_id` is "the VPC
 * matched to aws_vpc.network_vpc"), so matching proceeds outward from resources identified
 * by literal values (a VPC by its CIDR) to those identified through others (a NAT gateway
 * by its subnet).
 */

/** One part of an identity. */
export type IdentityPart =
  /** A top-level attribute (a reference is compared by the resource it points at). */
  | string
  /** The resources of `type` whose `via` points at this one, each named by its `other` attribute (a route table by the subnets associated with it). */
  | { readonly reverse: { readonly type: string; readonly via: string; readonly other: string } };

/** Identity rules by resource type. A type with no rule is never matched (listed as unmatched). */
export const IDENTITY: Readonly<Record<string, readonly IdentityPart[]>> = {
  aws_vpc: ["cidr_block"],
  aws_subnet: ["vpc_id", "cidr_block", "availability_zone"],
  aws_internet_gateway: ["vpc_id"],
  aws_nat_gateway: ["subnet_id"],
  aws_eip: [{ reverse: { type: "aws_nat_gateway", via: "allocation_id", other: "subnet_id" } }],
  aws_route_table: ["vpc_id", { reverse: { type: "aws_route_table_association", via: "route_table_id", other: "subnet_id" } }],
  aws_route: ["route_table_id", "destination_cidr_block", "destination_ipv6_cidr_block"],
  aws_route_table_association: ["subnet_id", "route_table_id"],
  aws_security_group: ["vpc_id", "name"],
  aws_vpc_security_group_ingress_rule: ["security_group_id", "ip_protocol", "from_port", "to_port", "cidr_ipv4", "cidr_ipv6", "prefix_list_id", "referenced_security_group_id"],
  aws_vpc_security_group_egress_rule: ["security_group_id", "ip_protocol", "from_port", "to_port", "cidr_ipv4", "cidr_ipv6", "prefix_list_id", "referenced_security_group_id"],
  aws_lb: ["name"],
  aws_lb_target_group: ["name"],
  aws_lb_listener: ["load_balancer_arn", "port"],
  aws_launch_template: ["name"],
  aws_autoscaling_group: ["name"],
  aws_autoscaling_policy: ["autoscaling_group_name", "name"],
  aws_cloudwatch_metric_alarm: ["alarm_name"],
  aws_cloudwatch_log_group: ["name"],
  aws_iam_role: ["name"],
  aws_iam_instance_profile: ["name"],
  aws_iam_role_policy: ["role", "name"],
  aws_iam_role_policy_attachment: ["role", "policy_arn"],
  aws_s3_bucket: ["bucket"],
  aws_db_instance: ["identifier"],
  aws_elasticache_replication_group: ["replication_group_id"],
  aws_ecr_repository: ["name"],
  aws_secretsmanager_secret: ["name"],
  aws_kms_alias: ["name"],
  aws_dynamodb_table: ["name"],
  aws_wafv2_web_acl: ["name", "scope"],
  aws_cloudfront_distribution: ["comment"],
};

/**
 * The id `terraform import` takes, from the resource's attributes: most types take `id`;
 * some take a name (what AWS calls the id) or a composite.
 */
export function importId(type: string, attributes: Record<string, Json>): string {
  const a = (k: string) => String(attributes[k] ?? "");
  switch (type) {
    case "aws_route":
      return `${a("route_table_id")}_${a("destination_cidr_block") || a("destination_ipv6_cidr_block")}`;
    case "aws_route_table_association":
      return `${a("subnet_id")}/${a("route_table_id")}`;
    case "aws_iam_role_policy_attachment":
      return `${a("role")}/${a("policy_arn")}`;
    case "aws_iam_role_policy":
      return `${a("role")}:${a("name")}`;
    case "aws_autoscaling_policy":
      return `${a("autoscaling_group_name")}/${a("name")}`;
    case "aws_iam_role":
    case "aws_iam_instance_profile":
    case "aws_autoscaling_group":
    case "aws_launch_template":
      return type === "aws_launch_template" ? a("id") : a("name");
    case "aws_cloudwatch_metric_alarm":
      return a("alarm_name");
    case "aws_cloudwatch_log_group":
      return a("name");
    case "aws_lb":
    case "aws_lb_target_group":
    case "aws_lb_listener":
      return a("arn") || a("id");
    case "aws_s3_bucket":
      return a("bucket");
    case "aws_db_instance":
      // Provider 5.x's `id` is the DBI resource id; the import takes the identifier.
      return a("identifier") || a("id");
    case "aws_wafv2_web_acl":
      return `${a("id")}/${a("name")}/${a("scope")}`;
    default:
      return a("id");
  }
}
