import { defineModule } from "../module";
import { StateBackendConfigSchema } from "./settings";

/** The `stateBackend` module (see ../module.ts). */
export const stateBackendModule = defineModule({
  key: "stateBackend",
  settings: StateBackendConfigSchema.prefault({}).describe("The system's own state bucket and lock table, as the stack `<project>-<environment>-state`. Default: not built."),
  // The names given; a derived one carries the environment.
  names: (state) => [
    ...(state.enabled && state.bucketName ? [{ kind: "S3 bucket", name: state.bucketName, key: "bucketName", scope: "global" as const }] : []),
    ...(state.enabled && state.lockTableName ? [{ kind: "DynamoDB table", name: state.lockTableName, key: "lockTableName", scope: "account-region" as const }] : []),
  ],
});
