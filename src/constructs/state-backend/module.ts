import { defineModule } from "../module";
import { StateBackendConfigSchema } from "./settings";

/** The `stateBackend` module (see ../module.ts). */
export const stateBackendModule = defineModule({
  key: "stateBackend",
  settings: StateBackendConfigSchema.prefault({}).describe("The system's own state bucket and lock table, as the stack `<project>-<environment>-state`. Default: not built."),
});
