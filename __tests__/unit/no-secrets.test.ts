import { readFileSync, rmSync } from "fs";
import { join } from "path";
import { DEFAULT_ENVIRONMENTS } from "../../src/config/selection";
import { SYSTEMS } from "../../src/systems";
import { findSecrets } from "../harness/secret-scan";
import { synthToDisk } from "../harness/synth";

describe("secret scan of the synthesized JSON", () => {
  describe("the scanner", () => {
    // Built at run time, so that this file holds no secret-looking literal itself.
    const fakeKeyId = ["AKIA", "Q".repeat(16)].join("");
    const fakeSecretKey = ["wJalrXUtnFEMI", "K7MDENG", "bPxRfiCYEXAMPLEKEY"].join("/");
    const pem = ["-----BEGIN", "RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----"].join(" ");

    it.each([
      [{ resource: { aws_db_instance: { db: { password: "hunter2hunter2" } } } }, /secret attribute "password"/],
      [{ resource: { aws_elasticache_replication_group: { r: { auth_token: "0123456789abcdef0123" } } } }, /"auth_token"/],
      [{ resource: { aws_elasticache_user: { u: { passwords: ["a-str0ng-pa55word"] } } } }, /"passwords"/],
      [{ resource: { aws_secretsmanager_secret_version: { v: { secret_string: '{"SECRET_KEY":"abc"}' } } } }, /"secret_string"/],
      [{ resource: { aws_launch_template: { lt: { user_data: `#!/bin/bash\nDB_PASS=${"s3cr3t-value"}\n` } } } }, /password assignment/],
      [{ locals: { app_user_data: ["#!/bin/bash", `export API_TOKEN=${"s3cr3t-value"}`] } }, /password assignment/],
      [{ provider: { aws: [{ access_key: fakeKeyId }] } }, /AWS access key id/],
      [{ locals: { k: `key ${fakeSecretKey}` } }, /AWS secret access key/],
      [{ resource: { tls: { k: { content: pem } } } }, /private key/],
    ])("flags %j", (json, why) => {
      const findings = findSecrets(json);
      expect(findings.map((f) => f.why).join("; ")).toMatch(why);
    });

    it.each([
      [{ resource: { aws_db_instance: { db: { manage_master_user_password: true, password: "${var.db_password}" } } } }],
      [{ resource: { aws_elasticache_user: { u: { authentication_mode: { type: "iam" } } } } }],
      [{ output: { arn: { value: "arn:aws:secretsmanager:us-east-1:*:secret:joblet/*" } } }],
      [{ resource: { x: { y: { description: "Shared CA private key (PEM)", user_data: "SECRET_ARN=${aws_secretsmanager_secret.s.arn}" } } } }],
      // A boot script line that reads the password at boot (a jq interpolation), not a value.
      [{ locals: { app_user_data: [`jq -r '.SecretString | fromjson | "DB_PASS=\\(.password)"' <<<"$MASTER"`] } }],
    ])("passes %j", (json) => {
      expect(findSecrets(json)).toEqual([]);
    });
  });

  describe.each([
    ["default app (dev)", DEFAULT_ENVIRONMENTS],
    ["prod app", ["prod"]],
  ])("%s", (_, environments) => {
    const { outdir, stacks } = synthToDisk({ systems: Object.keys(SYSTEMS), environments });
    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    it("synthesizes the data tier stacks too", () => {
      expect(stacks.filter((s) => /-(storage|data|audit)$/.test(s)).length).toBeGreaterThanOrEqual(6);
    });

    it.each(stacks)("%s holds no secret-looking literal", (stack) => {
      const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as unknown;
      expect(findSecrets(json)).toEqual([]);
    });
  });
});
