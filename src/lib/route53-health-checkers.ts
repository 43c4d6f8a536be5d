import { overlaps, parseCidr } from "./cidr";

/**
 * The IPv4 ranges Route 53's health checkers probe endpoints from: the prefixes of service
 * `ROUTE53_HEALTHCHECKS` in https://ip-ranges.amazonaws.com/ip-ranges.json (the per-region
 * ranges that `aws route53 get-checker-ip-ranges` has long returned, and the GLOBAL one).
 * AWS adds ranges over time: the table is used only to tell whether a list of CIDRs admits
 * any of the checkers at all, never to build a rule, so a range it misses changes nothing.
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
 * Whether `cidrs` (valid IPv4 blocks) admit any of Route 53's health checkers: 0.0.0.0/0 does,
 * so do the checkers' own ranges; an office's or a partner's block does not.
 */
export function admitsRoute53HealthCheckers(cidrs: readonly string[]): boolean {
  const checkers = ROUTE53_HEALTH_CHECKER_RANGES.map(parseCidr);
  return cidrs.map(parseCidr).some((cidr) => checkers.some((checker) => overlaps(cidr, checker)));
}
