import { contains, parseCidr } from "./cidr";

/**
 * The IPv4 ranges Route 53's health checkers probe endpoints from: the prefixes of service
 * `ROUTE53_HEALTHCHECKS` in https://ip-ranges.amazonaws.com/ip-ranges.json (the per-region
 * ranges that `aws route53 get-checker-ip-ranges` has long returned, and the GLOBAL one).
 * AWS adds ranges over time: the table is used only to tell whether a list of CIDRs admits
 * the checkers, never to build a rule.
 */
export const ROUTE53_HEALTH_CHECKER_RANGES: readonly string[] = [
  "15.177.0.0/18", // GLOBAL
  "107.23.255.0/26", // us-east-1
  "54.243.31.192/26", // us-east-1
  "54.183.255.128/26", // us-west-1
  "54.241.32.64/26", // us-west-1
  "54.244.52.192/26", // us-west-2
  "54.245.168.0/26", // us-west-2
  "54.228.16.0/26", // eu-west-1
  "176.34.159.192/26", // eu-west-1
  "54.251.31.128/26", // ap-southeast-1
  "54.255.254.192/26", // ap-southeast-1
  "54.252.79.128/26", // ap-southeast-2
  "54.252.254.192/26", // ap-southeast-2
  "54.248.220.0/26", // ap-northeast-1
  "54.250.253.192/26", // ap-northeast-1
  "177.71.207.128/26", // sa-east-1
  "54.232.40.64/26", // sa-east-1
];

/**
 * Whether `cidrs` (valid IPv4 blocks) admit every range of Route 53's health checkers:
 * 0.0.0.0/0 does, so does a list of the ranges themselves. A health check with no `regions`
 * is probed from checkers in every default region, and an endpoint is healthy only when more
 * than 18 % of them report it so (Route 53 Developer Guide, "How Amazon Route 53 determines
 * whether a health check is healthy"): admitting one region's checkers fails it for good.
 */
export function admitsRoute53HealthCheckers(cidrs: readonly string[]): boolean {
  const admitted = cidrs.map(parseCidr);
  return ROUTE53_HEALTH_CHECKER_RANGES.map(parseCidr).every((checker) => admitted.some((cidr) => contains(cidr, checker)));
}
