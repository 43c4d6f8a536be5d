import { defineModule } from "../module";
import { checkStorageSettings } from "./checks";
import { bucketNameOf, deadLetterQueueNameOf, queueNameOf, StorageConfigSchema, tableNameOf } from "./settings";

/** The `storage` module (see ../module.ts). */
export const storageModule = defineModule({
  key: "storage",
  settings: StorageConfigSchema.prefault({}).describe("S3 buckets, DynamoDB tables and SQS queues (the `storage` stack). Default: none."),
  check: (storage, { naming }) => checkStorageSettings(storage, naming),
  names: (storage, naming) => [
    ...Object.entries(storage.tables).map(([key, table]) => ({ kind: "DynamoDB table", name: tableNameOf(naming, key, table), key: `tables.${key}.tableName`, scope: "account-region" as const })),
    ...Object.entries(storage.buckets).map(([key, bucket]) => ({ kind: "S3 bucket", name: bucketNameOf(naming, key, bucket), key: `buckets.${key}.bucketName`, scope: "global" as const })),
    ...Object.entries(storage.queues).flatMap(([key, queue]) => {
      const name = queueNameOf(naming, key, queue);
      const names = queue.maxReceiveCount === null ? [name] : [name, deadLetterQueueNameOf(name)];
      return names.map((n) => ({ kind: "SQS queue", name: n, key: `queues.${key}.queueName`, scope: "account-region" as const }));
    }),
  ],
});
