import { albIngressFrom } from "../constructs/alb/settings";
import { ConfigError, Problems } from "../lib/errors";
import { parseCidr } from "../lib/cidr";
import { admitsRoute53HealthCheckers } from "../lib/route53-health-checkers";
import type { SystemConfig } from "./system-config";

/** The settings whose values decide whom the ALB admits: a problem about them follows from them. */
const INGRESS_KEYS = ["compute.loadBalancer.ingressFrom", "compute.loadBalancer.ingressCidrs", "edge.cdn.defaultOrigin"];

/**
 * What holds between the edge's load-balancer records and the compute tier's ALB: a record
 * points clients, and its health check Route 53's checkers, straight at the ALB, so the ALB
 * must admit them. An ALB that admits only CloudFront (`compute.loadBalancer.ingressFrom`,
 * `cloudfront` by default when the distribution's default origin is the ALB) admits neither:
 * the name leads nowhere, and its health check fails for good (its alarm stays in ALARM, and
 * with failover Route 53 answers the secondary forever). An ALB narrowed to CIDRs that hold
 * none of Route 53's checkers admits the clients meant, but fails the health check the same
 * way. Throws a ConfigError, or ConfigErrors for several; nothing when the system has no ALB
 * or its CIDRs are invalid (the edge and compute checks report those).
 */
export function checkLoadBalancerRecordsReachAlb(config: SystemConfig): void {
  const edge = config.edge;
  const lb = config.compute.loadBalancer;
  if (!edge || !lb || lb.type !== "alb" || Object.keys(config.compute.services).length === 0) return;
  const records = Object.entries(edge.loadBalancerRecords);
  if (records.length === 0) return;
  const behindCdn = edge.cdn?.defaultOrigin === "loadBalancer";
  const problems = new Problems();
  if (albIngressFrom(lb, behindCdn) === "cloudfront") {
    const why = lb.ingressFrom === undefined ? `compute.loadBalancer.ingressFrom defaults to "cloudfront" because edge.cdn.defaultOrigin is the load balancer` : `compute.loadBalancer.ingressFrom is "cloudfront"`;
    for (const [name, record] of records) {
      const check = record.healthCheck
        ? `; Route 53's health checkers are refused too, so its health check always fails and its alarm stays in ALARM${record.failover ? ", and with failover Route 53 answers the secondary forever" : ""}`
        : "";
      problems.add(
        new ConfigError(
          `edge.loadBalancerRecords.${name}`,
          record,
          `points ${record.name} straight at the ALB, but the ALB admits only CloudFront (${why}): clients resolving the name cannot reach it${check}`,
          `set compute.loadBalancer.ingressFrom to "cidrs" with compute.loadBalancer.ingressCidrs admitting the internet (the default, ["0.0.0.0/0"]), or remove edge.loadBalancerRecords.${name} (to serve the name through the distribution, add it to edge.cdn.domainNames)`,
        ).reading(...INGRESS_KEYS),
      );
    }
    problems.throwIfAny();
    return;
  }
  const cidrs = lb.ingressCidrs;
  if (!cidrs.every(isCidr) || admitsRoute53HealthCheckers(cidrs)) return;
  for (const [name, record] of records) {
    if (!record.healthCheck) continue;
    problems.add(
      new ConfigError(
        `edge.loadBalancerRecords.${name}.healthCheck`,
        record.healthCheck,
        `probes the ALB from Route 53's health checkers, but compute.loadBalancer.ingressCidrs (${cidrs.join(", ")}) does not admit all of them: the check always fails and its alarm stays in ALARM${record.failover ? ", and with failover Route 53 answers the secondary forever" : ""}`,
        `set edge.loadBalancerRecords.${name}.healthCheck to null${record.failover ? " (and remove failover, which needs it)" : ""}, or admit all of Route 53's health-checker ranges: add every IPv4 prefix of service ROUTE53_HEALTHCHECKS in https://ip-ranges.amazonaws.com/ip-ranges.json to compute.loadBalancer.ingressCidrs`,
      ).reading(...INGRESS_KEYS),
    );
  }
  problems.throwIfAny();
}

/** Whether `text` is a valid IPv4 CIDR block (an invalid one is reported by the compute checks). */
function isCidr(text: string): boolean {
  try {
    parseCidr(text);
    return true;
  } catch {
    return false;
  }
}
