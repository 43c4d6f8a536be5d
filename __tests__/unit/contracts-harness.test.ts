import { evaluate, evaluateTemplate } from "../harness/contracts/hcl";
import { policyProblems, resourceFitsTemplate, wildcardMatch } from "../harness/contracts/iam";
import { cidrContains } from "../harness/contracts/network";
import { SystemModel } from "../harness/contracts/model";

describe("contract harness: Terraform expressions", () => {
  const refs = (parts: (string | number)[]) => `<${parts.join(".")}>`;

  it("evaluates jsonencode of an object with references and interpolated strings", () => {
    const out = evaluate('jsonencode({"Resource" = [aws_x.a.arn, "${aws_x.a.arn}:*"], "N" = 1})', refs);
    expect(JSON.parse(String(out))).toEqual({ Resource: ["<aws_x.a.arn>", "<aws_x.a.arn>:*"], N: 1 });
  });

  it("evaluates element(split()) and keeps $${ as a literal", () => {
    expect(evaluate('element(split(":", "arn:aws:eks:r:111:cluster/c"), 4)', refs)).toBe("111");
    expect(evaluateTemplate("a $${b} c", refs)).toBe("a ${b} c");
  });

  it("fails loudly on a function it does not know", () => {
    expect(() => evaluate("md5(\"x\")", refs)).toThrow(/does not know the function md5\(\)/);
  });

  it("resolves a remote-state output to the producing stack's expression, with stand-in ARNs", () => {
    const model = new SystemModel({
      "s-prod-storage": { resource: { aws_kms_key: { k: {} } }, output: { key: { value: "${aws_kms_key.k.arn}" } } },
      "s-prod-compute": {
        provider: { aws: [{ region: "eu-west-1" }] },
        resource: { aws_iam_role_policy: { p: { role: "r", policy: "${data.terraform_remote_state.cross-stack-reference-input-s-prod-storage.outputs.key}" } } },
      },
    });
    expect(model.ofType("aws_iam_role_policy")[0].config.policy).toBe("arn:aws:kms:eu-west-1:111122223333:key/s-prod-storage-k");
  });
});

describe("contract harness: IAM and network helpers", () => {
  it("matches IAM wildcards", () => {
    expect(wildcardMatch("arn:aws:secretsmanager:*:*:secret:joblet/*", "arn:aws:secretsmanager:us-east-1:1:secret:joblet/ca-AbCdEf")).toBe(true);
    expect(wildcardMatch("s3:Get*", "s3:PutObject", true)).toBe(false);
  });

  it("fits a resource to an ARN template of the service authorization reference", () => {
    const stream = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";
    expect(resourceFitsTemplate("arn:aws:logs:us-east-1:1:log-group:/app:*", stream)).toBe(true);
    expect(resourceFitsTemplate("arn:aws:logs:us-east-1:1:log-group:/app", stream)).toBe(false);
    expect(resourceFitsTemplate("arn:aws:s3:::bucket", "arn:${Partition}:s3:::${BucketName}/${ObjectName}")).toBe(false);
  });

  it("finds a typo'd action, a wrong resource type and an unknown condition key", async () => {
    const problems = await policyProblems(
      {
        Version: "2012-10-17",
        Statement: [
          { Sid: "A", Effect: "Allow", Action: "s3:GetObjects", Resource: "*" },
          { Sid: "B", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket" },
          { Sid: "C", Effect: "Allow", Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:ViaServices": "x" } } },
        ],
      },
      "identity",
    );
    expect(problems).toEqual([
      expect.stringMatching(/statement A: "s3:GetObjects" is not an action of s3/),
      expect.stringMatching(/statement B: s3:GetObject applies to .*; none of arn:aws:s3:::bucket is one/),
      expect.stringMatching(/statement B: resource arn:aws:s3:::bucket is of no type/),
      expect.stringMatching(/statement C: condition key "kms:ViaServices" \(StringEquals\) does not exist/),
    ]);
  });

  it("contains CIDRs", () => {
    expect(cidrContains("10.0.0.0/16", "10.0.32.0/20")).toBe(true);
    expect(cidrContains("10.0.0.0/20", "10.0.32.0/24")).toBe(false);
    expect(cidrContains("0.0.0.0/0", "10.1.2.0/24")).toBe(true);
  });
});
