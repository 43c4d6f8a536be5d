import { defineModule } from "../module";
import { checkStorageSettings } from "./checks";
import { StorageConfigSchema } from "./settings";

/** The `storage` module (see ../module.ts). */
export const storageModule = defineModule({
  key: "storage",
  settings: StorageConfigSchema.prefault({}).describe("S3 buckets and DynamoDB tables (the `storage` stack). Default: none."),
  check: (storage, { naming }) => checkStorageSettings(storage, naming),
});
