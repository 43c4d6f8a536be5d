import { Construct } from "constructs";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { ConfigError } from "../../lib/errors";
import { SECRET_NAME_CHARACTERS } from "../../lib/aws-values";
import { partitionOf } from "../../lib/regions";
import { kmsDecryptVia, kmsWriteVia, secretPrefixArn, secretsRead, secretsWrite } from "../../lib/grants";
import { checkName } from "../../lib/naming";
import { IGrantable } from "../iam/service-role";
import type { SecretsConfig } from "./settings";

export interface SecretStoreProps {
  /** The region, for the ARNs of prefix grants and the `kms:ViaService` condition. */
  readonly region: string;
  /** The account, for prefix grants. @default `*` (any account; the name prefix still scopes them) */
  readonly accountId?: string;
  /**
   * The `prefix` every secret's name starts with and prefix grants are scoped to (e.g.
   * `joblet/`, the Joblet document's `arn:aws:secretsmanager:*:*:secret:joblet/*`); the
   * `entries` to create, full name -> description (their values are never in code); the
   * recovery window.
   */
  readonly settings: SecretsConfig;
  /** The customer managed KMS key that encrypts the secrets. */
  readonly kmsKeyArn: string;
  /**
   * Whether the system protects its data from deletion: a deleted secret then stays
   * recoverable 30 days unless `settings.recoveryWindowInDays` says otherwise; without it, it
   * is deleted at once, so that a torn-down environment can create its secrets again.
   */
  readonly deletionProtection: boolean;
}

/**
 * Secrets Manager secrets as empty containers: Terraform creates each secret (name,
 * description, customer managed KMS key, recovery window) but never a value, so no
 * secret value is ever in code, in the synthesized JSON, or in Terraform state. Values
 * are put with `aws secretsmanager put-secret-value` (see docs/data.md), by the
 * application itself through {@link grantWrite}, or, for a Redis password user's URL, by
 * the data stack as a write-only value (`secret_string_wo`, never in state).
 *
 * Grants produce least-privilege statements scoped to exactly these secrets' ARNs
 * ({@link grantRead}) or to the name prefix ({@link grantReadPrefix}), plus decrypt
 * with the key only through Secrets Manager.
 */
export class SecretStore extends Construct {
  /** The secrets, by full name. */
  public readonly secrets: Readonly<Record<string, SecretsmanagerSecret>>;
  public readonly prefix: string;
  private readonly props: SecretStoreProps;

  constructor(scope: Construct, id: string, props: SecretStoreProps) {
    super(scope, id);
    const { prefix, entries } = props.settings;
    const window = props.settings.recoveryWindowInDays ?? (props.deletionProtection ? 30 : 0);
    validateSecretPrefix(prefix, "prefix");
    const names = Object.keys(entries);
    const secrets: Record<string, SecretsmanagerSecret> = {};
    for (const name of names.sort()) {
      validateSecretName(name, prefix, `entries.${name}`);
      secrets[name] = new SecretsmanagerSecret(this, secretId(name), {
        name,
        description: entries[name],
        kmsKeyId: props.kmsKeyArn,
        recoveryWindowInDays: window,
      });
    }
    this.secrets = secrets;
    this.prefix = prefix;
    this.props = props;
  }

  /** The ARNs of the named secrets (all of them by default). */
  public arns(names: readonly string[] = Object.keys(this.secrets)): string[] {
    return names.map((name) => {
      const secret = this.secrets[name];
      if (!secret) throw new Error(`${this.node.path}: no secret "${name}"; secrets are ${Object.keys(this.secrets).join(", ")}`);
      return secret.arn;
    });
  }

  /** The ARN pattern matching every secret under the prefix. */
  public get prefixArn(): string {
    return secretPrefixArn(partitionOf(this.props.region), this.props.region, this.props.accountId ?? "*", this.prefix);
  }

  /** Lets `grantee` read exactly the named secrets (all by default). */
  public grantRead(grantee: IGrantable, names?: readonly string[], sid = "ReadSecrets"): void {
    grantee.addToPolicy(...secretsRead(sid, this.arns(names)), ...this.decrypt(`${sid}Key`));
  }

  /** Lets `grantee` read every secret whose name starts with the prefix, including ones created later. */
  public grantReadPrefix(grantee: IGrantable, sid = "ReadSecretsByPrefix"): void {
    grantee.addToPolicy(...secretsRead(sid, [this.prefixArn]), ...this.decrypt(`${sid}Key`));
  }

  /**
   * Lets `grantee` put new values into exactly the named secrets (all by default), read
   * them, and generate data keys with the store's KMS key through Secrets Manager, which
   * a new value encrypted with a customer managed key needs.
   */
  public grantWrite(grantee: IGrantable, names?: readonly string[], sid = "WriteSecrets"): void {
    grantee.addToPolicy(...secretsWrite(sid, this.arns(names)), ...this.encrypt(`${sid}Key`));
  }

  /**
   * Lets `grantee` create, update, tag, put values into and read every secret under the
   * prefix (Joblet's first instance publishing `joblet/*`), with the store's key.
   */
  public grantWritePrefix(grantee: IGrantable, sid = "WriteSecretsByPrefix"): void {
    grantee.addToPolicy(...secretsWrite(sid, [this.prefixArn], true), ...this.encrypt(`${sid}Key`));
  }

  /** Whether `name` is one of the store's secrets. */
  public has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.secrets, name);
  }

  private get viaService(): string {
    return `secretsmanager.${this.props.region}.amazonaws.com`;
  }

  private decrypt(sid: string) {
    return kmsDecryptVia(sid, [this.props.kmsKeyArn], this.viaService);
  }

  private encrypt(sid: string) {
    return kmsWriteVia(sid, [this.props.kmsKeyArn], this.viaService);
  }
}

/** A construct id for a secret name: `joblet/ca-cert` -> `secret_joblet_ca-cert`. */
function secretId(name: string): string {
  return `secret_${name.replace(/[^A-Za-z0-9_-]+/g, "_")}`;
}

/** Fails with a ConfigError naming `key` unless `prefix` is a usable secret name prefix. */
export function validateSecretPrefix(prefix: string, key = "secrets.prefix"): void {
  if (prefix.length < 2 || !SECRET_NAME_CHARACTERS.test(prefix)) {
    throw new ConfigError(key, prefix, "is not a usable secret name prefix", "use 2 or more letters, digits and /_+=.@-, e.g. joblet/");
  }
}

/**
 * Fails with a ConfigError naming `key` unless `name` is a valid Secrets Manager name that
 * starts with `prefix`: the prefix is what IAM grants are scoped to, so a secret outside
 * it would be unreadable through them (or, widened, a grant would cover too much).
 */
export function validateSecretName(name: string, prefix: string, key = "secrets"): void {
  checkName("secret", name, key);
  if (!SECRET_NAME_CHARACTERS.test(name)) {
    throw new ConfigError(key, name, "is not a valid Secrets Manager name", "use letters, digits and /_+=.@- only");
  }
  if (!name.startsWith(prefix)) {
    throw new ConfigError(
      key,
      name,
      `is outside the allowed prefix "${prefix}", which IAM grants are scoped to`,
      `name it "${prefix}..." or change the prefix`,
    );
  }
  if (/-[A-Za-z0-9]{6}$/.test(name)) {
    throw new ConfigError(
      key,
      name,
      "ends with a hyphen and six characters, which Secrets Manager confuses with the random suffix of an ARN",
      "end the name differently, e.g. with '/' parts or a longer last word",
    );
  }
}
