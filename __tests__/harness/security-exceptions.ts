import { Finding } from "./security-rules";

/**
 * The accepted findings of the security-rules rung: the one place they are written down.
 * docs/security.md mirrors this list (a test checks that every entry has its row there),
 * and the rung fails on an entry that matches no finding any more, so the list only
 * shrinks with the defects it excuses.
 *
 * `stack` and `address` are globs where `*` matches any run of characters.
 */
export interface SecurityException {
  /** The rule id, exactly as in SECURITY_RULES. */
  readonly rule: string;
  /** Stack-name glob, e.g. `*-compute`. */
  readonly stack: string;
  /** Resource-address glob, e.g. `aws_lb.alb_lb`. */
  readonly address: string;
  /** Why it is accepted, for the reader of docs/security.md. */
  readonly reason: string;
}

export const SECURITY_EXCEPTIONS: readonly SecurityException[] = [
  {
    rule: "AVD-AWS-0053",
    stack: "*",
    address: "aws_lb.*",
    reason: "The systems serve the public: their load balancers are internet-facing by design. Each is TLS-only (or TLS passthrough), WAF-protected where it speaks HTTP, and logs its access.",
  },
  {
    rule: "AVD-AWS-0107",
    stack: "*",
    address: "aws_vpc_security_group_ingress_rule.*_sg_ingress_*_from_anywhere",
    reason: "A public load balancer's listener ports (443, and 80 that only redirects to 443) are open to clients. `compute.loadBalancer.ingressCidrs` narrows them; an ALB behind CloudFront admits CloudFront's origin-facing prefix list instead.",
  },
  {
    rule: "CKV_AWS_260",
    stack: "*",
    address: "aws_vpc_security_group_ingress_rule.*_sg_ingress_80_from_anywhere",
    reason: "Port 80 of a public ALB answers only with a 301 redirect to HTTPS (CKV_AWS_2 checks it), so clients that type http:// arrive on TLS.",
  },
  {
    rule: "CKV_AWS_91",
    stack: "joblet-*-compute",
    address: "aws_lb.nlb_lb",
    reason: "Joblet's NLB passes TLS through to the instances over TCP; AWS writes NLB access logs only for TLS listeners. The VPC flow logs record its connections.",
  },
  {
    rule: "CKV_AWS_18/AVD-AWS-0089",
    stack: "*",
    address: "aws_s3_bucket.*access_logs_bucket",
    reason: "An access-log bucket is the target of other buckets' (or the load balancer's) logs; logging it to itself would loop, and to another bucket only moves the question.",
  },
  {
    rule: "CKV_AWS_18/AVD-AWS-0089",
    stack: "*-audit",
    address: "aws_s3_bucket.trail_bucket_bucket",
    reason: "The CloudTrail bucket holds the audit log itself: every API call on it is already a CloudTrail event (data events are a paid option).",
  },
  {
    rule: "CKV_AWS_18/AVD-AWS-0089",
    stack: "*-state",
    address: "aws_s3_bucket.state_bucket_bucket",
    reason: "The Terraform state bucket is created before anything else (the bootstrap) and every access to it is a CloudTrail event; it is versioned and TLS-only.",
  },
  {
    rule: "CKV_AWS_18/AVD-AWS-0089",
    stack: "*-edge",
    address: "aws_s3_bucket.static_assets_bucket",
    reason: "The static-assets bucket is read only by CloudFront through Origin Access Control; the reads are CloudFront's. Its viewers are not logged by the distribution (no CloudFront access logs are built: `CKV_AWS_86` below); the distribution's WAF web ACL, unless `waf` is null, logs the requests it inspects.",
  },
  {
    rule: "CKV_AWS_86/AVD-AWS-0010",
    stack: "*-edge",
    address: "aws_cloudfront_distribution.cdn_distribution",
    reason: "CloudFront's standard logs need an ACL-enabled bucket (legacy) or CloudWatch log delivery in us-east-1 (v2); neither is built yet. Meanwhile the distribution's WAF web ACL logs every request it inspects (client IP, URI, headers, action) to `aws-waf-logs-<project>-<env>-cdn` in us-east-1.",
  },
];

/** `*` glob to a whole-string regular expression. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

/** Whether `exception` excuses `finding`. */
export function excuses(exception: SecurityException, finding: Finding): boolean {
  return exception.rule === finding.rule && globToRegExp(exception.stack).test(finding.stack) && globToRegExp(exception.address).test(finding.address);
}
