import { ConfigError } from "./errors";

/** Shapes of AWS identifiers the settings check (secret names, the state settings: backend, state stack, foreign states). Each error names `key`. */

/** The characters of a Secrets Manager secret's name (and so of a name prefix): letters, digits and /_+=.@-. */
export const SECRET_NAME_CHARACTERS = /^[A-Za-z0-9/_+=.@-]+$/;

/** A DynamoDB table name: 3-255 letters, digits, '_', '-' and '.'. */
export function validateTableName(name: string, key: string): void {
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(name)) {
    throw new ConfigError(key, name, "is not a DynamoDB table name", "use 3-255 letters, digits, '_', '-' and '.'");
  }
}

/** An IAM role ARN. */
export function validateRoleArn(arn: string, key: string): void {
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(arn)) {
    throw new ConfigError(key, arn, "is not an IAM role ARN", "use arn:<partition>:iam::<12-digit account>:role/<name>");
  }
}

/** A KMS key ARN, or a KMS alias ARN. */
export function validateKmsKeyArn(arn: string, key: string): void {
  if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/.test(arn)) {
    throw new ConfigError(key, arn, "is not a KMS key ARN", "use arn:<partition>:kms:<region>:<account>:key/<id> (or an alias ARN)");
  }
}

/** A value that is not blank; `what` says what to give instead. */
export function validateNonEmpty(value: string, key: string, what: string): void {
  if (value.trim() === "") throw new ConfigError(key, value, "is empty", `give ${what}, or remove the setting`);
}
