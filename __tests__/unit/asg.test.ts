import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { ComputeConfigSchema, ServiceConfigSchema } from "../../src/constructs/asg/settings";
import { LoadBalancerConfigSchema, TargetGroupConfigSchema } from "../../src/constructs/alb/settings";
import { ApplicationLoadBalancer } from "../../src/constructs/alb";
import { AppService, renderBootScript, shellQuote } from "../../src/constructs/asg";
import { Naming } from "../../src/lib/naming";
import { bootScriptOf, buildStacks, resourcesOf, StackJson, warningsOf } from "../harness/synth";
import { Overrides } from "../../src/config/overrides";
import { synthPrepared as synthStack, UnitStack } from "../harness/unit-stack";
import { HARNESS_ACCOUNTS } from "../harness/inputs";

const prod = (system: string) => ({ systems: [system], environments: ["prod"] });

const userData = bootScriptOf;

/** Fails unless bash parses `script`. */
function expectValidBash(script: string): void {
  const result = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
}

/**
 * The inline policy statements of a role, by Sid, read back from the synthesized
 * `jsonencode({...})` expression (HCL object syntax, with log group references).
 */
function statements(json: StackJson, policy: string): Record<string, { Action: string | string[]; Resource: string | string[] }> {
  const text = String(resourcesOf(json, "aws_iam_role_policy")[policy].policy);
  const doc = JSON.parse(
    text
      .replace(/^\$\{jsonencode\(/, "")
      .replace(/\)\}$/, "")
      .replace(/"([^"]+)" = /g, '"$1": ')
      // references interpolated in a string: `"${<ref>}/index/*"` -> `"REF/index/*"`
      .replace(/"\$\{(?!aws_cloudwatch_log_group)[^}"]+\}([^"]*)"/g, '"REF$1"')
      .replace(/aws_cloudwatch_log_group\.(\w+)\.arn(?!})/g, '"LOGGROUP"')
      // other bare references: another stack's output, or an unprepared cross-stack reference
      .replace(/data\.terraform_remote_state\.[\w-]+\.outputs(\["[^"]+"\]|\.[\w-]+)/g, '"REF"')
      .replace(/(?<![{.\w])aws_\w+\.[\w-]+\.\w+(?!})/g, '"REF"'),
  ) as { Statement: { Sid: string; Action: string | string[]; Resource: string | string[] }[] };
  return Object.fromEntries(doc.Statement.map((s) => [s.Sid, s]));
}

describe("AppService launch template", () => {
  const json = synthStack(prod("algoitny"), "algoitny-prod-compute");

  it("requires IMDSv2, encrypts a gp3 root volume, gives no public IP and monitors in detail", () => {
    const api = resourcesOf(json, "aws_launch_template").api_launch_template;
    expect(api).toMatchObject({
      name: "algoitny-prod-api",
      image_id: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
      instance_type: "t3.medium",
      update_default_version: true,
      iam_instance_profile: { arn: "${aws_iam_instance_profile.api_instance_instance_profile.arn}" },
      metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 2 },
      monitoring: { enabled: true },
      network_interfaces: [{ device_index: 0, associate_public_ip_address: "false", delete_on_termination: "true", security_groups: ["${aws_security_group.api_sg_group.id}"] }],
      block_device_mappings: [{ device_name: "/dev/xvda", ebs: { volume_size: 30, volume_type: "gp3", encrypted: "true", delete_on_termination: "true" } }],
    });
    expect(resourcesOf(json, "aws_launch_template").worker_launch_template).toMatchObject({
      instance_type: "t3.large",
      block_device_mappings: [{ ebs: { volume_size: 50, encrypted: "true" } }],
    });
  });

  it("uses the account's EBS key unless rootVolumeKmsKeyArn is set, and grants nothing then", () => {
    expect(resourcesOf(json, "aws_launch_template").api_launch_template.block_device_mappings).toEqual([expect.not.objectContaining({ ebs: expect.objectContaining({ kms_key_id: expect.anything() }) })]);
    expect(resourcesOf(json, "aws_kms_grant")).toEqual({});
  });

  it("with rootVolumeKmsKeyArn, grants Auto Scaling's service-linked role the key before any group launches (each blue-green color)", () => {
    const key = `arn:aws:kms:us-east-1:${HARNESS_ACCOUNTS.prod}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;
    const keyed = synthStack(prod("joblet"), "joblet-prod-compute", { joblet: { prod: { compute: { services: { app: { rootVolumeKmsKeyArn: key } } } } } });
    const grants = resourcesOf(keyed, "aws_kms_grant");
    expect(Object.keys(grants).sort()).toEqual(["app_blue_root_volume_key_grant", "app_green_root_volume_key_grant"]);
    for (const color of ["blue", "green"]) {
      expect(grants[`app_${color}_root_volume_key_grant`]).toEqual({
        name: `joblet-prod-app-${color}-root-volume`,
        key_id: key,
        grantee_principal: `arn:aws:iam::${HARNESS_ACCOUNTS.prod}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
        operations: ["Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "DescribeKey", "CreateGrant"],
      });
      expect(resourcesOf(keyed, "aws_launch_template")[`app_${color}_launch_template`].block_device_mappings).toEqual([expect.objectContaining({ ebs: expect.objectContaining({ kms_key_id: key }) })]);
      expect(resourcesOf(keyed, "aws_autoscaling_group")[`app_${color}_asg`].depends_on).toEqual([`aws_kms_grant.app_${color}_root_volume_key_grant`]);
    }
  });

  it("without accountId, names the role in the account of the launch template's ARN", () => {
    const key = "arn:aws:kms:us-east-1:210987654321:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
    const keyed = synthStack({ systems: ["muejam"], environments: ["dev"] }, "muejam-dev-compute", { muejam: { dev: { compute: { services: { app: { rootVolumeKmsKeyArn: key } } } } } });
    expect(resourcesOf(keyed, "aws_kms_grant").app_root_volume_key_grant.grantee_principal).toBe(
      'arn:aws:iam::${element(split(":", aws_launch_template.app_launch_template.arn), 4)}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
    );
  });

  it("renders user data from the template: Docker, the CloudWatch agent, ECR login and pull by tag, secrets at boot, the app port", () => {
    const script = userData(json, "api_launch_template");
    expectValidBash(script);
    expect(script.startsWith("#!/bin/bash\n")).toBe(true);
    expect(script).toContain("set -euo pipefail");
    expect(script).toContain("dnf install -y docker amazon-cloudwatch-agent jq");
    expect(script).toContain("amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s");
    expect(script).toContain(`"log_group_name": "/aws/ec2/algoitny-prod-api"`);
    expect(script).toContain(`REGISTRY="$ACCOUNT_ID.dkr.ecr.$REGION.amazonaws.com"`);
    expect(script).toContain(`IMAGE="$REGISTRY/"'algoitny':'1.0.0-harness'`);
    expect(script).toContain(`aws ecr get-login-password --region "$REGION" | docker login --username AWS --password-stdin "$REGISTRY"`);
    expect(script).toContain(`docker pull "$IMAGE"`);
    expect(script).toContain("aws secretsmanager get-secret-value --secret-id 'algoitny-secrets' --query SecretString --output text");
    expect(script).toContain("--publish 8000:8000");
    expect(script).toContain(`--log-opt awslogs-group="$LOG_GROUP"`);
    expect(script).toContain("printf '%s=%s\\n' 'ALLOWED_HOSTS' '.testcase.run'");
    // The metadata service is reached with a session token only.
    expect(script).toContain("/latest/api/token");
    // Secrets are fetched, never written into the script.
    expect(script).not.toMatch(/SECRET_KEY|GEMINI_API_KEY|PASSWORD=/);
  });

  it("runs the worker with its command and no published port", () => {
    const script = userData(json, "worker_launch_template");
    expectValidBash(script);
    expect(script).toContain(`"$IMAGE" 'celery' '-A' 'config' 'worker' '--loglevel=info'`);
    expect(script).not.toContain("--publish");
  });

  it("runs AlgoItny's API and workers as production, whatever the environment: its settings send AWS calls to LocalStack otherwise", () => {
    const dev = synthStack({ systems: ["algoitny"], environments: ["dev"] }, "algoitny-dev-compute");
    for (const script of [json, dev].flatMap((stack) => ["api_launch_template", "worker_launch_template"].map((t) => userData(stack, t)))) {
      expect(script).toContain("printf '%s=%s\\n' 'ENVIRONMENT' 'production'");
      expect(script).toContain("printf '%s=%s\\n' 'DEBUG' 'False'");
    }
  });

  it("replaces Joblet's instances before the 365-day server certificate each signs at install expires", () => {
    const groups = resourcesOf(synthStack(prod("joblet"), "joblet-prod-compute"), "aws_autoscaling_group");
    expect(Object.keys(groups).sort()).toEqual(["app_blue_asg", "app_green_asg"]);
    for (const group of Object.values(groups)) expect(group.max_instance_lifetime).toBeLessThan(365 * 86_400);
    // Days in the settings, seconds in the group; none by default.
    const days = (settings: object) => resourcesOf(synthStack(prod("algoitny"), "algoitny-prod-compute", { algoitny: { prod: { compute: { services: { worker: settings } } } } }), "aws_autoscaling_group").worker_asg.max_instance_lifetime;
    expect(days({ maxInstanceLifetimeDays: 30 })).toBe(30 * 86_400);
    expect(days({})).toBeUndefined();
  });

  it("renders Joblet's installer with the document's settings and a hop limit of 1", () => {
    const joblet = synthStack(prod("joblet"), "joblet-prod-compute");
    const script = userData(joblet, "app_blue_launch_template");
    expectValidBash(script);
    expect(script).toContain("curl -fsSL --proto '=https' --tlsv1.2 'https://raw.githubusercontent.com/ehsaniara/joblet/main/scripts/ec2-user-data.sh'");
    for (const line of ["export JOBLET_VERSION='latest'", "export JOBLET_SERVER_PORT='443'", "export ENABLE_CLOUDWATCH='true'", "export USE_SECRETS_MANAGER='true'"]) {
      expect(script).toContain(line);
    }
    expect(resourcesOf(joblet, "aws_launch_template").app_blue_launch_template).toMatchObject({ metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 } });
  });
});

/** A container service's boot spec, the tests' starting point. */
const web = { kind: "container", service: "web", region: "us-east-1", logGroup: "/aws/ec2/web", repository: "web", tag: "v1", environment: {}, secrets: [] } as const;

describe("boot script rendering", () => {
  it("quotes every value as one shell word", () => {
    expect(shellQuote(`a'b; rm -rf / #`)).toBe(`'a'\\''b; rm -rf / #'`);
    const script = renderBootScript({
      kind: "container",
      service: "web",
      region: "us-east-1",
      logGroup: "/aws/ec2/web",
      repository: "web",
      tag: "v1",
      environment: { GREETING: `it's "$(whoami)"; exit 1` },
      secrets: [],
    });
    expectValidBash(script);
    // The value reaches the env file verbatim: printf is given it as one quoted word.
    const line = script.split("\n").find((l) => l.startsWith("printf '%s=%s\\n' 'GREETING'"))!;
    const out = spawnSync("bash", ["-c", line.replace(/ >> "\$ENV_FILE"$/, "")], { encoding: "utf8" });
    expect(out.stdout).toBe(`GREETING=it's "$(whoami)"; exit 1\n`);
  });

  it("gives the container the system's region, which its AWS SDKs do not take from the host", () => {
    const script = renderBootScript({ kind: "container", service: "web", region: "ap-northeast-2", logGroup: "/aws/ec2/web", repository: "web", tag: "v1", environment: { GREETING: "hi" }, secrets: [] });
    const start = script.slice(script.indexOf("<<'START'\n"), script.indexOf("\nSTART\n"));
    // The start script's env file, as it stands before the container runs (no secrets here).
    const writing = start.slice(start.indexOf('ENV_FILE="'), start.indexOf("docker rm"));
    const dir = mkdtempSync(join(tmpdir(), "container-env-"));
    try {
      const out = spawnSync("bash", ["-c", `set -euo pipefail; REGION=ap-northeast-2; SERVICE=web\n${writing.replace('"/run/$SERVICE.env"', `"${dir}/web.env"`)}`], { encoding: "utf8" });
      expect(out.stderr).toBe("");
      expect(readFileSync(join(dir, "web.env"), "utf8")).toBe("AWS_REGION=ap-northeast-2\nAWS_DEFAULT_REGION=ap-northeast-2\nGREETING=hi\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("appends the instance's private address to the variables that ask for it, set by the environment or a secret, as the ALB's health checks send it as their Host (Django's ALLOWED_HOSTS)", () => {
    const script = renderBootScript({ ...web, environment: { ALLOWED_HOSTS: ".example.com", GREETING: "hi" }, secrets: ["web/settings"], privateIpIn: ["ALLOWED_HOSTS", "CSRF_HOSTS", "UNSET_HOSTS"] });
    expectValidBash(script);
    const dir = mkdtempSync(join(tmpdir(), "container-env-"));
    try {
      // The boot, from instance metadata to the start script's inputs, against a stand-in IMDS.
      const boot = script.slice(script.indexOf("IMDS_TOKEN="), script.indexOf("\n# The start script"));
      const imds = `curl() { case "\${@: -1}" in */api/token) echo token;; */meta-data/instance-id) echo i-0abc;; */meta-data/local-ipv4) echo 10.30.1.5;; esac; }; aws() { :; }; docker() { :; }; jq() { :; }; install() { :; }`;
      const booted = spawnSync("bash", ["-c", `set -euo pipefail; ${imds}; REGION=us-east-1; LOG_GROUP=/aws/ec2/web; SERVICE=web\n${boot.replace("/etc/app-boot/web.env", `${dir}/boot.env`)}`], { encoding: "utf8" });
      expect(booted.stderr).toBe("");
      // Then the start script's env file, from what the boot wrote.
      const start = script.slice(script.indexOf("<<'START'\n"), script.indexOf("\nSTART\n"));
      const writing = start.slice(start.indexOf('ENV_FILE="'), start.indexOf("docker rm"));
      // The secret's keys, as the boot's jq writes them.
      const secret = `aws() { echo '{}'; }; jq() { echo CSRF_HOSTS=app.example.com; }`;
      const started = spawnSync("bash", ["-c", `set -euo pipefail; ${secret}; source ${dir}/boot.env\n${writing.replace('"/run/$SERVICE.env"', `"${dir}/web.env"`)}`], { encoding: "utf8" });
      expect(started.stderr).toBe("");
      expect(started.stdout).toBe("UNSET_HOSTS is set neither in the environment nor by a secret: this instance's address is not added to it\n");
      expect(readFileSync(join(dir, "web.env"), "utf8")).toBe("AWS_REGION=us-east-1\nAWS_DEFAULT_REGION=us-east-1\nALLOWED_HOSTS=.example.com,10.30.1.5\nGREETING=hi\nCSRF_HOSTS=app.example.com,10.30.1.5\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Only where asked: no metadata read otherwise.
    expect(renderBootScript(web)).not.toContain("local-ipv4");
  });

  it("waits for the image, which the first apply leaves unpushed, instead of giving up the boot", () => {
    const script = renderBootScript(web);
    // The boot's pull, against a stand-in docker whose first two pulls find no image.
    const pull = script.slice(script.indexOf('REGISTRY="'), script.indexOf("\n# What the start script"));
    const dir = mkdtempSync(join(tmpdir(), "container-env-"));
    try {
      const standIns = `aws() { echo token; }; sleep() { :; }; docker() { if [ "$1" = pull ]; then echo x >> ${dir}/pulls; [ "$(wc -l < ${dir}/pulls)" -ge 3 ] || { echo "manifest unknown" >&2; return 1; }; echo "pulled $2"; else cat > /dev/null; fi; }`;
      const out = spawnSync("bash", ["-c", `set -euo pipefail; ${standIns}; ACCOUNT_ID=123456789012; REGION=us-east-1\n${pull}\necho "boot goes on"`], { encoding: "utf8" });
      expect(out.status).toBe(0);
      expect(out.stdout.match(/not pullable yet: retrying in 30 s/g)).toHaveLength(2);
      expect(out.stdout).toContain("pulled 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1\nboot goes on\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails a script app's boot, saying why, when its installer exits 0 but left the unit inactive or a shared secret empty", () => {
    const script = renderBootScript({
      kind: "script",
      service: "app",
      region: "us-east-1",
      logGroup: "/aws/ec2/app",
      installerUrl: "https://example.com/i.sh",
      environment: {},
      systemdUnit: "joblet",
      firstBoot: { electionSecret: "joblet/first-boot", waitFor: ["joblet/ca-cert", "joblet/client-cert"], timeoutSeconds: 600 },
    });
    expectValidBash(script);
    // What runs once the installer has exited 0, against a stand-in systemd and Secrets Manager.
    const afterInstall = script.slice(script.indexOf('rm -f "$INSTALLER"\n') + 'rm -f "$INSTALLER"\n'.length);
    const run = (unitActive: boolean, secretsStored: boolean) =>
      spawnSync("bash", ["-c", `set -euo pipefail; sleep() { :; }; systemctl() { ${unitActive}; }; shared_ready() { ${secretsStored}; }\n${afterInstall}`], { encoding: "utf8" });
    expect(run(true, true)).toMatchObject({ status: 0, stdout: "app installed\n" });
    expect(run(false, true)).toMatchObject({ status: 1, stdout: expect.stringContaining("the installer exited, but joblet is not active: the install failed") });
    expect(run(true, false)).toMatchObject({ status: 1, stdout: expect.stringContaining("the install left a shared secret without a value (joblet/ca-cert joblet/client-cert)") });
  });

  it("checks the installer's checksum when one is given", () => {
    const script = renderBootScript({ kind: "script", service: "app", region: "us-east-1", logGroup: "/aws/ec2/app", installerUrl: "https://example.com/i.sh", installerSha256: "a".repeat(64), environment: {} });
    expectValidBash(script);
    expect(script).toContain(`echo "${"a".repeat(64)}  $INSTALLER" | sha256sum --check --strict -`);
  });

  it("refuses Terraform references, which base64 at synth would never resolve", () => {
    const stack = new UnitStack();
    const alb = new ApplicationLoadBalancer(stack, "alb", {
      name: "x-alb",
      region: "us-east-1",
      vpcId: "vpc-1",
      vpcCidr: "10.0.0.0/16",
      subnetIds: ["a", "b"],
      settings: LoadBalancerConfigSchema.parse({ tls: { enabled: false } }),
      target: { service: "web", port: 80, targetGroupNames: { default: "x" }, settings: TargetGroupConfigSchema.parse({}) },
    });
    expect(() =>
      renderBootScript({ kind: "script", service: "app", region: "us-east-1", logGroup: alb.lb.dnsName, installerUrl: "https://example.com/i.sh", environment: {} }),
    ).toThrow(/"logGroup" is a Terraform reference/);
  });
});

describe("AppService auto scaling group", () => {
  const json = synthStack(prod("algoitny"), "algoitny-prod-compute");
  const groups = resourcesOf(json, "aws_autoscaling_group");

  it("spans the private subnets, registers in the target group with ELB health checks, and keeps desired_capacity out of later applies", () => {
    expect(groups.api_asg).toMatchObject({
      name: "algoitny-prod-api",
      min_size: 2,
      max_size: 10,
      desired_capacity: 2,
      health_check_type: "ELB",
      health_check_grace_period: 300,
      target_group_arns: ["${data.terraform_remote_state.cross-stack-reference-input-algoitny-prod-services.outputs.cross-stack-output-aws_lb_target_group_alb_tg_api_arn}"],
      lifecycle: { ignore_changes: ["desired_capacity"] },
      launch_template: { id: "${aws_launch_template.api_launch_template.id}", version: "${aws_launch_template.api_launch_template.latest_version}" },
      instance_refresh: { strategy: "Rolling", preferences: { min_healthy_percentage: 50 } },
    });
    expect(groups.api_asg.vpc_zone_identifier).toEqual(
      ["a", "b", "c"].map((az) => `\${data.terraform_remote_state.cross-stack-reference-input-algoitny-prod-network.outputs.cross-stack-output-aws_subnet_network_private_ap-northeast-2${az}_id}`),
    );
  });

  it("propagates the common tags to the instances it launches", () => {
    expect(groups.api_asg.tag).toEqual(
      expect.arrayContaining([
        { key: "Project", value: "algoitny", propagate_at_launch: true },
        { key: "Environment", value: "prod", propagate_at_launch: true },
        { key: "ManagedBy", value: "cdktf", propagate_at_launch: true },
        { key: "Service", value: "api", propagate_at_launch: true },
        { key: "Name", value: "algoitny-prod-api", propagate_at_launch: true },
      ]),
    );
  });

  it("runs workers on Spot with capacity rebalance and EC2 health checks", () => {
    expect(groups.worker_asg).toMatchObject({
      min_size: 1,
      max_size: 5,
      desired_capacity: 2,
      health_check_type: "EC2",
      capacity_rebalance: true,
      mixed_instances_policy: {
        instances_distribution: { on_demand_base_capacity: 0, on_demand_percentage_above_base_capacity: 0, spot_allocation_strategy: "price-capacity-optimized" },
        launch_template: {
          launch_template_specification: { launch_template_id: "${aws_launch_template.worker_launch_template.id}", version: "${aws_launch_template.worker_launch_template.latest_version}" },
          override: [{ instance_type: "t3.large" }, { instance_type: "t3a.large" }],
        },
      },
    });
    expect(groups.worker_asg.target_group_arns).toBeUndefined();
    expect(groups.worker_asg.launch_template).toBeUndefined();
  });

  it("schedules off-peak scale-down on desired capacity only (-1 leaves min and max)", () => {
    expect(resourcesOf(json, "aws_autoscaling_schedule")).toEqual({
      worker_schedule_offpeak: expect.objectContaining({ scheduled_action_name: "offpeak", recurrence: "0 1 * * *", time_zone: "Asia/Seoul", desired_capacity: 1, min_size: -1, max_size: -1 }),
      worker_schedule_peak: expect.objectContaining({ scheduled_action_name: "peak", recurrence: "0 8 * * *", desired_capacity: 2, min_size: -1, max_size: -1 }),
    });
  });
});

describe("AppService scaling", () => {
  it("tracks CPU 70 % and ALB requests per target, labelled from the ALB and target group arn_suffix", () => {
    const json = synthStack(prod("algoitny"), "algoitny-prod-compute");
    const policies = resourcesOf(json, "aws_autoscaling_policy");
    expect(Object.keys(policies).sort()).toEqual(["api_target_cpu", "api_target_requests", "worker_target_cpu"]);
    expect(policies.api_target_cpu).toMatchObject({
      policy_type: "TargetTrackingScaling",
      autoscaling_group_name: "${aws_autoscaling_group.api_asg.name}",
      target_tracking_configuration: { predefined_metric_specification: { predefined_metric_type: "ASGAverageCPUUtilization" }, target_value: 70 },
    });
    const services = "data.terraform_remote_state.cross-stack-reference-input-algoitny-prod-services.outputs";
    expect(policies.api_target_requests.target_tracking_configuration).toEqual({
      predefined_metric_specification: {
        predefined_metric_type: "ALBRequestCountPerTarget",
        resource_label: `\${${services}.cross-stack-output-aws_lb_alb_lb_arn_suffix}/\${${services}.cross-stack-output-aws_lb_target_group_alb_tg_api_arn_suffix}`,
      },
      target_value: 1000,
    });
  });

  it("steps +2 above 70 % and -1 below 30 % over 4 minutes, with the alarms that drive it (MueJam)", () => {
    const json = synthStack(prod("muejam"), "muejam-prod-compute");
    const policies = resourcesOf(json, "aws_autoscaling_policy");
    expect(Object.keys(policies).sort()).toEqual(["app_scale_in", "app_scale_out"]);
    expect(policies.app_scale_out).toMatchObject({
      policy_type: "StepScaling",
      adjustment_type: "ChangeInCapacity",
      metric_aggregation_type: "Average",
      estimated_instance_warmup: 300,
      step_adjustment: [{ scaling_adjustment: 2, metric_interval_lower_bound: "0" }],
    });
    expect(policies.app_scale_in).toMatchObject({ step_adjustment: [{ scaling_adjustment: -1, metric_interval_upper_bound: "0" }] });
    const alarms = resourcesOf(json, "aws_cloudwatch_metric_alarm");
    expect(alarms.app_scale_out_alarm).toMatchObject({
      alarm_name: "muejam-prod-app-scale-out-cpu",
      namespace: "AWS/EC2",
      metric_name: "CPUUtilization",
      statistic: "Average",
      period: 60,
      evaluation_periods: 4,
      threshold: 70,
      comparison_operator: "GreaterThanThreshold",
      dimensions: { AutoScalingGroupName: "${aws_autoscaling_group.app_asg.name}" },
      alarm_actions: ["${aws_autoscaling_policy.app_scale_out.arn}"],
    });
    expect(alarms.app_scale_in_alarm).toMatchObject({ threshold: 30, comparison_operator: "LessThanThreshold", evaluation_periods: 4, alarm_actions: ["${aws_autoscaling_policy.app_scale_in.arn}"] });
    expect(resourcesOf(json, "aws_autoscaling_group").app_asg).toMatchObject({ default_cooldown: 300 });
  });

  it("alarms on high CPU and notifies the SNS topic when one is configured", () => {
    const topic = "arn:aws:sns:ap-northeast-2:111122223333:ops-alarms";
    const json = synthStack(prod("algoitny"), "algoitny-prod-compute", { algoitny: { prod: { compute: { alarmTopicArn: topic } } } });
    expect(resourcesOf(json, "aws_cloudwatch_metric_alarm").api_high_cpu).toMatchObject({
      alarm_name: "algoitny-prod-api-high-cpu",
      threshold: 80,
      comparison_operator: "GreaterThanThreshold",
      alarm_actions: [topic],
      ok_actions: [topic],
    });
  });
});

describe("AppService security group and role", () => {
  it("opens the app port only to the load balancer's security group; workers take no ingress", () => {
    const json = synthStack(prod("algoitny"), "algoitny-prod-compute");
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).toEqual({
      api_sg_ingress_8000_from_alb: expect.objectContaining({
        security_group_id: "${aws_security_group.api_sg_group.id}",
        referenced_security_group_id: "${data.terraform_remote_state.cross-stack-reference-input-algoitny-prod-services.outputs.cross-stack-output-aws_security_group_alb_sg_group_id}",
        from_port: 8000,
        to_port: 8000,
        ip_protocol: "tcp",
      }),
    });
  });

  it("allows SSH from the VPC only when asked", () => {
    const json = synthStack(prod("algoitny"), "algoitny-prod-compute", { algoitny: { prod: { compute: { services: { worker: { sshFromVpc: true } } } } } });
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule").worker_sg_ingress_22_from_vpc).toMatchObject({
      from_port: 22,
      cidr_ipv4: "${data.terraform_remote_state.cross-stack-reference-input-algoitny-prod-network.outputs.cross-stack-output-aws_vpc_network_vpc_cidr_block}",
    });
  });

  it("grants SSM Session Manager and exactly the intents configured (AlgoItny)", () => {
    const json = synthStack(prod("algoitny"), "algoitny-prod-compute");
    expect(resourcesOf(json, "aws_iam_role_policy_attachment").api_instance_AmazonSSMManagedInstanceCore).toMatchObject({
      policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    });
    const s = statements(json, "api_instance_policy");
    // The repository, the secret, its key and the table are the storage stack's: granted
    // through those resources, so every ARN is a reference to the resource, not a name.
    expect(Object.keys(s)).toEqual(["WriteAppLogs", "PutAgentMetrics", "PullImagesAuth", "PullImages", "ReadSecrets", "ReadSecretsKey", "ReadWriteTable1", "ReadWriteTable1Indexes", "ReadWriteTable2", "ReadWriteTable2Indexes", "SendQueue1", "SendQueue1List"]);
    expect(s.PullImages.Resource).toEqual(["REF"]);
    // The application keys.
    expect(s.ReadSecrets.Resource).toEqual(["REF"]);
    expect(s.ReadSecretsKey).toMatchObject({ Action: "kms:Decrypt", Resource: ["REF"], Condition: { StringEquals: { "kms:ViaService": "secretsmanager.ap-northeast-2.amazonaws.com" } } });
    expect(s.ReadWriteTable1.Resource).toEqual(["REF"]);
    expect(s.ReadWriteTable1Indexes).toMatchObject({ Action: ["dynamodb:Query", "dynamodb:Scan"], Resource: ["REF/index/*"] });
    const text = String(resourcesOf(json, "aws_iam_role_policy").api_instance_policy.policy);
    expect(text).toContain("cross-stack-output-aws_ecr_repository_ecr_algoitny_repository_arn");
    expect(text).toContain("cross-stack-output-aws_secretsmanager_secret_secrets_secret_algoitny-secrets_arn");
    expect(text).toContain("cross-stack-output-aws_kms_key_kms_key_arn");
    expect(text).toContain("cross-stack-output-aws_dynamodb_table_dynamodb_main_table_arn");
    // Django's sessions and Celery's task results.
    expect(text).toContain("cross-stack-output-aws_dynamodb_table_dynamodb_django_table_arn");
    for (const statement of Object.values(s)) expect([statement.Action].flat()).not.toContain("*");
  });

  it("uses the configured account in ARNs built from names (resources outside the project)", () => {
    const json = synthStack(prod("algoitny"), "algoitny-prod-compute", {
      algoitny: {
        prod: {
          accountId: "111122223333",
          compute: {
            loadBalancer: { tls: { certificateArn: "arn:aws:acm:ap-northeast-2:111122223333:certificate/11111111-2222-3333-4444-555555555555" } },
            services: { api: { grants: { dynamodbTables: [{ name: "shared_sessions", access: "read" }] } } },
          },
        },
      },
    });
    expect(statements(json, "api_instance_policy").ReadExternalTables.Resource).toContain("arn:aws:dynamodb:ap-northeast-2:111122223333:table/shared_sessions");
    expect(userData(json, "api_launch_template")).toContain("ACCOUNT_ID='111122223333'");
  });

  it("scopes Joblet's role to read and publish secrets under joblet/* (the document's policy), with data keys from the storage key", () => {
    const json = synthStack(prod("joblet"), "joblet-prod-compute");
    const s = statements(json, "app_instance_policy");
    expect(s.WriteSecretsByPrefix).toMatchObject({
      Action: [
        "secretsmanager:GetSecretValue",
        "secretsmanager:DescribeSecret",
        "secretsmanager:CreateSecret",
        "secretsmanager:UpdateSecret",
        "secretsmanager:PutSecretValue",
        "secretsmanager:TagResource",
      ],
      Resource: ["arn:aws:secretsmanager:us-east-1:517392846021:secret:joblet/*"],
    });
    // Writing a secret encrypted with a customer managed key needs a data key from it.
    expect(s.WriteSecretsByPrefixKey).toMatchObject({
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: ["REF"],
      Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
    });
    expect(String(resourcesOf(json, "aws_iam_role_policy").app_instance_policy.policy)).toContain("cross-stack-output-aws_kms_key_kms_key_arn");
    expect(s.PullImages).toBeUndefined();
  });

  it("lets Joblet keep job state in its table, job logs in the log groups it creates under /joblet and job metrics in Joblet/Jobs (ENABLE_CLOUDWATCH)", () => {
    const s = statements(synthStack(prod("joblet"), "joblet-prod-compute"), "app_instance_policy");
    expect(s.PutAppMetrics).toMatchObject({ Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": "Joblet/Jobs" } } });
    expect(s.OwnLogGroups).toMatchObject({
      Action: expect.arrayContaining(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:PutRetentionPolicy", "logs:DeleteLogStream"]),
      Resource: ["arn:aws:logs:us-east-1:517392846021:log-group:/joblet/*"],
    });
    expect(s.ReadWriteTable1).toMatchObject({ Action: expect.arrayContaining(["dynamodb:PutItem", "dynamodb:DescribeTimeToLive"]), Resource: ["REF"] });
    const table = resourcesOf(synthStack(prod("joblet"), "joblet-prod-storage"), "aws_dynamodb_table").dynamodb_jobs_table;
    expect(table).toMatchObject({ name: "joblet-jobs", hash_key: "jobId", ttl: { attribute_name: "expiresAt", enabled: true }, deletion_protection_enabled: true });
  });

  it("refuses a log group grant that is neither a name nor a prefix ending in /*", () => {
    const bad = { joblet: { prod: { compute: { services: { app: { grants: { logGroups: ["/joblet*"] } } } } } } };
    expect(() => synthStack(prod("joblet"), "joblet-prod-compute", bad)).toThrow(/grants\.logGroups\[0\] = "\/joblet\*"[\s\S]*not a log group name or a prefix ending in \/\*/);
  });
});

describe("certificates kept in Secrets Manager (Joblet)", () => {
  const json = synthStack(prod("joblet"), "joblet-prod-compute");

  it("publishes each certificate's days to expiry hourly from every instance, with a boot script bash accepts", () => {
    for (const template of ["app_blue_launch_template", "app_green_launch_template"]) {
      const script = userData(json, template);
      expectValidBash(script);
      expect(script).toContain("for SECRET in 'joblet/ca-cert' 'joblet/client-cert'; do");
      expect(script).toContain("openssl x509 -noout -enddate");
      expect(script).toContain("aws cloudwatch put-metric-data --namespace 'joblet-prod/certificates' --metric-name 'DaysToExpiry'");
      expect(script).toContain('--dimensions "SecretId=$SECRET"');
      expect(script).toContain("OnUnitActiveSec=1h");
      expect(script).toContain("systemctl enable --now certificate-expiry.timer");
    }
  });

  it("may publish in that namespace only", () => {
    expect(statements(json, "app_instance_policy").PutCertificateMetrics).toMatchObject({
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": "joblet-prod/certificates" } },
    });
  });

  it("publishes nothing where no certificate is configured", () => {
    const other = synthStack(prod("muejam"), "muejam-prod-compute");
    expect(userData(other, "app_launch_template")).not.toContain("certificate-expiry");
    expect(statements(other, "app_instance_policy").PutCertificateMetrics).toBeUndefined();
  });

  it("refuses a publisher that is not a service", () => {
    expect(() =>
      synthStack(prod("joblet"), "joblet-prod-compute", {
        joblet: { prod: { audit: { certificateExpiry: { secretCertificates: { secrets: ["joblet/ca-cert"], publishedBy: "web" } } } } },
      }),
    ).toThrow(/audit\.certificateExpiry\.secretCertificates\.publishedBy = "web"[\s\S]*use one of "app"/);
  });
});

describe("a container reading the database's rotating master secret (Duewin)", () => {
  const json = synthStack(prod("duewin"), "duewin-prod-compute");
  const script = userData(json, "app_launch_template");

  it("reads the database's location and current master credentials at every container start, into DB_* variables", () => {
    expectValidBash(script);
    // The data stack, applied after the compute stack, publishes it: the start waits for it.
    expect(script).toContain("until DATABASE=$(aws ssm get-parameter --name '/duewin-prod/database' --query Parameter.Value --output text); do");
    expect(script).toContain('"DB_HOST=\\(.host)", "DB_PORT=\\(.port)", "DB_NAME=\\(.name)"');
    expect(script).toContain('--version-stage AWSCURRENT --output json');
    expect(script).toContain('"DB_USER=\\(.username)", "DB_PASS=\\(.password)"');
    // The start script is what the boot runs, and what the rotation check runs again.
    expect(script).toContain("cat > /usr/local/libexec/app-start <<'START'");
    expect(script.match(/^\s*\/usr\/local\/libexec\/app-start$/gm)).toHaveLength(2);
  });

  it("waits, at every start, for each value the later data stack provides or grants", () => {
    // The parameter exists before the data stack's policy that grants its master secret: a read
    // of either in the window must retry, not end the start under `set -e`.
    const start = script.slice(script.indexOf("cat > /usr/local/libexec/app-start <<'START'"), script.indexOf("\nSTART\n"));
    const reads = start.split("\n").filter((line) => /aws (secretsmanager get-secret-value|ssm get-parameter)/.test(line));
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(reads.filter((line) => !line.startsWith("until "))).toEqual([]);
  });

  it("restarts the container within minutes when RDS rotates the secret", () => {
    expect(script).toContain("--query VersionIdsToStages");
    expect(script).toContain('select(.value | index("AWSCURRENT"))');
    expect(script).toContain("OnUnitActiveSec=5min");
    expect(script).toContain("systemctl enable --now app-credentials.timer");
  });

  it("does none of it for a service that does not ask for the database", () => {
    const other = userData(synthStack(prod("muejam"), "muejam-prod-compute"), "app_launch_template");
    expectValidBash(other);
    expect(other).not.toContain("DB_PASS");
    expect(other).not.toContain("credentials.timer");
  });

  it("refuses database without rds", () => {
    expect(() => synthStack(prod("muejam"), "muejam-prod-compute", { muejam: { prod: { compute: { services: { app: { app: { database: true } } } } } } })).toThrow(
      /compute\.services\.app\.app\.database = true[\s\S]*rds is not configured/,
    );
  });
});

describe("Duewin's game scheduler (only it opens and settles the game periods)", () => {
  it("runs exactly one, from the backend's image, with the database and Redis the web servers have; a refresh stops it before starting the next", () => {
    const json = synthStack(prod("duewin"), "duewin-prod-compute");
    expect(resourcesOf(json, "aws_autoscaling_group").scheduler_asg).toMatchObject({ min_size: 1, max_size: 1, desired_capacity: 1, instance_refresh: { preferences: { min_healthy_percentage: 0 } } });
    expect(resourcesOf(json, "aws_autoscaling_group").scheduler_asg).not.toHaveProperty("target_group_arns");
    const script = userData(json, "scheduler_launch_template");
    expect(script).toContain(`"$IMAGE" 'node' 'Scripts/start-scheduler.js'`);
    expect(script).toContain(`IMAGE="$REGISTRY/"'duewin-backend'`);
    expect(script).toContain("--secret-id 'duewin/redis'");
    expect(script).toContain(`jq -r '"DB_HOST=\\(.host)", "DB_PORT=\\(.port)", "DB_NAME=\\(.name)"'`);
  });
});

describe("services that run one image", () => {
  const warnings = (overrides: Overrides) => warningsOf(buildStacks(prod("duewin"), overrides)).filter((w) => w.includes("different tags"));

  it("warns when they run different tags of it (Duewin's web servers and scheduler), and not when they run one", () => {
    expect(warnings({ duewin: { prod: { compute: { services: { scheduler: { app: { type: "container", tag: "2.0.0" } } } } } } })).toEqual([
      'services run different tags of the image duewin-backend: compute.services.app.app.tag = "1.0.0-harness", compute.services.scheduler.app.tag = "2.0.0". They run different versions of one code side by side; give them one tag unless that is meant.',
    ]);
    expect(warnings({})).toEqual([]);
  });
});

describe("AlgoItny's Celery broker (SQS, as its backend's Celery runs)", () => {
  it("lets the API send to the queue and the workers consume it, granted through the queue; both may list queues, as Celery does when it connects", () => {
    const json = synthStack(prod("algoitny"), "algoitny-prod-compute");
    const send = ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"];
    expect(statements(json, "api_instance_policy").SendQueue1).toMatchObject({ Action: send, Resource: ["REF"] });
    expect(statements(json, "worker_instance_policy").ConsumeQueue1).toMatchObject({ Action: [...send, "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"], Resource: ["REF"] });
    for (const service of ["api", "worker"]) {
      const policy = String(resourcesOf(json, "aws_iam_role_policy")[`${service}_instance_policy`].policy);
      expect(policy).toContain("cross-stack-output-aws_sqs_queue_sqs_jobs_queue_arn");
      expect(policy).toContain('"Action" = "sqs:ListQueues", "Resource" = "*"');
      // No broker URL: Celery's default, sqs://, takes the instance role's credentials.
      expect(userData(json, `${service}_launch_template`)).not.toContain("CELERY_BROKER_URL");
    }
  });
});

describe("AppService blue-green", () => {
  it("puts a blue and a green group on one target group (Joblet), sharing the security group and role", () => {
    const json = synthStack(prod("joblet"), "joblet-prod-compute");
    const groups = resourcesOf(json, "aws_autoscaling_group");
    expect(Object.keys(groups).sort()).toEqual(["app_blue_asg", "app_green_asg"]);
    expect(groups.app_blue_asg).toMatchObject({ name: "joblet-prod-app-blue", min_size: 2, max_size: 10, target_group_arns: ["${aws_lb_target_group.nlb_tg_app.arn}"] });
    expect(groups.app_green_asg).toMatchObject({ name: "joblet-prod-app-green", min_size: 0, max_size: 0, desired_capacity: 0, target_group_arns: ["${aws_lb_target_group.nlb_tg_app.arn}"] });
    const templates = resourcesOf(json, "aws_launch_template");
    expect(templates.app_blue_launch_template.network_interfaces).toEqual(templates.app_green_launch_template.network_interfaces);
    expect(templates.app_blue_launch_template.iam_instance_profile).toEqual(templates.app_green_launch_template.iam_instance_profile);
    expect(Object.keys(resourcesOf(json, "aws_iam_role"))).toEqual(["app_instance_role"]);
  });

  it("gives each color its own version", () => {
    const json = synthStack(prod("joblet"), "joblet-prod-compute", { joblet: { prod: { compute: { services: { app: { blueGreen: { green: { environment: { JOBLET_VERSION: "1.1.0" } } } } } } } } });
    expect(userData(json, "app_blue_launch_template")).toContain("export JOBLET_VERSION='latest'");
    expect(userData(json, "app_green_launch_template")).toContain("export JOBLET_VERSION='1.1.0'");
  });

  it("builds an AppService from a bare service config", () => {
    const stack = new UnitStack();
    const app = bareAppService(stack, { scaling: { targetTracking: { cpu: null } } });
    const json = stack.json();
    expect(app.groupNames).toHaveLength(1);
    expect(Object.keys(resourcesOf(json, "aws_autoscaling_group"))).toEqual(["web_asg"]);
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).toEqual({});
    expect(resourcesOf(json, "aws_autoscaling_policy")).toEqual({});
    expect(resourcesOf(json, "aws_cloudwatch_metric_alarm")).toEqual({});
    expect(resourcesOf(json, "aws_cloudwatch_log_group").web_logs).toMatchObject({ name: "/aws/ec2/shop-dev-web", retention_in_days: 30 });
  });
});

describe("AppService's own checks", () => {
  // The checks config validation runs (asg/checks.ts), keyed by the construct's own prop.
  const build = (serviceInput: object) => () => bareAppService(new UnitStack(), serviceInput);

  it("refuses a load-balanced service without a load balancer", () => {
    expect(build({ loadBalanced: true })).toThrow(/loadBalanced = true.*no loadBalancer was given/s);
  });

  it("refuses request-count tracking without an ALB in front", () => {
    expect(build({ scaling: { targetTracking: { requestCountPerTarget: { targetValue: 500 } } } })).toThrow(/scaling\.targetTracking\.requestCountPerTarget.*needs the service behind an ALB/s);
  });

  it("refuses a scale-in threshold that overlaps the scale-out one", () => {
    expect(
      build({ scaling: { targetTracking: { cpu: null }, step: { scaleOut: { cpuAbove: 60, adjustment: 1 }, scaleIn: { cpuBelow: 70, adjustment: -1 } } } }),
    ).toThrow(/scaling\.step\.scaleIn\.cpuBelow.*overlaps the scale-out threshold \(cpuAbove 60\)/s);
  });
});

/** An AppService of a container app (`web`), not load balanced, without a CPU alarm, from `serviceInput` over that. */
function bareAppService(stack: UnitStack, serviceInput: object): AppService {
  return new AppService(stack, "web", {
    naming: new Naming("shop", "dev"),
    region: "eu-west-1",
    vpcId: "vpc-1",
    vpcCidr: "10.0.0.0/16",
    subnetIds: ["subnet-a"],
    tags: { Project: "shop" },
    service: ServiceConfigSchema.parse({ app: { type: "container", repository: "web" }, loadBalanced: false, highCpuAlarm: null, ...serviceInput }),
    compute: ComputeConfigSchema.parse({ logRetentionInDays: 30 }),
  });
}

describe("user data size", () => {
  it("refuses user data over EC2's 16 KB", () => {
    const stack = new UnitStack();
    const service = ServiceConfigSchema.parse({
      app: { type: "container", repository: "web", environment: { BIG: "x".repeat(17 * 1024) } },
      loadBalanced: false,
    });
    expect(
      () =>
        new AppService(stack, "web", {
          naming: new Naming("shop", "dev"),
          region: "us-east-1",
          vpcId: "vpc-1",
          vpcCidr: "10.0.0.0/16",
          subnetIds: ["subnet-a"],
          tags: {},
          service,
          compute: ComputeConfigSchema.parse({ logRetentionInDays: 30 }),
        }),
    ).toThrow(/user data of web is \d+ bytes; EC2 accepts at most 16384/);
  });
});

describe("the first boot's election (Joblet: the installer generates the shared CA when it finds none)", () => {
  const script = userData(synthStack(prod("joblet"), "joblet-prod-compute"), "app_blue_launch_template");
  /** The boot script's election, as it runs before the installer. */
  const election = script.slice(script.indexOf("# First boot:"), script.indexOf("INSTALLER=$(mktemp)"));
  const secrets = ["ca-cert", "ca-key", "client-cert", "client-key"].map((n) => `joblet/${n}`);

  /**
   * Runs the election on `instances` at once, against a stand-in `aws` CLI over a directory that
   * keeps Secrets Manager's rule for a client request token (the first write of a token makes
   * the version; a second with other content fails). Each instance's "installer", after the
   * election, writes the shared secrets if it finds them empty, as Joblet's does.
   */
  function boot(instances: string[]): { log: Record<string, string>; writers: string[] } {
    const dir = mkdtempSync(join(tmpdir(), "first-boot-"));
    try {
      const bin = join(dir, "bin");
      mkdirSync(bin);
      writeFileSync(
        join(bin, "aws"),
        [
          "#!/bin/bash",
          'store="$STORE"; op="$2"; shift 2; declare -A a; while [ $# -gt 0 ]; do a[$1]="$2"; shift 2; done',
          'file="$store/$(echo "${a[--secret-id]}" | tr / _)"',
          'if [ "$op" = get-secret-value ]; then [ -s "$file" ] && cat "$file" && exit 0; exit 254; fi',
          'if [ "$op" = put-secret-value ]; then',
          '  token="$file.token-${a[--client-request-token]}"',
          '  if mkdir "$token" 2>/dev/null; then printf %s "${a[--secret-string]}" > "$file"; exit 0; fi',
          '  [ "$(cat "$file" 2>/dev/null)" = "${a[--secret-string]}" ] && exit 0; exit 254',
          "fi",
          "exit 2",
        ].join("\n"),
        { mode: 0o755 },
      );
      writeFileSync(join(bin, "curl"), '#!/bin/bash\ncase "$*" in *api/token*) echo token;; *) echo "$INSTANCE";; esac\n', { mode: 0o755 });
      const store = join(dir, "store");
      mkdirSync(store);
      // Joblet's installer takes minutes before it writes the secrets: here, a second.
      const installer = `command sleep 1; for s in ${secrets.join(" ")}; do f="$STORE/$(echo $s | tr / _)"; if [ ! -s "$f" ]; then echo "$INSTANCE" > "$f"; fi; done; echo "$INSTANCE" >> "$STORE/installed"`;
      const run = (instance: string) =>
        `( export INSTANCE=${instance} STORE=${store} PATH=${bin}:$PATH; sleep() { command sleep 0.1; }; set -euo pipefail; ${election}\n${installer} ) > ${dir}/${instance}.log 2>&1 &`;
      const result = spawnSync("bash", ["-c", `${instances.map(run).join("\n")}\nwait`], { encoding: "utf8", timeout: 60_000 });
      expect(result.status).toBe(0);
      const log = Object.fromEntries(instances.map((i) => [i, readFileSync(join(dir, `${i}.log`), "utf8")]));
      const writers = [...new Set(secrets.map((s) => readFileSync(join(store, s.replace("/", "_")), "utf8").trim()))];
      return { log, writers };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("refuses a health check grace period that would have the load balancer's checks replace an instance still waiting", () => {
    const short = { joblet: { prod: { compute: { services: { app: { healthCheckGracePeriodSeconds: 600 } } } } } };
    expect(() => synthStack(prod("joblet"), "joblet-prod-compute", short)).toThrow(
      /compute\.services\.app\.healthCheckGracePeriodSeconds = 600[\s\S]*first boot's wait \(app\.firstBoot\.timeoutSeconds, 600 s\) plus an install[\s\S]*at least 900/,
    );
  });

  it("lets one of the instances that boot together generate the shared secrets; the others wait and read them", () => {
    expect(election).toContain("first-boot-election-of-the-shared-secrets");
    const { log, writers } = boot(["i-a", "i-b", "i-c"]);
    const winners = Object.entries(log).filter(([, text]) => /won the first boot/.test(text)).map(([i]) => i);
    expect(winners).toHaveLength(1);
    // Every shared secret holds the winner's value: nobody else generated any.
    expect(writers).toEqual(winners);
    for (const [instance, text] of Object.entries(log)) if (instance !== winners[0]) expect(text).toMatch(/waiting/);
  });
});

describe("a script app's installer on Amazon Linux 2023 (Joblet's runs `dnf install -y curl wget` under set -e)", () => {
  const script = userData(synthStack(prod("joblet"), "joblet-prod-compute"), "app_blue_launch_template");
  /** The boot's packages, as they run before the agent's configuration. */
  const packages = script.slice(script.indexOf("dnf install -y amazon-cloudwatch-agent jq"), script.indexOf("# CloudWatch agent:"));

  /**
   * Runs the boot's packages, then an installer that runs `dnf install -y curl wget` as Joblet's
   * does, against stand-in `rpm` and `dnf` over AL2023's defaults (curl-minimal, libcurl-minimal)
   * that keep AL2023's rules: curl conflicts with curl-minimal (and libcurl with
   * libcurl-minimal), and curl needs the full libcurl. Returns the exit status and the packages.
   */
  function boot(part: string): { status: number | null; installed: string[]; output: string } {
    const dir = mkdtempSync(join(tmpdir(), "al2023-packages-"));
    try {
      const bin = join(dir, "bin");
      mkdirSync(bin);
      writeFileSync(join(dir, "db"), "curl-minimal\nlibcurl-minimal\n");
      writeFileSync(join(bin, "rpm"), '#!/bin/bash\n[ "$1" = -q ] && grep -qx "$2" "$DB"\n', { mode: 0o755 });
      writeFileSync(
        join(bin, "dnf"),
        [
          "#!/bin/bash",
          'has() { grep -qx "$1" "$DB"; }',
          'full() { case "$1" in curl-full) echo curl;; libcurl-full) echo libcurl;; *) echo "$1";; esac; }',
          'add() { p=$(full "$1"); has "$p" && return 0',
          '  if has "$p-minimal"; then echo "Error: package $p-minimal conflicts with $p"; exit 1; fi',
          '  if [ "$p" = curl ] && ! has libcurl; then echo "Error: curl requires libcurl, which conflicts with libcurl-minimal"; exit 1; fi',
          '  echo "$p" >> "$DB"; }',
          'op="$1"; shift; [ "$1" = -y ] && shift',
          'case "$op" in',
          '  install) for p in "$@"; do add "$p"; done;;',
          '  swap) grep -vx "$1" "$DB" > "$DB.new"; mv "$DB.new" "$DB"; add "$2";;',
          '  *) exit 2;;',
          "esac",
        ].join("\n"),
        { mode: 0o755 },
      );
      const installer = "dnf install -y curl wget";
      const result = spawnSync("bash", ["-c", `export PATH=${bin}:$PATH DB=${join(dir, "db")}; set -euo pipefail\n${part}\n${installer}`], { encoding: "utf8" });
      return { status: result.status, installed: readFileSync(join(dir, "db"), "utf8").trim().split("\n").sort(), output: result.stdout + result.stderr };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("swaps in the full curl first, so the installer's `dnf install curl` succeeds", () => {
    const booted = boot(packages);
    expect(booted.output).not.toMatch(/Error/);
    expect(booted).toMatchObject({ status: 0, installed: ["amazon-cloudwatch-agent", "curl", "jq", "libcurl", "wget"] });
  });

  it("the stand-in keeps AL2023's conflict: without the swap the installer stops", () => {
    const booted = boot("dnf install -y amazon-cloudwatch-agent jq");
    expect(booted.status).toBe(1);
    expect(booted.output).toMatch(/curl-minimal conflicts with curl/);
  });
});
