import { ServiceRole } from "../../src/constructs/iam";
import { DynamoTable } from "../../src/constructs/storage";
import { ecrPull, logsWrite, secretsRead } from "../../src/lib/grants";
import { policyDocument } from "../../src/lib/iam";
import { resourcesOf } from "../harness/synth";
import { synthConstructs } from "../harness/test-stack";

describe("policyDocument", () => {
  it("refuses to allow every action on every resource", () => {
    expect(() => policyDocument({ Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" })).toThrow(/allows "\*" on "\*"/);
  });

  it("allows a Deny on everything", () => {
    expect(() => policyDocument({ Effect: "Deny", Action: "*", Resource: "*" })).not.toThrow();
  });
});

describe("ServiceRole", () => {
  const json = synthConstructs((scope) => {
    const role = new ServiceRole(scope, "app_role", {
      roleName: "acme-prod-app",
      service: "ec2.amazonaws.com",
      managedPolicies: ["AmazonSSMManagedInstanceCore"],
      instanceProfile: true,
    });
    role.addToPolicy(...secretsRead("ReadAppSecrets", ["arn:aws:secretsmanager:us-east-1:*:secret:joblet/*"]));
    role.addToPolicy(...ecrPull("PullImages", ["arn:aws:ecr:us-east-1:123456789012:repository/acme"]));
    const table = new DynamoTable(scope, "table", { tableName: "acme_main", settings: { partitionKey: { name: "pk", type: "S" }, globalSecondaryIndexes: {} } });
    table.grantReadWrite(role);
  });
  const policy = String(resourcesOf(json, "aws_iam_role_policy").app_role_policy.policy);

  it("can only be assumed by its service", () => {
    expect(resourcesOf(json, "aws_iam_role").app_role_role.assume_role_policy).toContain('"Principal" = {"Service" = "ec2.amazonaws.com"}');
  });

  it("gathers every grant into one inline policy, each scoped to its resources", () => {
    expect(Object.keys(resourcesOf(json, "aws_iam_role_policy"))).toEqual(["app_role_policy"]);
    expect(policy).toContain('"Sid" = "ReadAppSecrets", "Effect" = "Allow", "Action" = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], "Resource" = ["arn:aws:secretsmanager:us-east-1:*:secret:joblet/*"]');
    expect(policy).toContain('"Resource" = ["arn:aws:ecr:us-east-1:123456789012:repository/acme"]');
    expect(policy).toContain('"Resource" = [aws_dynamodb_table.table_table.arn]');
    // An index takes only Query and Scan.
    expect(policy).toContain('"Action" = ["dynamodb:Query", "dynamodb:Scan"], "Resource" = ["${aws_dynamodb_table.table_table.arn}/index/*"]');
  });

  it("attaches AWS managed policies by ARN and creates an instance profile", () => {
    expect(resourcesOf(json, "aws_iam_role_policy_attachment").app_role_AmazonSSMManagedInstanceCore.policy_arn).toBe(
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    );
    expect(resourcesOf(json, "aws_iam_instance_profile").app_role_instance_profile).toMatchObject({ name: "acme-prod-app" });
  });

  it("creates no policy when nothing was granted", () => {
    const bare = synthConstructs((scope) => new ServiceRole(scope, "r", { roleName: "r", service: "ec2.amazonaws.com" }));
    expect(resourcesOf(bare, "aws_iam_role_policy")).toEqual({});
  });

  it("refuses two grants with the same Sid", () => {
    synthConstructs((scope) => {
      const role = new ServiceRole(scope, "r", { roleName: "r", service: "ec2.amazonaws.com" });
      role.addToPolicy(...logsWrite("Logs", ["arn:aws:logs:us-east-1:123456789012:log-group:a"]));
      expect(() => role.addToPolicy(...logsWrite("Logs", ["arn:aws:logs:us-east-1:123456789012:log-group:b"]))).toThrow(/Sid "Logs" was already granted/);
    });
  });

  it("refuses a role name longer than 64 characters", () => {
    expect(() => synthConstructs((scope) => new ServiceRole(scope, "r", { roleName: "r".repeat(65), service: "ec2.amazonaws.com" }))).toThrow(
      /65 characters; AWS allows at most 64/,
    );
  });
});
