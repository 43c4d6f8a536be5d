import { defineModule } from "../module";
import { checkAuditSettings } from "./checks";
import { buildAuditLayer } from "./layer";
import { AuditConfigSchema, trailBucketNameOf } from "./settings";

/** The `audit` module (see ../module.ts). */
export const auditModule = defineModule({
  key: "audit",
  settings: AuditConfigSchema.optional().describe("CloudTrail, secret-access and certificate-expiry alarms (the `audit` stack). Default: none."),
  // Certificates must be of the region: checked once it is valid.
  check(audit, { region, naming }) {
    if (region) checkAuditSettings(audit, region, naming);
  },
  names: (audit, naming) => [{ kind: "S3 bucket", name: trailBucketNameOf(naming, audit.trail), key: "trail.bucketName", scope: "global" }],
  layer: { name: "audit", build: buildAuditLayer },
});
