import { checkNamedItems, checkName, NAME_LIMITS, Naming } from "../../lib/naming";
import { validateBucketName } from "../../lib/s3-bucket-name";
import { ConfigError, nested, Problems } from "../../lib/errors";
import { keyAttributes } from "./dynamodb-table";
import { accessLogBucketNameOf, bucketNameOf, DEAD_LETTER_SUFFIX, deadLetterQueueNameOf, queueNameOf, StorageConfig, tableNameOf } from "./settings";

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
  checkNamedItems(problems, "queues", storage.queues, { nameKey: "queueName", given: (q) => q.queueName, nameOf: (key, q) => queueNameOf(naming, key, q) }, checkQueueName);
  for (const [key, queue] of Object.entries(storage.queues)) {
    if (queue.maxReceiveCount === null) continue;
    const limit = NAME_LIMITS.sqsQueue - DEAD_LETTER_SUFFIX.length;
    problems.check(() => checkName("sqsQueue", deadLetterQueueNameOf(queueNameOf(naming, key, queue)), `queues.${key}.queueName`, `use at most ${limit} characters: its dead-letter queue adds "${DEAD_LETTER_SUFFIX}" (or set maxReceiveCount to null)`));
  }
  problems.throwIfAny();
}

/** An SQS (standard) queue's name: at most 80 letters, digits, '-' and '_'. */
function checkQueueName(name: string, key: string): void {
  checkName("sqsQueue", name, key);
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new ConfigError(key, name, "is not a valid SQS queue name", "use letters, digits, '-' and '_'");
}

function checkTableName(name: string, key: string): void {
  checkName("dynamodbTable", name, key);
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(name)) {
    throw new ConfigError(key, name, "is not a valid DynamoDB table name", "use 3-255 letters, digits, '_', '-' and '.'");
  }
}
