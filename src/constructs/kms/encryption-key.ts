import { Construct } from "constructs";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { ConfigError } from "../../lib/errors";
import { policyDocument, PolicyStatement } from "../../lib/iam";
import { checkName } from "../../lib/naming";

export interface EncryptionKeyProps {
  /** The alias, without `alias/`, e.g. `joblet-prod-secrets`. */
  readonly alias: string;
  readonly description: string;
  /** Days a deleted key stays recoverable, 7-30. @default 30 */
  readonly deletionWindowInDays?: number;
  /** Days between automatic rotations, 90-2560. @default 365 */
  readonly rotationPeriodInDays?: number;
  /** Terraform `prevent_destroy`: data encrypted with a lost key is lost. @default true */
  readonly preventDestroy?: boolean;
  /**
   * Statements for AWS services that use the key on the account's behalf (CloudTrail,
   * CloudWatch Logs, ...). With any, the key gets an explicit policy: these plus the
   * account's own administration, which needs `accountId`.
   * @default none: AWS's default key policy, under which IAM policies of the account decide
   */
  readonly servicePolicy?: { readonly accountId: string; readonly partition: string; readonly statements: readonly PolicyStatement[] };
}

/**
 * A customer managed, symmetric KMS key with automatic rotation, a recovery window on
 * deletion, an alias, and `prevent_destroy` unless told otherwise.
 */
export class EncryptionKey extends Construct {
  public readonly key: KmsKey;
  public readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const { window, rotation } = checkKeyProps(props);
    const sp = props.servicePolicy;
    this.key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      rotationPeriodInDays: rotation,
      deletionWindowInDays: window,
      policy: sp
        ? policyDocument(
            {
              Sid: "AccountAdministersTheKey",
              Effect: "Allow",
              Principal: { AWS: `arn:${sp.partition}:iam::${sp.accountId}:root` },
              Action: "kms:*",
              Resource: "*",
            },
            ...sp.statements,
          )
        : undefined,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.alias = new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
  }

  public get arn(): string {
    return this.key.arn;
  }
}

/** The alias, deletion window and rotation period within KMS's rules; the window and period, defaults applied. */
function checkKeyProps(props: EncryptionKeyProps): { window: number; rotation: number } {
  checkName("kmsAlias", `alias/${props.alias}`, "alias");
  if (!/^[a-zA-Z0-9/_-]+$/.test(props.alias) || props.alias.startsWith("aws/")) {
    throw new ConfigError("alias", props.alias, "is not a usable KMS alias name", "use letters, digits, '/', '_' and '-', not starting with aws/");
  }
  const window = props.deletionWindowInDays ?? 30;
  if (!Number.isInteger(window) || window < 7 || window > 30) {
    throw new ConfigError("deletionWindowInDays", window, "must be a whole number of days from 7 to 30 (KMS's limit)", "use 30, or 7 for a dev environment");
  }
  const rotation = props.rotationPeriodInDays ?? 365;
  if (!Number.isInteger(rotation) || rotation < 90 || rotation > 2560) {
    throw new ConfigError("rotationPeriodInDays", rotation, "must be a whole number of days from 90 to 2560", "use 365");
  }
  return { window, rotation };
}
