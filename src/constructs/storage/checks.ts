import { checkItemKey, checkNameLength, Naming } from "../../lib/naming";
import { validateBucketName } from "../../lib/s3-bucket-name";
import { ConfigError, Problems } from "../../lib/errors";
import { accessLogBucketNameOf, bucketNameOf, StorageConfig, tableNameOf } from "./settings";

/**
 * The storage settings' meaning, each bucket and table on its own: keys usable as ids and name
 * parts, and the names (given or derived) valid for S3 and DynamoDB. Keys are relative to the
 * settings; every problem is collected.
 */
export function checkStorageSettings(storage: StorageConfig, naming: Naming): void {
  const problems = new Problems();
  for (const [key, bucket] of Object.entries(storage.buckets)) {
    // The default name is made from the key: checked once the key is usable.
    const keyValid = problems.check(() => checkItemKey(`buckets.${key}`, key));
    if (keyValid || bucket.bucketName !== undefined) {
      problems.check(() => validateBucketName(bucketNameOf(naming, key, bucket), `buckets.${key}.bucketName`));
    }
  }
  if (storage.accessLogs && Object.keys(storage.buckets).length > 0) {
    problems.check(() => validateBucketName(accessLogBucketNameOf(naming), "accessLogs"));
  }
  for (const [key, table] of Object.entries(storage.tables)) {
    const keyValid = problems.check(() => checkItemKey(`tables.${key}`, key));
    if (keyValid || table.tableName !== undefined) problems.check(() => checkTableName(`tables.${key}.tableName`, tableNameOf(naming, key, table)));
  }
  problems.throwIfAny();
}

function checkTableName(key: string, name: string): void {
  checkNameLength("dynamodbTable", name, key);
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(name)) {
    throw new ConfigError(key, name, "is not a valid DynamoDB table name", "use 3-255 letters, digits, '_', '-' and '.'");
  }
}
