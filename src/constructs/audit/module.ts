import { defineModule } from "../module";
import { AuditConfigSchema } from "./settings";

/** The `audit` module (see ../module.ts). */
export const auditModule = defineModule({
  key: "audit",
  settings: AuditConfigSchema.optional().describe("CloudTrail, secret-access and certificate-expiry alarms (the `audit` stack). Default: none."),
});
