import { SYSTEMS } from "../../src/systems";
import { ConfigErrors } from "../../src/lib/errors";
import { Overrides } from "../../src/config/overrides";
import { buildStacks, resourcesOf, StackJson, synthStack } from "../harness/synth";

function only(json: StackJson, type: string): Record<string, unknown> {
  const resources = Object.values(resourcesOf(json, type));
  expect(resources).toHaveLength(1);
  return resources[0];
}

describe("StateStack", () => {
  describe("in ODE's presets", () => {
    it("is built first, only for ODE, in every environment", () => {
      const names = buildStacks({ systems: Object.keys(SYSTEMS), environments: ["dev", "prod"] }).map((s) => s.node.id);
      expect(names.filter((n) => n.endsWith("-state"))).toEqual(["ode-dev-state", "ode-prod-state"]);
      expect(names.indexOf("ode-prod-state")).toBe(names.indexOf("ode-prod-network") - 1);
    });

    it("keeps the document's names in prod (ode-terraform-state, ode-terraform-locks) and prefixes them elsewhere", () => {
      const prod = synthStack({ systems: ["ode"], environments: ["prod"] }, "ode-prod-state");
      expect(only(prod, "aws_s3_bucket").bucket).toBe("ode-terraform-state");
      expect(only(prod, "aws_dynamodb_table").name).toBe("ode-terraform-locks");
      const dev = synthStack({ systems: ["ode"], environments: ["dev"] }, "ode-dev-state");
      expect(only(dev, "aws_s3_bucket").bucket).toBe("ode-dev-terraform-state");
      expect(only(dev, "aws_dynamodb_table").name).toBe("ode-dev-terraform-locks");
    });
  });

  describe("state bucket", () => {
    const json = synthStack({ systems: ["ode"], environments: ["dev"] }, "ode-dev-state");

    it("can never be destroyed by a plan, nor emptied by Terraform, even in dev", () => {
      expect(only(json, "aws_s3_bucket")).toMatchObject({ force_destroy: false, lifecycle: { prevent_destroy: true } });
    });

    it("keeps every version of every state", () => {
      expect(only(json, "aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    });

    it("encrypts objects with SSE-S3 by default", () => {
      expect(only(json, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
      ]);
    });

    it("blocks all public access and disables ACLs", () => {
      expect(only(json, "aws_s3_bucket_public_access_block")).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(only(json, "aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    });

    it("denies every request made without TLS, on the bucket and its objects", () => {
      // policyDocument renders a jsonencode() expression, so Terraform resolves the ARN.
      expect(only(json, "aws_s3_bucket_policy")).toMatchObject({
        bucket: "${aws_s3_bucket.state_bucket_bucket.id}",
        policy:
          '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Sid" = "DenyInsecureTransport", "Effect" = "Deny", "Principal" = "*", "Action" = "s3:*", ' +
          '"Resource" = [aws_s3_bucket.state_bucket_bucket.arn, "${aws_s3_bucket.state_bucket_bucket.arn}/*"], "Condition" = {"Bool" = {"aws:SecureTransport" = "false"}}}]})}',
      });
    });

    it("expires overwritten versions after 90 days and aborts incomplete uploads after 7", () => {
      const rules = only(json, "aws_s3_bucket_lifecycle_configuration").rule as Record<string, unknown>[];
      expect(rules).toEqual([
        { id: "abort-incomplete-uploads", status: "Enabled", filter: [{}], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] },
        { id: "noncurrent-versions", status: "Enabled", filter: [{}], noncurrent_version_expiration: [{ noncurrent_days: 90 }] },
      ]);
    });
  });

  describe("lock table", () => {
    const json = synthStack({ systems: ["ode"], environments: ["dev"] }, "ode-dev-state");

    it("has the LockID string hash key the S3 backend writes, billed on demand", () => {
      expect(only(json, "aws_dynamodb_table")).toMatchObject({
        hash_key: "LockID",
        attribute: [{ name: "LockID", type: "S" }],
        billing_mode: "PAY_PER_REQUEST",
      });
      expect(only(json, "aws_dynamodb_table").range_key).toBeUndefined();
    });

    it("has point-in-time recovery, encryption, deletion protection and prevent_destroy, even in dev", () => {
      expect(only(json, "aws_dynamodb_table")).toMatchObject({
        point_in_time_recovery: { enabled: true },
        server_side_encryption: { enabled: true },
        deletion_protection_enabled: true,
        lifecycle: { prevent_destroy: true },
      });
    });
  });

  describe("outputs", () => {
    it("name the bucket, its ARN, the table, its ARN and the region", () => {
      const json = synthStack({ systems: ["ode"], environments: ["prod"] }, "ode-prod-state");
      expect(json.output).toEqual({
        state_bucket_name: { value: "${aws_s3_bucket.state_bucket_bucket.bucket}", description: expect.any(String) },
        state_bucket_arn: { value: "${aws_s3_bucket.state_bucket_bucket.arn}", description: expect.any(String) },
        lock_table_name: { value: "${aws_dynamodb_table.state_locks_table.name}", description: expect.any(String) },
        lock_table_arn: { value: "${aws_dynamodb_table.state_locks_table.arn}", description: expect.any(String) },
        region: { value: "us-east-1", description: expect.any(String) },
      });
    });
  });

  describe("configured", () => {
    const kmsKeyArn = "arn:aws:kms:ap-northeast-2:517392846021:key/0b7e5b6c-1d2e-4f3a-9b8c-7d6e5f4a3b2c";
    const overrides: Overrides = {
      algoitny: {
        prod: {
          stateBackend: { enabled: true, bucketName: "zte-terraform-state", kmsKeyArn, noncurrentVersionExpirationDays: 365, abortIncompleteUploadDays: 2 },
        },
      },
    };
    const json = synthStack({ systems: ["algoitny"], environments: ["prod"] }, "algoitny-prod-state", overrides);

    it("builds the state stack for any system that enables it", () => {
      expect(only(json, "aws_s3_bucket").bucket).toBe("zte-terraform-state");
      expect(only(json, "aws_dynamodb_table").name).toBe("algoitny-prod-terraform-locks");
    });

    it("encrypts the bucket and the table with the given KMS key", () => {
      expect(only(json, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: kmsKeyArn }, bucket_key_enabled: true },
      ]);
      expect(only(json, "aws_dynamodb_table").server_side_encryption).toEqual({ enabled: true, kms_key_arn: kmsKeyArn });
    });

    it("keeps old versions as long as asked", () => {
      const rules = only(json, "aws_s3_bucket_lifecycle_configuration").rule as { id: string }[];
      expect(rules.find((r) => r.id === "noncurrent-versions")).toMatchObject({ noncurrent_version_expiration: [{ noncurrent_days: 365 }] });
      expect(rules.find((r) => r.id === "abort-incomplete-uploads")).toMatchObject({ abort_incomplete_multipart_upload: [{ days_after_initiation: 2 }] });
    });

    it.each([
      [{ kmsKeyArn: "alias/terraform" }, "stateBackend.kmsKeyArn", /not a KMS key ARN/],
      [{ noncurrentVersionExpirationDays: 0 }, "stateBackend.noncurrentVersionExpirationDays", /at least 1/],
      [{ lockTableName: "a b" }, "stateBackend.lockTableName", /not a DynamoDB table name/],
    ])("rejects %j with a ConfigError on %s", (stateBackend, key, problem) => {
      const build = () => buildStacks({ systems: ["algoitny"], environments: ["prod"] }, { algoitny: { all: { stateBackend } } });
      expect(build).toThrow(ConfigErrors);
      expect(build).toThrow(problem);
      expect(build).toThrow(`algoitny/prod: ${key} = `);
    });
  });
});
