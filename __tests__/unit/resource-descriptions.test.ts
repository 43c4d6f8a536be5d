import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { descriptionProblems } from "../../src/stacks/resource-descriptions";
import { UnitStack } from "../harness/unit-stack";

/**
 * AWS checks some descriptions against a character set of its own at apply, which the provider
 * does not check at plan (src/stacks/resource-descriptions.ts): synth refuses them instead.
 * Every synth of the app runs the check, so every preset in every environment passes it.
 */
function problemsOf(build: (stack: UnitStack) => void): string[] {
  const stack = new UnitStack();
  build(stack);
  return descriptionProblems([stack]).map((error) => `${error.key}: ${error.problem}`);
}

const group = (stack: UnitStack, description: string) => new SecurityGroup(stack, "sg", { name: "sg", description });
const rule = (stack: UnitStack, description: string) =>
  new VpcSecurityGroupIngressRule(stack, "rule", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16", description });
const acl = (stack: UnitStack, description: string) =>
  new Wafv2WebAcl(stack, "acl", { name: "acl", scope: "REGIONAL", description, defaultAction: { allow: {} }, visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "acl", sampledRequestsEnabled: true } });

describe("descriptions AWS checks at apply", () => {
  it("refuses a security group's, naming the resource, the refused characters and the allowed ones", () => {
    expect(problemsOf((s) => group(s, "ALB x: HTTPS 443 and the 80->443 redirect"))).toEqual([
      expect.stringMatching(/^aws_security_group\.sg\.description: holds ">", which AWS refuses there \(allowed: 1-255 of a-z, A-Z, 0-9, spaces and \._-:\/\(\)#,@\[\]\+=&;\{\}!\$\*\), so the first apply would fail$/),
    ]);
  });

  it("refuses an apostrophe in a rule's, and & there, which a group's description may hold", () => {
    expect(problemsOf((s) => rule(s, "HTTPS from CloudFront's servers"))).toEqual([expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.rule\.description: holds "'"/)]);
    expect(problemsOf((s) => rule(s, "HTTP & HTTPS"))).toEqual([expect.stringMatching(/holds "&"/)]);
    expect(problemsOf((s) => group(s, "HTTP & HTTPS"))).toEqual([]);
  });

  it("refuses a WAF web ACL's with parentheses or an apostrophe, ending in a space, shorter than 3 or with a space JavaScript's \\s takes and AWS's does not", () => {
    expect(problemsOf((s) => acl(s, "ab"))).toEqual([expect.stringMatching(/does not fit what AWS accepts there \(allowed: 3-256 of/)]);
    expect(problemsOf((s) => acl(s, "abc"))).toEqual([]);
    expect(problemsOf((s) => acl(s, "a\u00a0b"))).toEqual([expect.stringMatching(/holds "\u00a0"/)]);
    expect(problemsOf((s) => acl(s, "a\nb"))).toEqual([]);
    expect(problemsOf((s) => acl(s, "x: AWS managed rules (the rate limit is CloudFront's)"))).toEqual([expect.stringMatching(/^aws_wafv2_web_acl\.acl\.description: holds "\('\)"/)]);
    expect(problemsOf((s) => acl(s, "x: managed rules "))).toEqual([expect.stringMatching(/does not fit what AWS accepts there/)]);
    expect(problemsOf((s) => acl(s, "x: AWS managed rules, rate limit at CloudFront"))).toEqual([]);
  });

  it("refuses one longer than AWS takes, and an empty group description (EC2 requires one)", () => {
    expect(problemsOf((s) => group(s, "a".repeat(256)))).toEqual([expect.stringMatching(/does not fit what AWS accepts there/)]);
    expect(problemsOf((s) => group(s, "a".repeat(255)))).toEqual([]);
    expect(problemsOf((s) => group(s, ""))).toEqual([expect.stringMatching(/does not fit what AWS accepts there/)]);
    expect(problemsOf((s) => rule(s, ""))).toEqual([]);
  });

  it("checks the literal text of a description Terraform completes at apply, and leaves its length to apply", () => {
    const peer = (s: UnitStack) => new SecurityGroup(s, "peer", { name: "peer", description: "peer" }).id;
    expect(problemsOf((s) => group(s, `the group's peer: ${peer(s)}`))).toEqual([expect.stringMatching(/^aws_security_group\.sg\.description: holds "'"/)]);
    expect(problemsOf((s) => group(s, `the peer ${peer(s)}`))).toEqual([]);
  });
});
