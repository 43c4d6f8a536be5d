import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { LayerWiring } from "../module";
import { AlarmTopic, CertificateExpiryAlarms, SecretAccessAlarm } from "./alarms";
import { AuditConfig } from "./settings";
import { AuditTrail } from "./trail";

/**
 * The audit layer (the stack `<project>-<environment>-audit`): a multi-region CloudTrail trail
 * (KMS-encrypted, validated, into a protected bucket and CloudWatch Logs), an alarm on Secrets
 * Manager `GetSecretValue` calls above a threshold, certificate-expiry alerts, and the SNS topic
 * they notify. It depends on no other stack.
 */
export function buildAuditLayer(stack: Construct, audit: AuditConfig, wiring: LayerWiring): void {
  const { naming, region } = wiring;
  const trail = new AuditTrail(stack, "trail", { naming, region, accountId: wiring.accountId, settings: audit });
  const topic = new AlarmTopic(stack, "alarms", { naming, region, accountId: trail.accountId, kmsKeyArn: trail.key.arn, settings: audit });
  new SecretAccessAlarm(stack, "secret_access", {
    naming,
    logGroupName: trail.logGroup.name,
    topicArn: topic.arn,
    settings: audit.secretAccessAlarm,
    // The system's own secrets: calls for other secrets of the account are not its access.
    secrets: wiring.secrets && { prefix: wiring.secrets.prefix, region, accountId: trail.accountId },
  });
  new CertificateExpiryAlarms(stack, "certificate_expiry", { naming, region, topic, settings: audit.certificateExpiry });

  const outputs: Record<string, { value: unknown; description: string }> = {
    trail_arn: { value: trail.trail.arn, description: "The CloudTrail trail" },
    trail_bucket_name: { value: trail.bucket.name, description: "The bucket holding the trail's log files" },
    trail_log_group_name: { value: trail.logGroup.name, description: "The trail's CloudWatch log group" },
    audit_kms_key_arn: { value: trail.key.arn, description: "The KMS key of the trail and the alarm topic" },
    alarm_topic_arn: { value: topic.arn, description: "The SNS topic every alarm notifies" },
  };
  for (const [id, o] of Object.entries(outputs)) new TerraformOutput(stack, id, o);
}
