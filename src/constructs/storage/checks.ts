import { checkNamedItems, checkName, Naming } from "../../lib/naming";
import { validateBucketName } from "../../lib/s3-bucket-name";
import { ConfigError, nested, Problems } from "../../lib/errors";
import { keyAttributes } from "./dynamodb-table";
import { accessLogBucketNameOf, bucketNameOf, StorageConfig, tableNameOf } from "./settings";

/**
 * The storage settings' meaning, each bucket and table on its own: keys usable as ids and name
 * parts, and the names (given or derived) valid for S3 and DynamoDB. Keys are relative to the
 * settings; every problem is collected.
 */
export function checkStorageSettings(storage: StorageConfig, naming: Naming): void {
  const problems = new Problems();
  checkNamedItems(problems, "buckets", storage.buckets, { nameKey: "bucketName", given: (b) => b.bucketName, nameOf: (key, b) => bucketNameOf(naming, key, b) }, validateBucketName);
  if (storage.accessLogs && Object.keys(storage.buckets).length > 0) {
    problems.check(() => validateBucketName(accessLogBucketNameOf(naming), "accessLogs"));
  }
  checkNamedItems(problems, "tables", storage.tables, { nameKey: "tableName", given: (t) => t.tableName, nameOf: (key, t) => tableNameOf(naming, key, t) }, checkTableName);
  for (const [key, table] of Object.entries(storage.tables)) problems.check(() => nested(`tables.${key}`, () => keyAttributes(table)));
  problems.throwIfAny();
}

function checkTableName(name: string, key: string): void {
  checkName("dynamodbTable", name, key);
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(name)) {
    throw new ConfigError(key, name, "is not a valid DynamoDB table name", "use 3-255 letters, digits, '_', '-' and '.'");
  }
}
