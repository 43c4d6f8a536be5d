/**
 * The id, per region, of the AWS-managed prefix list `com.amazonaws.global.cloudfront.origin-facing`:
 * the addresses CloudFront's edge servers use to reach origins. A security group rule that
 * admits this list (instead of 0.0.0.0/0) makes an origin reachable through CloudFront only.
 *
 * A fact table rather than an `aws_ec2_managed_prefix_list` data source, so that synth and the
 * offline plan need no AWS call. The ids differ by region and do not change; a missing region is
 * one line, found with:
 *   aws ec2 describe-managed-prefix-lists --region <region> \
 *     --filters Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing
 *
 * The list holds up to 55 entries and counts that much against the security group's inbound
 * rule quota (60 by default): admit it on one port only.
 * (AWS: "Restrict access to Application Load Balancers", CloudFront Developer Guide; "AWS-managed
 * prefix lists", VPC User Guide.)
 */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS: Readonly<Record<string, string>> = {
  "us-east-1": "pl-3b927c52",
  "us-east-2": "pl-b6a144df",
  "us-west-1": "pl-4ea04527",
  "us-west-2": "pl-82a045eb",
  "ca-central-1": "pl-38a64351",
  "sa-east-1": "pl-5da64334",
  "eu-central-1": "pl-a3a144ca",
  "eu-north-1": "pl-fab65393",
  "eu-west-1": "pl-4fa04526",
  "eu-west-2": "pl-93a247fa",
  "eu-west-3": "pl-75b1541c",
  "ap-northeast-1": "pl-58a04531",
  "ap-northeast-2": "pl-22a6434b",
  "ap-northeast-3": "pl-31a14458",
  "ap-south-1": "pl-9aa247f3",
  "ap-southeast-1": "pl-31a34658",
  "ap-southeast-2": "pl-b8a742d1",
};

/** The prefix list of CloudFront's origin-facing servers in `region`; undefined where the table has none. */
export function cloudFrontOriginFacingPrefixList(region: string): string | undefined {
  return CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS[region];
}
