import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Annotations, Fn, Lazy, Token } from "cdktf";
import { ConfigError, Problems } from "../../lib/errors";
import { SECRET_NAME_CHARACTERS } from "../../lib/aws-values";
import { partitionOf } from "../../lib/regions";
import { secretPrefixArn } from "../../lib/grants";
import { policyDocument, PolicyStatement } from "../../lib/iam";
import { SECRET_CERTIFICATE_METRIC, secretCertificateNamespace } from "../../lib/certificate-metric";
import { Naming } from "../../lib/naming";
import type { AuditConfig } from "./settings";

/** Where an alarm notification goes: an email address, an HTTPS URL, or an SQS queue / Lambda function ARN. */
export type AlarmSubscription = AuditConfig["alarmSubscriptions"][number];

export interface AlarmTopicProps {
  readonly naming: Naming;
  readonly region: string;
  /** The account id (literal or Terraform expression), for the topic policy. */
  readonly accountId: string;
  /** A KMS key for the topic; its policy must let CloudWatch and EventBridge use it. @default unencrypted */
  readonly kmsKeyArn?: string;
  /** The topic's subscriptions: the audit `alarmSubscriptions` settings. */
  readonly settings: Pick<AuditConfig, "alarmSubscriptions">;
}

/**
 * The SNS topic every alarm of a system notifies: encrypted, TLS-only, publishable only by
 * this account's CloudWatch alarms and the EventBridge rules that {@link allowEventRule}
 * names, with optional subscriptions. SNS invokes a subscribed Lambda function only when the
 * function's policy lets it: each `lambda` subscription comes with that permission, for this
 * topic only. An SQS queue's policy is its owner's, so a `sqs` subscription only warns at
 * synth what the queue's policy must allow.
 */
export class AlarmTopic extends Construct {
  public readonly topic: SnsTopic;
  private readonly eventRuleArns: string[] = [];

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, "topic", {
      name: props.naming.name("snsTopic", "alarms"),
      kmsMasterKeyId: props.kmsKeyArn,
    });
    this.addTopicPolicy(props);
    this.addSubscriptions(props);
  }

  /** The topic policy, produced at synth so that it names every rule {@link allowEventRule} added. */
  private addTopicPolicy(props: AlarmTopicProps): void {
    new SnsTopicPolicy(this, "policy", {
      arn: this.topic.arn,
      policy: Lazy.stringValue({ produce: () => policyDocument(...this.policyStatements(props)) }),
    });
  }

  private policyStatements(props: AlarmTopicProps): PolicyStatement[] {
    const partition = partitionOf(props.region);
    const topicArn = this.topic.arn;
    const account = props.accountId;
    const statements: PolicyStatement[] = [
      {
        Sid: "AccountManagesTheTopic",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"],
        Resource: topicArn,
      },
      {
        Sid: "CloudWatchAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { ArnLike: { "aws:SourceArn": `arn:${partition}:cloudwatch:${props.region}:${account}:alarm:*` } },
      },
    ];
    if (this.eventRuleArns.length > 0) {
      statements.push({
        Sid: "EventRulesPublish",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { ArnEquals: { "aws:SourceArn": [...this.eventRuleArns] } },
      });
    }
    statements.push({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    return statements;
  }

  private addSubscriptions(props: AlarmTopicProps): void {
    const topicName = props.naming.name("snsTopic", "alarms");
    props.settings.alarmSubscriptions.forEach((s, i) => {
      const key = `alarmSubscriptions[${i}]`;
      validateSubscription(s, key, { region: props.region, accountId: props.accountId });
      const id = `subscription_${s.protocol}_${s.endpoint.replace(/[^A-Za-z0-9_-]+/g, "_")}`;
      const subscription = new SnsTopicSubscription(this, id, {
        topicArn: this.topic.arn,
        protocol: s.protocol,
        endpoint: s.endpoint,
      });
      if (s.protocol === "lambda") {
        // SNS invokes the function only when its policy lets sns.amazonaws.com, for this topic.
        new LambdaPermission(this, `${id}_permission`, {
          statementId: lambdaStatementId(topicName),
          action: "lambda:InvokeFunction",
          principal: "sns.amazonaws.com",
          functionName: s.endpoint,
          sourceArn: this.topic.arn,
        });
      } else if (s.protocol === "sqs") {
        Annotations.of(subscription).addWarning(
          `${props.naming.prefix}: audit.${key} subscribes the SQS queue ${s.endpoint} to the alarm topic ${topicName}, but SNS delivers to a queue only when the queue's policy allows it, and this project leaves your queue's policy alone. ` +
            `Give the queue a policy statement allowing sns.amazonaws.com sqs:SendMessage with the condition aws:SourceArn = the topic's ARN (the audit stack's output alarm_topic_arn); for a queue encrypted with a KMS key, a customer managed key whose policy lets sns.amazonaws.com kms:GenerateDataKey* and kms:Decrypt (not alias/aws/sqs, whose policy cannot). Without them every alarm notification to the queue is dropped.`,
        );
      }
    });
  }

  public get arn(): string {
    return this.topic.arn;
  }

  /** Lets the EventBridge rule `ruleArn` publish to the topic. */
  public allowEventRule(ruleArn: string): void {
    this.eventRuleArns.push(ruleArn);
  }
}

/** A Lambda function's ARN (unqualified, or with a version or alias): its partition, region and account. */
const LAMBDA_FUNCTION_ARN = /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;

/**
 * Fails with a ConfigError naming `key` unless the endpoint fits the protocol. With `home`
 * (the topic's region and account, the account literal or a Terraform expression), a Lambda
 * function must be there too: its permission for the topic is added with the stack's provider,
 * which reaches only functions of its own region and account.
 */
export function validateSubscription(s: AlarmSubscription, key: string, home?: { region: string; accountId?: string }): void {
  const lambda = s.protocol === "lambda" ? LAMBDA_FUNCTION_ARN.exec(s.endpoint) : null;
  const ok =
    (s.protocol === "email" && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s.endpoint)) ||
    (s.protocol === "https" && /^https:\/\/\S+$/.test(s.endpoint)) ||
    (s.protocol === "sqs" && /^arn:aws[a-z-]*:sqs:/.test(s.endpoint)) ||
    lambda !== null;
  if (!ok) {
    throw new ConfigError(`${key}.endpoint`, s.endpoint, `is not a valid ${s.protocol} endpoint`, "give an email address, an https:// URL, or an SQS queue / Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>) matching the protocol");
  }
  if (lambda && home) {
    const [, , region, account] = lambda;
    if (region !== home.region) {
      throw new ConfigError(`${key}.endpoint`, s.endpoint, `is a Lambda function in ${region}, but the alarm topic is in ${home.region}, where the permission letting the topic invoke the function is added`, `subscribe a function in ${home.region}`);
    }
    if (home.accountId !== undefined && !Token.isUnresolved(home.accountId) && account !== home.accountId) {
      throw new ConfigError(`${key}.endpoint`, s.endpoint, `is a Lambda function of account ${account}, but the stacks are applied to ${home.accountId}, whose credentials cannot add the permission letting the topic invoke it`, `subscribe a function of account ${home.accountId}`);
    }
  }
}

/**
 * The id of the statement a Lambda function's policy gets for the alarm topic `topicName`:
 * one per topic (a function may be subscribed to several systems' topics), at most the 100
 * characters Lambda takes.
 */
export function lambdaStatementId(topicName: string): string {
  return `AllowSnsInvoke-${topicName}`.slice(0, 100);
}

export interface SecretAccessAlarmProps {
  readonly naming: Naming;
  /** The CloudTrail log group to watch. */
  readonly logGroupName: string;
  /** Where the alarm notifies. */
  readonly topicArn: string;
  /** More than `threshold` `GetSecretValue` calls in one period (`periodSeconds`) raise the alarm. */
  readonly settings: AuditConfig["secretAccessAlarm"];
  /**
   * Count only calls for the secrets of this region and account whose name starts with
   * `prefix` (e.g. `joblet/`), whether the caller names the secret or gives its ARN.
   * @default every secret of the account
   */
  readonly secrets?: SecretsOfSystem;
}

/** A system's secrets: a name prefix, in one region and account (literal or Terraform expression). */
export interface SecretsOfSystem {
  readonly prefix: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * The CloudWatch Logs filter pattern matching CloudTrail's `GetSecretValue` events, for the
 * system's secrets when given: the caller's `secretId` is the secret's name or its ARN
 * (`arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<suffix>`), so both forms
 * are matched. A `*` matches only at a term's start or end (in the middle it is a literal
 * `*`), so the ARN term is the whole literal prefix, then `*`.
 */
export function getSecretValuePattern(secrets?: SecretsOfSystem): string {
  const call = '($.eventSource = "secretsmanager.amazonaws.com") && ($.eventName = "GetSecretValue")';
  if (secrets === undefined) return `{ ${call} }`;
  const { prefix, region, accountId } = secrets;
  if (!SECRET_NAME_CHARACTERS.test(prefix)) {
    throw new ConfigError("secrets.prefix", prefix, "is not a secret name prefix", "use letters, digits and /_+=.@-, e.g. joblet/");
  }
  const byNameOrArn = (account: string) =>
    `{ ${call} && (($.requestParameters.secretId = "${prefix}*") || ($.requestParameters.secretId = "${secretPrefixArn(partitionOf(region), region, account, prefix)}")) }`;
  if (!Token.isUnresolved(accountId)) return byNameOrArn(accountId);
  // An account read at apply: format() keeps the expression out of the quoted pattern, which
  // cdktf's HCL renderer (`cdktf synth --hcl`) would otherwise break apart.
  return Fn.format(Fn.rawString(byNameOrArn("%s")), [accountId]);
}

/**
 * "Alert on unexpected access": a metric filter counting Secrets Manager `GetSecretValue`
 * calls in the CloudTrail log group (only for the system's `secrets`, when
 * given), and an alarm when more than `threshold` happen in one period.
 */
export class SecretAccessAlarm extends Construct {
  public readonly metricFilter: CloudwatchLogMetricFilter;
  public readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: SecretAccessAlarmProps) {
    super(scope, id);
    // The ranges (threshold 0 or more, a CloudWatch alarm period) are the schema's (./settings.ts).
    const { threshold, periodSeconds: period } = props.settings;
    const namespace = `${props.naming.prefix}/audit`;
    const metricName = "SecretsManagerGetSecretValue";
    this.metricFilter = new CloudwatchLogMetricFilter(this, "metric_filter", {
      name: props.naming.name("cloudwatchAlarm", "secretsmanager-getsecretvalue"),
      logGroupName: props.logGroupName,
      pattern: getSecretValuePattern(props.secrets),
      metricTransformation: { name: metricName, namespace, value: "1", defaultValue: "0", unit: "Count" },
    });
    this.alarm = new CloudwatchMetricAlarm(this, "alarm", {
      alarmName: props.naming.name("cloudwatchAlarm", "secret-access"),
      alarmDescription: `More than ${threshold} Secrets Manager GetSecretValue calls${props.secrets ? ` for ${props.secrets.prefix}* secrets` : ""} in ${period / 60} minutes (CloudTrail)`,
      namespace,
      metricName,
      statistic: "Sum",
      period,
      evaluationPeriods: 1,
      threshold,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [props.topicArn],
      dependsOn: [this.metricFilter],
    });
  }
}

export interface CertificateExpiryAlarmsProps {
  readonly naming: Naming;
  readonly region: string;
  readonly topic: AlarmTopic;
  /**
   * The threshold in days; the ACM certificates to watch by name -> ARN, each with a
   * `DaysToExpiry` alarm; whether an EventBridge rule forwards ACM's "Certificate
   * Approaching Expiration" events (sent daily from 45 days before expiry) for every
   * certificate of the region; and the certificates kept in Secrets Manager, whose days to
   * expiry instances publish as {@link SECRET_CERTIFICATE_METRIC} in the system's
   * certificate namespace: each gets an alarm below the threshold, which a certificate
   * nobody publishes for 6 hours (the publisher stopped, or the secret holds no
   * certificate yet) also raises.
   */
  readonly settings: AuditConfig["certificateExpiry"];
}

/**
 * Certificate expiry alerts: a CloudWatch alarm on ACM's `DaysToExpiry` below the
 * threshold for each named certificate, one on the published days to expiry of each
 * certificate kept in Secrets Manager, and an EventBridge rule for every ACM certificate
 * of the region, all notifying the alarm topic.
 */
export class CertificateExpiryAlarms extends Construct {
  public readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;
  public readonly eventRule?: CloudwatchEventRule;

  constructor(scope: Construct, id: string, private readonly props: CertificateExpiryAlarmsProps) {
    super(scope, id);
    const { certificates, acmEvents, secretCertificates } = props.settings;
    checkCertificateAlarmLabels(props.settings, "settings");
    const alarms: Record<string, CloudwatchMetricAlarm> = {};
    for (const [name, arn] of Object.entries(certificates)) alarms[name] = this.addAcmAlarm(name, arn);
    for (const secret of secretCertificates?.secrets ?? []) {
      const label = secretCertificateLabel(secret);
      alarms[`secret_${label}`] = this.addSecretAlarm(secret, label);
    }
    this.alarms = alarms;
    if (acmEvents) this.eventRule = this.addAcmEvents();
  }

  /** ACM's `DaysToExpiry` of one certificate below the threshold (1-397, checked by the schema: ./settings.ts). */
  private addAcmAlarm(name: string, arn: string): CloudwatchMetricAlarm {
    const { naming, region, topic, settings } = this.props;
    validateCertificate(name, arn, region);
    return new CloudwatchMetricAlarm(this, `alarm_${name}`, {
      alarmName: naming.name("cloudwatchAlarm", "certificate-expiry", name),
      alarmDescription: `ACM certificate ${name} expires in fewer than ${settings.thresholdDays} days`,
      namespace: "AWS/CertificateManager",
      metricName: "DaysToExpiry",
      dimensions: { CertificateArn: arn },
      statistic: "Minimum",
      period: 86400,
      evaluationPeriods: 1,
      threshold: settings.thresholdDays,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "missing",
      alarmActions: [topic.arn],
    });
  }

  /** The published days to expiry of the certificate in one secret below the threshold, or not published for 6 hours. */
  private addSecretAlarm(secret: string, label: string): CloudwatchMetricAlarm {
    const { naming, topic, settings } = this.props;
    return new CloudwatchMetricAlarm(this, `secret_alarm_${label}`, {
      alarmName: naming.name("cloudwatchAlarm", "certificate-expiry", label),
      alarmDescription: `The certificate in secret ${secret} expires in fewer than ${settings.thresholdDays} days, or its days to expiry stopped being published`,
      namespace: secretCertificateNamespace(naming),
      metricName: SECRET_CERTIFICATE_METRIC.metricName,
      dimensions: { [SECRET_CERTIFICATE_METRIC.dimension]: secret },
      statistic: "Minimum",
      // Published hourly: 6 hours tolerate a late or missed run.
      period: 21600,
      evaluationPeriods: 1,
      threshold: settings.thresholdDays,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
      alarmActions: [topic.arn],
    });
  }

  /** ACM's "Certificate Approaching Expiration" events for every certificate of the region, to the alarm topic. */
  private addAcmEvents(): CloudwatchEventRule {
    const { naming, topic } = this.props;
    const rule = new CloudwatchEventRule(this, "acm_events", {
      name: naming.name("cloudwatchAlarm", "acm-expiry"),
      description: "ACM certificates approaching expiration, to the alarm topic",
      eventPattern: JSON.stringify({ source: ["aws.acm"], "detail-type": ["ACM Certificate Approaching Expiration"] }),
    });
    new CloudwatchEventTarget(this, "acm_events_target", {
      rule: rule.name,
      targetId: "alarm-topic",
      arn: topic.arn,
    });
    topic.allowEventRule(rule.arn);
    return rule;
  }
}

/** The label a certificate kept in a secret gives its alarm: the secret's name, each run of characters other than letters, digits and hyphens made one hyphen. */
function secretCertificateLabel(secret: string): string {
  return secret.replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
}

/**
 * Each watched certificate names one alarm, `<prefix>-certificate-expiry-<label>`: an ACM
 * certificate by its name, a secret's by {@link secretCertificateLabel}. Two with one label
 * would be two resources of one alarm (CloudWatch keeps one alarm per name, so the second
 * overwrites the first, and each apply undoes the other). `key` is where `settings` are
 * (`settings` for the construct's prop, `certificateExpiry` for the module's settings).
 */
export function checkCertificateAlarmLabels(settings: AuditConfig["certificateExpiry"], key: string): void {
  const problems = new Problems();
  const seen = new Map(Object.keys(settings.certificates).map((name) => [name, `the ACM certificate "${name}"`]));
  (settings.secretCertificates?.secrets ?? []).forEach((secret, i) => {
    const label = secretCertificateLabel(secret);
    const other = seen.get(label);
    if (other) {
      problems.add(
        new ConfigError(`${key}.secretCertificates.secrets[${i}]`, secret, `gives its alarm the label "${label}", as ${other} does, so both would be the alarm \`<prefix>-certificate-expiry-${label}\``, "list each secret once, and name no ACM certificate as a secret's label"),
      );
    } else {
      seen.set(label, `the secret "${secret}"`);
    }
  });
  problems.throwIfAny();
}

/** Fails with a ConfigError unless `arn` is an ACM certificate ARN in `region` and `name` a usable name. */
export function validateCertificate(name: string, arn: string, region: string, key = `certificates.${name}`): void {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
    throw new ConfigError(key, name, "is not a usable certificate name", "use lower case letters, digits and single hyphens");
  }
  const match = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]+$/.exec(arn);
  if (!match) {
    throw new ConfigError(key, arn, "is not an ACM certificate ARN", "give arn:aws:acm:<region>:<account>:certificate/<id>");
  }
  if (match[1] !== region) {
    throw new ConfigError(key, arn, `is in ${match[1]}, but ACM publishes DaysToExpiry in the certificate's region and these alarms live in ${region}`, `watch it from a system in ${match[1]}, or drop it`);
  }
}
