import { Construct } from "constructs";
import { Annotations } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Color, capacityOf, colorsOf, groupName } from "../../config/compute-checks";
import { ServiceConfig } from "../../config/compute-config";
import { ConfigError } from "../../config/errors";
import { partitionOf } from "../../config/regions";
import { dynamodbAccess, ecrPull, kmsDecryptVia, logsWrite, metricsPut, s3Access, secretsRead, secretsWrite } from "../../lib/grants";
import { isLogRetention } from "../../lib/log-retention";
import { Naming } from "../../lib/naming";
import { ILoadBalancer } from "../alb/load-balancer";
import { TargetGroupKey } from "../alb/target-group";
import { ServiceRole } from "../iam/service-role";
import { ManagedSecurityGroup } from "../networking/security-group";
import { ArnBuilder } from "./arns";
import { Fleet } from "./fleet";
import { BootSpec, userDataBase64 } from "./user-data";

export interface AppServiceProps {
  /** Names resources `<project>-<environment>-<service>[-<color>]`. */
  readonly naming: Naming;
  readonly region: string;
  /** The account, for ARNs built from names. @default a wildcard account */
  readonly accountId?: string;
  readonly vpcId: string;
  /** The VPC's CIDR (for `sshFromVpc`). */
  readonly vpcCidr: string;
  /** The private subnets the instances run in. */
  readonly subnetIds: string[];
  /** Tags propagated to the instances (default tags do not reach instances an ASG launches). */
  readonly tags: Readonly<Record<string, string>>;
  /** The service's settings. */
  readonly service: ServiceConfig;
  /** The load balancer in front, for a load-balanced service. @default none */
  readonly loadBalancer?: ILoadBalancer;
  /** Days to keep the app's logs. */
  readonly logRetentionInDays: number;
  /** SNS topic the alarms notify. @default none */
  readonly alarmTopicArn?: string;
}

/**
 * A service of EC2 instances in auto scaling groups: one group, or a blue and a green
 * group. Its security group admits the app port from the load balancer's security group
 * only (a worker admits nothing; SSH from the VPC only when asked). Its instance role holds
 * SSM Session Manager access and, granted by intent, exactly: its log group, the CloudWatch
 * agent's metrics namespace, its ECR repositories, its secrets (or secret prefix), its
 * DynamoDB tables and S3 buckets. Both colors share the security group and the role, which
 * is what the data tier admits and grants to.
 */
export class AppService extends Construct {
  public readonly securityGroup: ManagedSecurityGroup;
  public readonly role: ServiceRole;
  public readonly logGroup: CloudwatchLogGroup;
  /** The groups, by color (`default` for a single group). */
  public readonly fleets: Readonly<Partial<Record<"default" | Color, Fleet>>>;

  constructor(scope: Construct, id: string, props: AppServiceProps) {
    super(scope, id);
    const name = id;
    const { naming, service } = props;
    const app = service.app;
    const lb = service.loadBalanced ? props.loadBalancer : undefined;
    if (service.loadBalanced && !lb) {
      throw new ConfigError(`services.${name}.loadBalanced`, true, "is true, but there is no load balancer", "configure compute.loadBalancer, or set loadBalanced to false");
    }
    if (!isLogRetention(props.logRetentionInDays)) {
      throw new ConfigError("logRetentionInDays", props.logRetentionInDays, "is not a CloudWatch Logs retention period", "use e.g. 30, 90 or 365");
    }
    const arns = new ArnBuilder(props.region, props.accountId);
    const prefixedName = naming.name("autoScalingGroup", name);

    this.securityGroup = new ManagedSecurityGroup(this, "sg", {
      groupName: naming.name("securityGroup", name),
      vpcId: props.vpcId,
      description: lb ? `${prefixedName}: port ${service.port} from the ${lb.type.toUpperCase()} only` : `${prefixedName}: no inbound traffic`,
    });
    if (lb) {
      this.securityGroup.allowFrom({ name: lb.type, securityGroupId: lb.securityGroupId }, service.port, `App port from the ${lb.type.toUpperCase()} (traffic and health checks)`);
    }
    if (service.sshFromVpc) {
      this.securityGroup.allowFrom({ name: "vpc", cidrBlocks: [props.vpcCidr] }, 22, "SSH from inside the VPC");
    }

    const logGroupName = `/aws/ec2/${prefixedName}`;
    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: logGroupName,
      retentionInDays: service.logRetentionInDays ?? props.logRetentionInDays,
    });

    this.role = new ServiceRole(this, "instance", {
      roleName: naming.name("iamRole", name),
      service: "ec2.amazonaws.com",
      partition: partitionOf(props.region),
      description: `Instances of ${prefixedName}`,
      managedPolicies: ["AmazonSSMManagedInstanceCore"],
      instanceProfile: true,
    });
    this.grant(arns, service);

    if (app.type === "script" && !app.installerSha256) {
      Annotations.of(this).addWarning(`${prefixedName}: the installer ${app.installerUrl} runs as root at boot without a checksum; set app.installerSha256 to pin it.`);
    }
    for (const [key, schedule] of Object.entries(service.schedules)) {
      if (schedule.minSize !== undefined || schedule.maxSize !== undefined) {
        Annotations.of(this).addWarning(
          `${prefixedName}: schedule "${key}" changes minSize/maxSize, which the next apply sets back to the configured values; schedule desiredCapacity only to avoid that drift.`,
        );
      }
    }

    const fleets: Partial<Record<"default" | Color, Fleet>> = {};
    for (const color of colorsOf(service)) {
      const scope = color ? new Construct(this, color) : this;
      const fleetName = groupName(naming, name, color);
      const tgKey: TargetGroupKey = color && service.blueGreen?.mode === "weighted" ? color : "default";
      const targetGroup = lb?.targetGroup(tgKey);
      const capacity = capacityOf(service, color);
      const requests = service.scaling.targetTracking.requestCountPerTarget;
      if (requests && lb?.type !== "alb") {
        throw new ConfigError(`services.${name}.scaling.targetTracking.requestCountPerTarget`, requests, "needs the service behind an ALB", "set it to null");
      }
      fleets[color ?? "default"] = new Fleet(scope, {
        name: fleetName,
        description: `${prefixedName}${color ? ` (${color})` : ""}`,
        imageId: service.imageId,
        instanceType: service.instanceType,
        rootVolumeSizeGb: service.rootVolumeSizeGb,
        rootVolumeKmsKeyArn: service.rootVolumeKmsKeyArn,
        metadataHopLimit: service.metadataHopLimit ?? (app.type === "container" ? 2 : 1),
        instanceProfileArn: this.role.instanceProfile!.arn,
        securityGroupIds: [this.securityGroup.id],
        subnetIds: props.subnetIds,
        userData: userDataBase64(this.bootSpec(name, props, logGroupName, color)),
        ...capacity,
        tags: { ...props.tags, Name: fleetName, Service: name, ...(color ? { Color: color } : {}) },
        targetGroupArn: targetGroup?.arn,
        healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
        minHealthyPercentage: service.instanceRefresh.minHealthyPercentage,
        instanceWarmupSeconds: service.instanceRefresh.instanceWarmupSeconds,
        spot: service.spot ?? undefined,
        capacityRebalance: service.capacityRebalance,
        schedules: service.schedules,
        step: service.scaling.step ?? undefined,
        cpuTarget: service.scaling.targetTracking.cpu?.targetValue,
        requestCountPerTarget:
          requests && lb && targetGroup ? { targetValue: requests.targetValue, resourceLabel: `${lb.arnSuffix}/${targetGroup.arnSuffix}` } : undefined,
        highCpuAlarm: service.highCpuAlarm ?? undefined,
        alarmTopicArn: props.alarmTopicArn,
      });
    }
    this.fleets = fleets;
  }

  /** The groups' names, blue before green. */
  public get groupNames(): string[] {
    return Object.values(this.fleets).map((f) => f!.group.name);
  }

  /** Grants the instance role what the service's settings ask for, each as its own statement. */
  private grant(arns: ArnBuilder, service: ServiceConfig): void {
    const role = this.role;
    const app = service.app;
    const g = service.grants;
    role.addToPolicy(...logsWrite("WriteAppLogs", [this.logGroup.arn]));
    role.addToPolicy(...metricsPut("PutAgentMetrics", "CWAgent"));

    const repositories = [
      ...(app.type === "container" ? [arns.ecrRepository(app.repository, app.registryAccountId)] : []),
      ...g.ecrRepositories.map((r) => arns.ecrRepository(r)),
    ];
    if (repositories.length > 0) role.addToPolicy(...ecrPull("PullImages", unique(repositories)));

    const readSecrets = [...(app.type === "container" ? app.secrets : []), ...g.secrets.map((s) => s.name)];
    if (readSecrets.length > 0) role.addToPolicy(...secretsRead("ReadSecrets", unique(readSecrets.map((s) => arns.secret(s)))));
    const writeSecrets = g.secrets.filter((s) => s.access === "read_write").map((s) => arns.secret(s.name));
    if (writeSecrets.length > 0) role.addToPolicy(...secretsWrite("WriteSecrets", unique(writeSecrets)));
    if (g.kmsKeyArns.length > 0) role.addToPolicy(...kmsDecryptVia("DecryptSecrets", g.kmsKeyArns, arns.secretsManagerService));

    for (const access of ["read", "read_write"] as const) {
      const sidPart = access === "read" ? "Read" : "ReadWrite";
      const tables = g.dynamodbTables.filter((t) => t.access === access).map((t) => arns.dynamodbTable(t.name));
      if (tables.length > 0) role.addToPolicy(...dynamodbAccess(`${sidPart}Tables`, unique(tables), access === "read_write"));
      const buckets = g.s3Buckets.filter((b) => b.access === access).map((b) => arns.s3Bucket(b.name));
      if (buckets.length > 0) role.addToPolicy(...s3Access(`${sidPart}Buckets`, unique(buckets), access === "read_write"));
    }
  }

  private bootSpec(name: string, props: AppServiceProps, logGroup: string, color?: Color): BootSpec {
    const service = props.service;
    const app = service.app;
    const own = color && service.blueGreen ? service.blueGreen[color] : undefined;
    const environment = { ...app.environment, ...(own?.environment ?? {}) };
    if (app.type === "script") {
      return { kind: "script", service: name, color, region: props.region, logGroup, installerUrl: app.installerUrl, installerSha256: app.installerSha256, environment };
    }
    return {
      kind: "container",
      service: name,
      color,
      region: props.region,
      logGroup,
      repository: app.repository,
      tag: own?.imageTag ?? app.tag,
      registryAccountId: app.registryAccountId ?? props.accountId,
      ports: service.loadBalanced ? { host: service.port, container: app.containerPort ?? service.port } : undefined,
      environment,
      secrets: app.secrets,
      command: app.command,
    };
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
