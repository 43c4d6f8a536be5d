import { ServiceRole } from "../../src/constructs/iam/service-role";
import { EncryptionKey } from "../../src/constructs/kms/encryption-key";
import { SecretStore, validateSecretName } from "../../src/constructs/secrets/secret-store";
import { SecretsConfig, SecretsConfigSchema } from "../../src/constructs/secrets/settings";
import { namesOf, resource, synthIn } from "./support";

/** Joblet's secrets, as its settings give them before parsing. */
const JOBLET = {
  prefix: "joblet/",
  entries: {
    "joblet/ca-cert": "Shared CA certificate",
    "joblet/ca-key": "Shared CA private key",
    "joblet/client-cert": "Shared client certificate",
    "joblet/client-key": "Shared client private key",
  },
};

/** A store of Joblet's settings parsed by the module's schema, then `settings` laid over them; `accountId` is wiring. */
function synthStore(settings: Partial<SecretsConfig> = {}, grant?: (store: SecretStore, role: ServiceRole) => void, accountId?: string) {
  return synthIn((stack) => {
    const key = new EncryptionKey(stack, "kms", { alias: "joblet-prod-secrets", description: "secrets" });
    const store = new SecretStore(stack, "secrets", { region: "us-east-1", accountId, kmsKeyArn: key.arn, settings: { ...SecretsConfigSchema.parse(JOBLET), ...settings }, deletionProtection: true });
    if (grant) grant(store, new ServiceRole(stack, "role", { roleName: "joblet-node", service: "ec2.amazonaws.com" }));
  });
}

describe("EncryptionKey", () => {
  it("is a rotating customer managed key with a recovery window, an alias and prevent_destroy", () => {
    const json = synthIn((stack) => new EncryptionKey(stack, "kms", { alias: "shop-prod-secrets", description: "d", deletionWindowInDays: 7 }));
    expect(resource(json, "aws_kms_key", "kms_key")).toMatchObject({
      enable_key_rotation: true,
      rotation_period_in_days: 365,
      deletion_window_in_days: 7,
      lifecycle: { prevent_destroy: true },
    });
    expect(resource(json, "aws_kms_alias", "kms_alias")).toMatchObject({ name: "alias/shop-prod-secrets", target_key_id: "${aws_kms_key.kms_key.key_id}" });
  });

  it("refuses a deletion window outside 7-30 days", () => {
    expect(() => synthIn((s) => new EncryptionKey(s, "k", { alias: "a1", description: "d", deletionWindowInDays: 3 }))).toThrow(/deletionWindowInDays = 3/);
  });
});

describe("SecretStore", () => {
  it("creates Joblet's four certificate secrets, encrypted with the key, with a recovery window", () => {
    const json = synthStore({ recoveryWindowInDays: 30 });
    expect(namesOf(json, "aws_secretsmanager_secret")).toEqual([
      "secrets_secret_joblet_ca-cert",
      "secrets_secret_joblet_ca-key",
      "secrets_secret_joblet_client-cert",
      "secrets_secret_joblet_client-key",
    ]);
    expect(resource(json, "aws_secretsmanager_secret", "secrets_secret_joblet_ca-key")).toMatchObject({
      name: "joblet/ca-key",
      kms_key_id: "${aws_kms_key.kms_key.arn}",
      recovery_window_in_days: 30,
    });
  });

  it("never creates a secret value", () => {
    const json = synthStore();
    expect(namesOf(json, "aws_secretsmanager_secret_version")).toEqual([]);
    for (const secret of Object.values(json.resource!.aws_secretsmanager_secret)) {
      expect(secret.secret_string).toBeUndefined();
    }
  });

  it("grants reading exactly the named secrets, with decrypt only through Secrets Manager", () => {
    const json = synthStore({}, (store, role) => store.grantRead(role, ["joblet/ca-cert", "joblet/client-cert"]));
    const policy = String(resource(json, "aws_iam_role_policy", "role_policy").policy);
    expect(policy).toContain(
      '"Resource" = [aws_secretsmanager_secret.secrets_secret_joblet_ca-cert.arn, aws_secretsmanager_secret.secrets_secret_joblet_client-cert.arn]',
    );
    expect(policy).not.toContain("secrets_secret_joblet_ca-key");
    expect(policy).toContain('"Action" = "kms:Decrypt", "Resource" = [aws_kms_key.kms_key.arn], "Condition" = {"StringEquals" = {"kms:ViaService" = "secretsmanager.us-east-1.amazonaws.com"}}');
  });

  it("grants reading by prefix, scoped to the account when known", () => {
    const json = synthStore({}, (store, role) => store.grantReadPrefix(role), "123456789012");
    const policy = String(resource(json, "aws_iam_role_policy", "role_policy").policy);
    expect(policy).toContain('"Resource" = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:joblet/*"]');
  });

  it("grants putting values (the first Joblet instance writes the certificates), but not creating or deleting secrets", () => {
    const json = synthStore({}, (store, role) => store.grantWrite(role));
    const policy = String(resource(json, "aws_iam_role_policy", "role_policy").policy);
    expect(policy).toContain("secretsmanager:PutSecretValue");
    expect(policy).toContain(
      '{"Sid" = "WriteSecretsKey", "Effect" = "Allow", "Action" = ["kms:GenerateDataKey", "kms:Decrypt"], "Resource" = [aws_kms_key.kms_key.arn], "Condition" = {"StringEquals" = {"kms:ViaService" = "secretsmanager.us-east-1.amazonaws.com"}}}',
    );
    expect(policy).not.toContain("secretsmanager:CreateSecret");
    expect(policy).not.toContain("secretsmanager:DeleteSecret");
  });

  it("grants creating and writing every secret under the prefix with a data key from the store's key (Joblet's first instance)", () => {
    const json = synthStore({}, (store, role) => store.grantWritePrefix(role));
    const policy = String(resource(json, "aws_iam_role_policy", "role_policy").policy);
    expect(policy).toContain(
      '"Action" = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:CreateSecret", "secretsmanager:UpdateSecret", "secretsmanager:PutSecretValue", "secretsmanager:TagResource"], "Resource" = ["arn:aws:secretsmanager:us-east-1:*:secret:joblet/*"]',
    );
    expect(policy).toContain('"Sid" = "WriteSecretsByPrefixKey", "Effect" = "Allow", "Action" = ["kms:GenerateDataKey", "kms:Decrypt"], "Resource" = [aws_kms_key.kms_key.arn]');
  });

  it("refuses a secret outside the allowed prefix", () => {
    expect(() => synthStore({ entries: { "other/ca-cert": "x" } })).toThrow(/entries\.other\/ca-cert = "other\/ca-cert"[\s\S]*outside the allowed prefix "joblet\/"/);
  });

  it("refuses names Secrets Manager would reject or confuse", () => {
    expect(() => validateSecretName("joblet/ca cert", "joblet/")).toThrow(/not a valid Secrets Manager name/);
    expect(() => validateSecretName("joblet/cert-abcdef", "joblet/")).toThrow(/hyphen and six characters/);
  });

  it("keeps deleted secrets 30 days where the system protects its data, and deletes them at once where it does not (dev)", () => {
    const windowOf = (deletionProtection: boolean, recoveryWindowInDays?: number) =>
      resource(
        synthIn((stack) => new SecretStore(stack, "secrets", { region: "us-east-1", kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/k", settings: SecretsConfigSchema.parse({ ...JOBLET, recoveryWindowInDays }), deletionProtection })),
        "aws_secretsmanager_secret",
        "secrets_secret_joblet_ca-key",
      ).recovery_window_in_days;
    expect([windowOf(true), windowOf(false), windowOf(false, 7), windowOf(true, 0)]).toEqual([30, 0, 7, 0]);
  });

  it("its settings refuse a recovery window that is neither 0 nor 7-30 days, and a store of no secret", () => {
    expect(() => SecretsConfigSchema.parse({ ...JOBLET, recoveryWindowInDays: 3 })).toThrow(/recoveryWindowInDays[\s\S]*0 \(deleted at once\) or 7-30 days/);
    expect(() => SecretsConfigSchema.parse({ ...JOBLET, recoveryWindowInDays: 31 })).toThrow(/recoveryWindowInDays/);
    expect(() => SecretsConfigSchema.parse({ ...JOBLET, entries: {} })).toThrow(/names no secret/);
  });
});
