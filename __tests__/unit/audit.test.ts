import { AlarmSubscription, AlarmTopic, CertificateExpiryAlarms, SecretAccessAlarm, SecretsOfSystem } from "../../src/constructs/audit/alarms";
import { AuditTrail } from "../../src/constructs/audit/trail";
import { AuditConfigSchema } from "../../src/constructs/audit/settings";
import { Naming } from "../../src/lib/naming";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { evaluateTemplate } from "../harness/contracts/hcl";
import { buildStacks, synthStack, warningsOf } from "../harness/synth";
import { HARNESS_ACCOUNTS } from "../harness/inputs";
import { namesOf, resource, synthIn } from "./support";

const naming = new Naming("joblet", "prod");
/** Audit settings parsed by the module's schema, so each default is the schema's. */
const settings = (input: object = {}) => AuditConfigSchema.parse(input);
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

describe("AuditTrail", () => {
  const json = synthIn((stack) => new AuditTrail(stack, "trail", { naming, region: "us-east-1", settings: settings() }));

  it("records every region's management events, read and write, with log file validation", () => {
    expect(resource(json, "aws_cloudtrail", "trail_trail")).toMatchObject({
      name: "joblet-prod-trail",
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      event_selector: [{ read_write_type: "All", include_management_events: true }],
    });
  });

  it("encrypts log files with its own rotating KMS key", () => {
    expect(resource(json, "aws_cloudtrail", "trail_trail").kms_key_id).toBe("${aws_kms_key.trail_key_key.arn}");
    expect(resource(json, "aws_kms_key", "trail_key_key").enable_key_rotation).toBe(true);
    const keyPolicy = String(resource(json, "aws_kms_key", "trail_key_key").policy);
    expect(keyPolicy).toContain('"Service" = "cloudtrail.amazonaws.com"');
    expect(keyPolicy).toContain('"Service" = "logs.us-east-1.amazonaws.com"');
  });

  it("reads the account from its role's ARN when none is configured, so no data source is needed", () => {
    expect(json.data).toBeUndefined();
    expect(String(resource(json, "aws_kms_key", "trail_key_key").policy)).toContain('arn:aws:iam::${element(split(":", aws_iam_role.trail_logs_role.arn), 4)}:root');
  });

  it("uses the configured account when there is one", () => {
    const withAccount = synthIn((stack) => new AuditTrail(stack, "trail", { naming, region: "us-east-1", accountId: "123456789012", settings: settings() }));
    const policy = String(resource(withAccount, "aws_s3_bucket_policy", "trail_bucket_policy").policy);
    expect(policy).toContain("/AWSLogs/123456789012/*");
    expect(policy).toContain('"aws:SourceArn" = "arn:aws:cloudtrail:us-east-1:123456789012:trail/joblet-prod-trail"');
  });

  it("delivers to a protected SecureBucket that only this trail may write to", () => {
    expect(resource(json, "aws_s3_bucket", "trail_bucket_bucket")).toMatchObject({ bucket: "joblet-prod-cloudtrail", force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(resource(json, "aws_s3_bucket_public_access_block", "trail_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const policy = String(resource(json, "aws_s3_bucket_policy", "trail_bucket_policy").policy);
    expect(policy).toContain('"Sid" = "DenyInsecureTransport"');
    expect(policy).toContain('"Sid" = "CloudTrailWritesLogFiles"');
    expect(policy).toContain(":trail/joblet-prod-trail");
    expect(resource(json, "aws_cloudtrail", "trail_trail").depends_on).toEqual(expect.arrayContaining(["aws_s3_bucket_policy.trail_bucket_policy"]));
  });

  it("also delivers to an encrypted CloudWatch log group through a role limited to it", () => {
    expect(resource(json, "aws_cloudtrail", "trail_trail")).toMatchObject({
      cloud_watch_logs_group_arn: "${aws_cloudwatch_log_group.trail_log_group.arn}:*",
      cloud_watch_logs_role_arn: "${aws_iam_role.trail_logs_role.arn}",
    });
    expect(resource(json, "aws_cloudwatch_log_group", "trail_log_group")).toMatchObject({ retention_in_days: 365, kms_key_id: "${aws_kms_key.trail_key_key.arn}" });
    expect(String(resource(json, "aws_iam_role_policy", "trail_logs_policy").policy)).toContain(
      '"Resource" = [aws_cloudwatch_log_group.trail_log_group.arn, "${aws_cloudwatch_log_group.trail_log_group.arn}:*"]',
    );
  });

  describe("lets the alarm topic's publishers use the key, as each calls KMS", () => {
    const ACCOUNT = "123456789012";
    const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
    const withAccount = synthIn((stack) => new AuditTrail(stack, "trail", { naming, region: "us-east-1", accountId: ACCOUNT, settings: settings() }));
    const keyPolicy = JSON.parse(
      String(
        evaluateTemplate(String(resource(withAccount, "aws_kms_key", "trail_key_key").policy), (parts) => {
          throw new Error(`the key policy refers to ${parts.join(".")}`);
        }),
      ),
    );
    const decision = async (service: string, context: Record<string, string>) => {
      const result = await runSimulation(
        {
          request: { principal: service, action: "kms:GenerateDataKey", resource: { resource: KEY, accountId: ACCOUNT }, contextVariables: context },
          identityPolicies: [],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: keyPolicy,
        },
        {},
      );
      return result.resultType === "error" ? `error: ${result.errors.message}` : result.overallResult;
    };

    // EventBridge sends KMS no aws:SourceAccount or aws:SourceArn for an encrypted topic (the SNS
    // docs: those keys are "not supported for EventBridge-to-encrypted topics"); it sends the topic
    // as encryption context, which iam-simulate cannot match (its variable keys are split on "/",
    // this one holds ":"). So the statements are read: whatever lets EventBridge use the key may
    // not ask for the keys it never sends, and binds the key to this account's topics.
    it("EventBridge, on no aws:Source* key (which it never sends for an encrypted topic), for this account's topics only", async () => {
      const forEvents = (keyPolicy.Statement as { Principal?: { Service?: string | string[] }; Action: string | string[]; Condition?: Record<string, Record<string, string>> }[]).filter(
        (st) => [st.Principal?.Service ?? []].flat().includes("events.amazonaws.com") && [st.Action].flat().some((a) => "kms:GenerateDataKey".startsWith(a.replace(/\*$/, ""))),
      );
      expect(forEvents).toHaveLength(1);
      const conditions = Object.values(forEvents[0].Condition ?? {}).flatMap((c) => Object.entries(c));
      expect(conditions.filter(([key]) => /^aws:source/i.test(key))).toEqual([]);
      expect(conditions).toEqual([["kms:EncryptionContext:aws:sns:topicArn", `arn:aws:sns:us-east-1:${ACCOUNT}:*`]]);
      // And the simulator, without the encryption context it cannot read, allows nothing more.
      expect(await decision("events.amazonaws.com", { "aws:SourceAccount": ACCOUNT })).not.toBe("Allowed");
    });

    it("CloudWatch alarms of this account only", async () => {
      expect(await decision("cloudwatch.amazonaws.com", { "aws:SourceAccount": ACCOUNT })).toBe("Allowed");
      expect(await decision("cloudwatch.amazonaws.com", { "aws:SourceAccount": "999999999999" })).not.toBe("Allowed");
    });
  });

  it("lets CloudTrail assume the delivery role, which may create streams and put events in that log group only", () => {
    expect(String(resource(json, "aws_iam_role", "trail_logs_role").assume_role_policy)).toContain('"Principal" = {"Service" = "cloudtrail.amazonaws.com"}, "Action" = "sts:AssumeRole"');
    const policy = String(resource(json, "aws_iam_role_policy", "trail_logs_policy").policy);
    expect(policy).toContain('"Action" = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]');
    expect(policy.match(/"Resource"/g)).toHaveLength(1);
    // The log group is encrypted with the audit key: CloudWatch Logs may use it for that log group only.
    expect(String(resource(json, "aws_kms_key", "trail_key_key").policy)).toContain(
      '"Sid" = "CloudWatchLogsEncryptsTheTrailLogGroup", "Effect" = "Allow", "Principal" = {"Service" = "logs.us-east-1.amazonaws.com"}',
    );
  });
});

describe("alarms", () => {
  function synthAlarms(
    certificates: Record<string, string> = {},
    subscriptions: AlarmSubscription[] = [{ protocol: "email", endpoint: "oncall@example.com" }],
    extra: { secrets?: SecretsOfSystem; secretCertificates?: { publishedBy: string; secrets: string[] } } = {},
  ) {
    const audit = settings({ alarmSubscriptions: subscriptions, certificateExpiry: { certificates, secretCertificates: extra.secretCertificates } });
    return synthIn((stack) => {
      const topic = new AlarmTopic(stack, "alarms", { naming, region: "us-east-1", accountId: "123456789012", kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/abc", settings: audit });
      new SecretAccessAlarm(stack, "secret_access", { naming, logGroupName: "/aws/cloudtrail/joblet-prod", topicArn: topic.arn, secrets: extra.secrets, settings: audit.secretAccessAlarm });
      new CertificateExpiryAlarms(stack, "certificate_expiry", { naming, region: "us-east-1", topic, settings: audit.certificateExpiry });
    });
  }

  it("counts GetSecretValue calls and alarms above 100 in 5 minutes", () => {
    const json = synthAlarms();
    const filter = resource(json, "aws_cloudwatch_log_metric_filter", "secret_access_metric_filter");
    expect(filter.pattern).toBe('{ ($.eventSource = "secretsmanager.amazonaws.com") && ($.eventName = "GetSecretValue") }');
    expect(filter.log_group_name).toBe("/aws/cloudtrail/joblet-prod");
    expect(resource(json, "aws_cloudwatch_metric_alarm", "secret_access_alarm")).toMatchObject({
      metric_name: "SecretsManagerGetSecretValue",
      namespace: "joblet-prod/audit",
      statistic: "Sum",
      period: 300,
      threshold: 100,
      comparison_operator: "GreaterThanThreshold",
      alarm_actions: ["${aws_sns_topic.alarms_topic.arn}"],
    });
  });

  it("counts only the calls for the system's own secrets, by name or by ARN, when given their prefix", () => {
    const joblet = { prefix: "joblet/", region: "us-east-1", accountId: "123456789012" };
    const json = synthAlarms({}, undefined, { secrets: joblet });
    const literal = String(resource(json, "aws_cloudwatch_log_metric_filter", "secret_access_metric_filter").pattern);
    // An account read at apply (the trail role's ARN): the pattern is then a format() Terraform evaluates.
    const role = "arn:aws:iam::123456789012:role/joblet-prod-trail-logs";
    const readAtApply = synthIn((stack) => {
      const trail = new AuditTrail(stack, "trail", { naming, region: "us-east-1", settings: settings() });
      new SecretAccessAlarm(stack, "secret_access", { naming, logGroupName: "/aws/cloudtrail/joblet-prod", topicArn: "arn:aws:sns:us-east-1:123456789012:alarms", secrets: { ...joblet, accountId: trail.accountId }, settings: settings().secretAccessAlarm });
    });
    const evaluated = evaluateTemplate(String(resource(readAtApply, "aws_cloudwatch_log_metric_filter", "secret_access_metric_filter").pattern), (parts) => {
      expect(parts.join(".")).toBe("aws_iam_role.trail_logs_role.arn");
      return role;
    });
    expect(evaluated).toBe(literal);
    const pattern = literal;
    expect(pattern.startsWith('{ ($.eventSource = "secretsmanager.amazonaws.com") && ($.eventName = "GetSecretValue") && (')).toBe(true);
    // CloudWatch Logs matches a JSON string term with `*` at its start or end only; elsewhere `*` is itself.
    const terms = [...pattern.matchAll(/\$\.requestParameters\.secretId = "([^"]*)"/g)].map((m) => m[1]);
    const counted = (secretId: string) =>
      terms.some((t) => {
        const [lead, trail] = [t.startsWith("*"), t.length > 1 && t.endsWith("*")];
        const literal = t.slice(lead ? 1 : 0, trail ? -1 : undefined);
        return lead && trail ? secretId.includes(literal) : lead ? secretId.endsWith(literal) : trail ? secretId.startsWith(literal) : secretId === literal;
      });
    expect(counted("joblet/ca-cert")).toBe(true);
    expect(counted("arn:aws:secretsmanager:us-east-1:123456789012:secret:joblet/ca-cert-AbCdEf")).toBe(true);
    for (const other of ["other/x", "arn:aws:secretsmanager:us-east-1:123456789012:secret:other/x-AbCdEf", "arn:aws:secretsmanager:us-east-1:210987654321:secret:joblet/ca-cert-AbCdEf"]) {
      expect({ other, counted: counted(other) }).toEqual({ other, counted: false });
    }
    expect(String(resource(json, "aws_cloudwatch_metric_alarm", "secret_access_alarm").alarm_description)).toContain("for joblet/* secrets");
    expect(() => synthAlarms({}, undefined, { secrets: { ...joblet, prefix: 'joblet/" || true' } })).toThrow(/secrets\.prefix = [\s\S]*is not a secret name prefix/);
  });

  it("alarms on the published days to expiry of certificates kept in Secrets Manager, and when nobody publishes them", () => {
    const json = synthAlarms({}, undefined, { secretCertificates: { publishedBy: "api", secrets: ["joblet/ca-cert", "joblet/client-cert"] } });
    expect(resource(json, "aws_cloudwatch_metric_alarm", "certificate_expiry_secret_alarm_joblet-ca-cert")).toMatchObject({
      alarm_name: "joblet-prod-certificate-expiry-joblet-ca-cert",
      namespace: "joblet-prod/certificates",
      metric_name: "DaysToExpiry",
      dimensions: { SecretId: "joblet/ca-cert" },
      statistic: "Minimum",
      period: 21600,
      threshold: 30,
      comparison_operator: "LessThanThreshold",
      treat_missing_data: "breaching",
      alarm_actions: ["${aws_sns_topic.alarms_topic.arn}"],
    });
    expect(resource(json, "aws_cloudwatch_metric_alarm", "certificate_expiry_secret_alarm_joblet-client-cert").dimensions).toEqual({ SecretId: "joblet/client-cert" });
  });

  it("alarms when a named ACM certificate has fewer than 30 days left", () => {
    const json = synthAlarms({ api: CERT });
    expect(resource(json, "aws_cloudwatch_metric_alarm", "certificate_expiry_alarm_api")).toMatchObject({
      namespace: "AWS/CertificateManager",
      metric_name: "DaysToExpiry",
      dimensions: { CertificateArn: CERT },
      statistic: "Minimum",
      threshold: 30,
      comparison_operator: "LessThanThreshold",
      alarm_actions: ["${aws_sns_topic.alarms_topic.arn}"],
    });
  });

  it("forwards ACM's expiry events for every certificate to the topic, which lets that rule publish", () => {
    const json = synthAlarms();
    expect(JSON.parse(String(resource(json, "aws_cloudwatch_event_rule", "certificate_expiry_acm_events").event_pattern))).toEqual({
      source: ["aws.acm"],
      "detail-type": ["ACM Certificate Approaching Expiration"],
    });
    expect(resource(json, "aws_cloudwatch_event_target", "certificate_expiry_acm_events_target").arn).toBe("${aws_sns_topic.alarms_topic.arn}");
    const policy = String(resource(json, "aws_sns_topic_policy", "alarms_policy").policy);
    expect(policy).toContain('"aws:SourceArn" = [aws_cloudwatch_event_rule.certificate_expiry_acm_events.arn]');
    expect(policy).toContain('"Sid" = "DenyInsecureTransport"');
  });

  it("encrypts the topic and subscribes the configured endpoints", () => {
    const json = synthAlarms();
    expect(resource(json, "aws_sns_topic", "alarms_topic")).toMatchObject({ name: "joblet-prod-alarms", kms_master_key_id: "arn:aws:kms:us-east-1:123456789012:key/abc" });
    expect(namesOf(json, "aws_sns_topic_subscription")).toEqual(["alarms_subscription_email_oncall_example_com"]);
  });

  it("lets the topic invoke a subscribed Lambda function, and no other topic", () => {
    const fn = "arn:aws:lambda:us-east-1:123456789012:function:page-oncall";
    const json = synthAlarms({}, [{ protocol: "lambda", endpoint: fn }]);
    expect(resource(json, "aws_sns_topic_subscription", "alarms_subscription_lambda_arn_aws_lambda_us-east-1_123456789012_function_page-oncall")).toMatchObject({
      protocol: "lambda",
      endpoint: fn,
    });
    expect(resource(json, "aws_lambda_permission", "alarms_subscription_lambda_arn_aws_lambda_us-east-1_123456789012_function_page-oncall_permission")).toEqual({
      statement_id: "AllowSnsInvoke-joblet-prod-alarms",
      action: "lambda:InvokeFunction",
      principal: "sns.amazonaws.com",
      function_name: fn,
      source_arn: "${aws_sns_topic.alarms_topic.arn}",
    });
    // Other protocols need no permission of this project's.
    expect(namesOf(synthAlarms(), "aws_lambda_permission")).toEqual([]);
  });

  it("refuses a Lambda function its permission cannot be added to: another region, another account", () => {
    expect(() => synthAlarms({}, [{ protocol: "lambda", endpoint: "arn:aws:lambda:eu-west-1:123456789012:function:page-oncall" }])).toThrow(
      /alarmSubscriptions\[0\]\.endpoint[\s\S]*in eu-west-1, but the alarm topic is in us-east-1/,
    );
    expect(() => synthAlarms({}, [{ protocol: "lambda", endpoint: "arn:aws:lambda:us-east-1:111122223333:function:page-oncall" }])).toThrow(
      /alarmSubscriptions\[0\]\.endpoint[\s\S]*account 111122223333, but the stacks are applied to 123456789012/,
    );
    expect(() => synthAlarms({}, [{ protocol: "lambda", endpoint: "arn:aws:lambda:us-east-1:123456789012:page-oncall" }])).toThrow(/is not a valid lambda endpoint/);
  });

  it("refuses a certificate of another region, and a malformed subscription", () => {
    expect(() => synthAlarms({ cdn: CERT.replace("us-east-1", "eu-west-1") })).toThrow(/certificates\.cdn[\s\S]*is in eu-west-1/);
    expect(() => synthAlarms({}, [{ protocol: "email", endpoint: "not-an-address" }])).toThrow(/alarmSubscriptions\[0\]\.endpoint/);
  });

  it("refuses two certificates that would be one alarm, naming its own prop", () => {
    expect(() => synthAlarms({}, undefined, { secretCertificates: { publishedBy: "api", secrets: ["joblet/ca.cert", "joblet/ca-cert"] } })).toThrow(
      /settings\.secretCertificates\.secrets\[1\] = "joblet\/ca-cert"[\s\S]*as the secret "joblet\/ca\.cert" does/,
    );
  });
});

describe("alarm subscriptions of a system (audit.alarmSubscriptions)", () => {
  const prod = { systems: ["joblet"], environments: ["prod"] };
  const account = HARNESS_ACCOUNTS.prod;
  const subscribe = (...alarmSubscriptions: { protocol: string; endpoint: string }[]) => ({ joblet: { prod: { audit: { alarmSubscriptions } } } }) as never;

  it("warns that an SQS queue receives nothing until its own policy admits the topic, naming the key", () => {
    const queue = `arn:aws:sqs:us-east-1:${account}:oncall`;
    const warnings = warningsOf(buildStacks(prod, subscribe({ protocol: "email", endpoint: "oncall@joblet.io" }, { protocol: "sqs", endpoint: queue })));
    expect(warnings.filter((w) => w.includes("alarmSubscriptions"))).toEqual([
      expect.stringMatching(
        new RegExp(`^joblet-prod: audit\\.alarmSubscriptions\\[1\\] subscribes the SQS queue ${queue}[\\s\\S]*sns\\.amazonaws\\.com sqs:SendMessage with the condition aws:SourceArn = the topic's ARN[\\s\\S]*kms:GenerateDataKey\\* and kms:Decrypt`),
      ),
    ]);
    expect(warningsOf(buildStacks(prod, subscribe({ protocol: "email", endpoint: "oncall@joblet.io" }))).filter((w) => w.includes("alarmSubscriptions"))).toEqual([]);
  });

  it("adds the Lambda permission in the audit stack, and refuses a function of another region at config time", () => {
    const fn = `arn:aws:lambda:us-east-1:${account}:function:page-oncall`;
    const json = synthStack(prod, "joblet-prod-audit", subscribe({ protocol: "lambda", endpoint: fn }));
    expect(Object.values(json.resource?.aws_lambda_permission ?? {})).toEqual([
      expect.objectContaining({ principal: "sns.amazonaws.com", action: "lambda:InvokeFunction", function_name: fn, source_arn: "${aws_sns_topic.alarms_topic.arn}" }),
    ]);
    expect(() => buildStacks(prod, subscribe({ protocol: "lambda", endpoint: fn.replace("us-east-1", "us-west-2") }))).toThrow(
      /joblet\/prod: audit\.alarmSubscriptions\[0\]\.endpoint = [\s\S]*in us-west-2, but the alarm topic is in us-east-1/,
    );
  });
});
