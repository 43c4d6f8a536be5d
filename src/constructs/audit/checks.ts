import { Naming } from "../../lib/naming";
import { validateBucketName } from "../../lib/s3-bucket-name";
import { Problems } from "../../lib/errors";
import { checkCertificateAlarmLabels, validateCertificate, validateSubscription } from "./alarms";
import { AuditConfig, trailBucketNameOf } from "./settings";

/** The trail's bucket name, the certificates watched (each its own alarm) and the alarm subscriptions. Keys are relative to the settings. */
export function checkAuditSettings(audit: AuditConfig, region: string, naming: Naming): void {
  const problems = new Problems();
  problems.check(() => validateBucketName(trailBucketNameOf(naming, audit.trail), "trail.bucketName"));
  for (const [name, arn] of Object.entries(audit.certificateExpiry.certificates)) {
    problems.check(() => validateCertificate(name, arn, region, `certificateExpiry.certificates.${name}`));
  }
  problems.check(() => checkCertificateAlarmLabels(audit.certificateExpiry, "certificateExpiry"));
  audit.alarmSubscriptions.forEach((s, i) => problems.check(() => validateSubscription(s, `alarmSubscriptions[${i}]`, { region, accountId: naming.accountId })));
  problems.throwIfAny();
}
