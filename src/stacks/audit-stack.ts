import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { AlarmTopic, CertificateExpiryAlarms, SecretAccessAlarm } from "../constructs/audit/alarms";
import { AuditTrail } from "../constructs/audit/trail";
import { AwsStack, StackContext } from "./aws-stack";

/**
 * The audit layer: a multi-region CloudTrail trail (KMS-encrypted, validated, into a
 * protected bucket and CloudWatch Logs), an alarm on Secrets Manager `GetSecretValue`
 * calls above a threshold, certificate-expiry alerts, and the SNS topic they notify.
 * It depends on no other stack.
 */
export class AuditStack extends AwsStack {
  public readonly trail: AuditTrail;
  public readonly topic: AlarmTopic;
  public readonly secretAccess: SecretAccessAlarm;
  public readonly certificateExpiry: CertificateExpiryAlarms;

  constructor(scope: Construct, context: StackContext) {
    super(scope, "audit", context);
    const { config, naming } = context;
    const audit = config.audit;
    if (!audit) throw new Error(`${naming.prefix}: the audit stack needs an audit configuration`);

    this.trail = new AuditTrail(this, "trail", {
      naming,
      region: config.region,
      accountId: config.accountId,
      settings: audit,
    });
    this.topic = new AlarmTopic(this, "alarms", {
      naming,
      region: config.region,
      accountId: this.trail.accountId,
      kmsKeyArn: this.trail.key.arn,
      settings: audit,
    });
    this.secretAccess = new SecretAccessAlarm(this, "secret_access", {
      naming,
      logGroupName: this.trail.logGroup.name,
      topicArn: this.topic.arn,
      settings: audit.secretAccessAlarm,
      // The system's own secrets: calls for other secrets of the account are not its access.
      secretPrefix: config.secrets?.prefix,
    });
    this.certificateExpiry = new CertificateExpiryAlarms(this, "certificate_expiry", {
      naming,
      region: config.region,
      topic: this.topic,
      settings: audit.certificateExpiry,
    });

    this.addOutputs();
  }

  private addOutputs(): void {
    const outputs: Record<string, { value: unknown; description: string }> = {
      trail_arn: { value: this.trail.trail.arn, description: "The CloudTrail trail" },
      trail_bucket_name: { value: this.trail.bucket.name, description: "The bucket holding the trail's log files" },
      trail_log_group_name: { value: this.trail.logGroup.name, description: "The trail's CloudWatch log group" },
      audit_kms_key_arn: { value: this.trail.key.arn, description: "The KMS key of the trail and the alarm topic" },
      alarm_topic_arn: { value: this.topic.arn, description: "The SNS topic every alarm notifies" },
    };
    for (const [id, o] of Object.entries(outputs)) new TerraformOutput(this, id, o);
  }
}
