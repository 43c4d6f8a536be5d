import { Construct } from "constructs";
import { Annotations } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Color, capacityOf, checkScaling, colorsOf, groupName } from "./checks";
import { ComputeConfig, ServiceConfig, serviceLogRetentionOf } from "./settings";
import { ConfigError, nested } from "../../lib/errors";
import { partitionOf } from "../../lib/regions";
import { dynamodbAccess, ecrPull, kmsDecryptVia, logsCreateAndWrite, logsWrite, metricsPut, metricsRead, s3Access, secretsRead, secretsWrite, sqsAccess } from "../../lib/grants";
import { ContainerRepository } from "../registry/repository";
import { SecretStore } from "../secrets/secret-store";
import { DynamoTable } from "../storage/dynamodb-table";
import { SecureBucket } from "../storage/secure-bucket";
import { MessageQueue } from "../storage/message-queue";
import { CertificateMetrics } from "../../lib/certificate-metric";
import { isLogRetention } from "../../lib/log-retention";
import { databaseParameterName, Naming } from "../../lib/naming";
import { ILoadBalancer } from "../alb/load-balancer";
import { TargetGroupKey } from "../alb/target-group";
import { ServiceRole } from "../iam/service-role";
import { ManagedSecurityGroup } from "../networking/security-group";
import { ArnBuilder } from "./arns";
import { Fleet } from "./fleet";
import { BootSpec, bootScript } from "./user-data";

/**
 * The project's own resources a service may be granted, found by the names the service's
 * settings use. A name found here is granted through the resource (`grantRead`,
 * `grantPull`, ...), which knows its ARN and its KMS key; any other name is a resource
 * outside the project, granted by an ARN built from its name.
 */
export interface ServiceResources {
  readonly secrets?: SecretStore;
  readonly repositories?: readonly ContainerRepository[];
  readonly tables?: readonly DynamoTable[];
  readonly buckets?: readonly SecureBucket[];
  readonly queues?: readonly MessageQueue[];
}

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
  /** The compute tier's settings every service shares: days to keep app logs (unless the service sets its own), the SNS topic alarms notify. */
  readonly compute: Pick<ComputeConfig, "logRetentionInDays" | "alarmTopicArn">;
  /** The project's resources the settings' grants may name. @default none: every name is outside the project */
  readonly resources?: ServiceResources;
  /**
   * Certificates kept in Secrets Manager whose days to expiry the instances publish hourly
   * (a systemd timer running openssl and `aws cloudwatch put-metric-data`), with the grant
   * to publish in that namespace only. The role must be able to read the secrets.
   * @default none
   */
  readonly certificateMetrics?: CertificateMetrics;
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
  /** The service's settings. */
  public readonly service: ServiceConfig;
  /** The groups, by color (`default` for a single group). */
  public readonly fleets: Readonly<Partial<Record<"default" | Color, Fleet>>>;

  private readonly props: AppServiceProps;
  /** The service's prefixed name: its groups', its log group's and its instances'. */
  private readonly prefixedName: string;

  constructor(scope: Construct, id: string, props: AppServiceProps) {
    super(scope, id);
    const { service } = props;
    this.props = props;
    this.service = service;
    const lb = service.loadBalanced ? props.loadBalancer : undefined;
    if (service.loadBalanced && !lb) {
      throw new ConfigError("loadBalanced", true, "is true, but no loadBalancer was given", "pass the load balancer, or set loadBalanced to false");
    }
    nested("scaling", () => checkScaling(service, lb));
    const logRetention = serviceLogRetentionOf(props.compute, service);
    if (!isLogRetention(logRetention)) {
      throw new ConfigError("logRetentionInDays", logRetention, "is not a CloudWatch Logs retention period", "use e.g. 30, 90 or 365");
    }
    this.prefixedName = props.naming.name("autoScalingGroup", id);

    this.securityGroup = this.addSecurityGroup(lb);
    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/ec2/${this.prefixedName}`,
      retentionInDays: logRetention,
    });
    this.role = this.addInstanceRole();
    this.warnOfDrift();
    this.fleets = Object.fromEntries(colorsOf(service).map((color) => [color ?? "default", this.addFleet(lb, color)]));
  }

  /** The instances' group: the app port from the load balancer only, SSH from the VPC if asked. */
  private addSecurityGroup(lb: AppServiceProps["loadBalancer"]): ManagedSecurityGroup {
    const { service } = this.props;
    const group = new ManagedSecurityGroup(this, "sg", {
      groupName: this.props.naming.name("securityGroup", this.node.id),
      vpcId: this.props.vpcId,
      description: lb ? `${this.prefixedName}: port ${service.port} from the ${lb.type.toUpperCase()} only` : `${this.prefixedName}: no inbound traffic`,
    });
    if (lb) {
      group.allowFrom({ name: lb.type, securityGroupId: lb.securityGroupId }, service.port, `App port from the ${lb.type.toUpperCase()} (traffic and health checks)`);
    }
    if (service.sshFromVpc) {
      group.allowFrom({ name: "vpc", cidrBlocks: [this.props.vpcCidr] }, 22, "SSH from inside the VPC");
    }
    return group;
  }

  /** The instance role and profile: Session Manager, the service's grants, certificate metrics. */
  private addInstanceRole(): ServiceRole {
    const props = this.props;
    const role = new ServiceRole(this, "instance", {
      roleName: props.naming.name("iamRole", this.node.id),
      service: "ec2.amazonaws.com",
      partition: partitionOf(props.region),
      description: `Instances of ${this.prefixedName}`,
      managedPolicies: ["AmazonSSMManagedInstanceCore"],
      instanceProfile: true,
    });
    this.grant(role, new ArnBuilder(props.region, props.accountId), props.service, props.resources ?? {});
    if (props.certificateMetrics) {
      role.addToPolicy(...metricsPut("PutCertificateMetrics", props.certificateMetrics.namespace));
    }
    return role;
  }

  /** Warnings: an installer without a checksum, schedules whose sizes the next apply undoes. */
  private warnOfDrift(): void {
    const app = this.service.app;
    if (app.type === "script" && !app.installerSha256) {
      Annotations.of(this).addWarning(`${this.prefixedName}: the installer ${app.installerUrl} runs as root at boot without a checksum; set app.installerSha256 to pin it.`);
    }
    for (const [key, schedule] of Object.entries(this.service.schedules)) {
      if (schedule.minSize !== undefined || schedule.maxSize !== undefined) {
        Annotations.of(this).addWarning(
          `${this.prefixedName}: schedule "${key}" changes minSize/maxSize, which the next apply sets back to the configured values; schedule desiredCapacity only to avoid that drift.`,
        );
      }
    }
  }

  /** One group (one color of a blue-green pair, or the only one) and its launch template, scaling and alarm. */
  private addFleet(lb: AppServiceProps["loadBalancer"], color: Color | undefined): Fleet {
    const { props, service } = this;
    const name = this.node.id;
    const scope = color ? new Construct(this, color) : this;
    const fleetName = groupName(props.naming, name, color);
    const tgKey: TargetGroupKey = color && service.blueGreen?.mode === "weighted" ? color : "default";
    const targetGroup = lb?.targetGroup(tgKey);
    return new Fleet(scope, {
      settings: service,
      name: fleetName,
      description: `${this.prefixedName}${color ? ` (${color})` : ""}`,
      instanceProfileArn: this.role.instanceProfile!.arn,
      securityGroupIds: [this.securityGroup.id],
      subnetIds: props.subnetIds,
      bootScript: bootScript(this.bootSpec(name, props, `/aws/ec2/${this.prefixedName}`, color)),
      ...capacityOf(service, color),
      tags: { ...props.tags, Name: fleetName, Service: name, ...(color ? { Color: color } : {}) },
      targetGroupArn: targetGroup?.arn,
      requestCountResourceLabel: lb && targetGroup ? `${lb.arnSuffix}/${targetGroup.arnSuffix}` : undefined,
      alarmTopicArn: props.compute.alarmTopicArn,
      account: { partition: partitionOf(props.region), id: props.accountId },
    });
  }

  /** The groups' names, blue before green. */
  public get groupNames(): string[] {
    return Object.values(this.fleets).map((f) => f!.group.name);
  }

  /**
   * Grants the instance role what the service's settings ask for, each as its own
   * statement: through the project's resources where the name is one of theirs (so the
   * grant carries the resource's ARN and its KMS key), by ARNs built from names otherwise.
   */
  private grant(role: ServiceRole, arns: ArnBuilder, service: ServiceConfig, resources: ServiceResources): void {
    const app = service.app;
    const g = service.grants;
    role.addToPolicy(...logsWrite("WriteAppLogs", [this.logGroup.arn]));
    role.addToPolicy(...metricsPut("PutAgentMetrics", "CWAgent"));

    // Images.
    const repositoryNames = unique([...(app.type === "container" && !app.registryAccountId ? [app.repository] : []), ...g.ecrRepositories]);
    const ownRepositories = (resources.repositories ?? []).filter((r) => repositoryNames.includes(r.repositoryName));
    ownRepositories.forEach((r, i) => r.grantPull(role, ownRepositories.length === 1 ? "PullImages" : `PullImages${i + 1}`));
    const externalRepositories = [
      ...(app.type === "container" && app.registryAccountId ? [arns.ecrRepository(app.repository, app.registryAccountId)] : []),
      ...repositoryNames.filter((n) => !ownRepositories.some((r) => r.repositoryName === n)).map((n) => arns.ecrRepository(n)),
    ];
    if (externalRepositories.length > 0) role.addToPolicy(...ecrPull("PullExternalImages", unique(externalRepositories)));

    // Secrets: the store's by name or by its prefix (`joblet/*`), others by ARN.
    const store = resources.secrets;
    const isStorePrefix = (name: string) => store !== undefined && name === `${store.prefix}*`;
    const writes = g.secrets.filter((s) => s.access === "read_write").map((s) => s.name);
    const reads = unique([...(app.type === "container" ? app.secrets : []), ...g.secrets.map((s) => s.name)]).filter((n) => !writes.includes(n));
    if (store) {
      if (writes.some(isStorePrefix)) store.grantWritePrefix(role, "WriteSecretsByPrefix");
      else if (reads.some(isStorePrefix)) store.grantReadPrefix(role, "ReadSecretsByPrefix");
      const ownWrites = writes.filter((n) => store.has(n));
      if (ownWrites.length > 0) store.grantWrite(role, ownWrites, "WriteSecrets");
      const ownReads = reads.filter((n) => store.has(n));
      if (ownReads.length > 0) store.grantRead(role, ownReads, "ReadSecrets");
    }
    const isOwn = (n: string) => isStorePrefix(n) || (store?.has(n) ?? false);
    const externalReads = reads.filter((n) => !isOwn(n));
    const externalWrites = writes.filter((n) => !isOwn(n));
    if (externalReads.length > 0) role.addToPolicy(...secretsRead("ReadExternalSecrets", externalReads.map((s) => arns.secret(s))));
    if (externalWrites.length > 0) role.addToPolicy(...secretsWrite("WriteExternalSecrets", externalWrites.map((s) => arns.secret(s)), true));
    if (g.kmsKeyArns.length > 0) role.addToPolicy(...kmsDecryptVia("DecryptExternalSecrets", g.kmsKeyArns, arns.secretsManagerService));

    // Tables, buckets and queues, by the access asked for.
    const named = (items: readonly { name: string; access: string }[], access: string) => items.filter((i) => i.access === access).map((i) => i.name);
    for (const access of ["read", "read_write"] as const) {
      const sidPart = access === "read" ? "Read" : "ReadWrite";
      const write = access === "read_write";
      grantByName(named(g.dynamodbTables, access), resources.tables, (t) => t.tableName, `${sidPart}Table`, (t, sid) => (write ? t.grantReadWrite(role, sid) : t.grantRead(role, sid)), (others) =>
        role.addToPolicy(...dynamodbAccess(`${sidPart}ExternalTables`, others.map((n) => arns.dynamodbTable(n)), write)),
      );
      grantByName(named(g.s3Buckets, access), resources.buckets, (b) => b.bucketName, `${sidPart}Bucket`, (b, sid) => (write ? b.grantReadWrite(role, sid) : b.grantRead(role, sid)), (others) =>
        role.addToPolicy(...s3Access(`${sidPart}ExternalBuckets`, others.map((n) => arns.s3Bucket(n)), write)),
      );
    }
    for (const access of ["send", "consume"] as const) {
      const sidPart = access === "send" ? "Send" : "Consume";
      const consume = access === "consume";
      grantByName(named(g.sqsQueues, access), resources.queues, (q) => q.queueName, `${sidPart}Queue`, (q, sid) => (consume ? q.grantConsume(role, sid) : q.grantSend(role, sid)), (others) =>
        role.addToPolicy(...sqsAccess(`${sidPart}ExternalQueues`, others.map((n) => arns.sqsQueue(n)), consume)),
      );
    }

    // Log groups the app makes itself (Joblet's under /joblet), and its own metrics.
    if (g.logGroups.length > 0) role.addToPolicy(...logsCreateAndWrite("OwnLogGroups", unique(g.logGroups).map((n) => arns.logGroup(n))));
    if (g.metricNamespaces.length > 0) role.addToPolicy(...metricsPut("PutAppMetrics", unique(g.metricNamespaces)));
    if (g.metricReads) role.addToPolicy(...metricsRead("ReadMetrics"));
  }

  private bootSpec(name: string, props: AppServiceProps, logGroup: string, color?: Color): BootSpec {
    const service = props.service;
    const app = service.app;
    const own = color && service.blueGreen ? service.blueGreen[color] : undefined;
    const environment = { ...app.environment, ...(own?.environment ?? {}) };
    if (app.type === "script") {
      return {
        kind: "script",
        service: name,
        color,
        region: props.region,
        logGroup,
        installerUrl: app.installerUrl,
        installerSha256: app.installerSha256,
        firstBoot: app.firstBoot,
        systemdUnit: app.systemdUnit,
        environment,
        certificateMetrics: props.certificateMetrics,
      };
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
      privateIpIn: app.privateIpIn,
      secrets: app.secrets,
      command: app.command,
      certificateMetrics: props.certificateMetrics,
      databaseParameter: app.database ? databaseParameterName(props.naming) : undefined,
    };
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * Grants what `names` names: each of the project's own resources of that name through the
 * resource itself (`grantOwn`, Sids `<sid>1`, `<sid>2`, ...), which knows its ARN; the other
 * names, resources outside the project, by ARNs built from them (`grantExternal`).
 */
function grantByName<R>(
  names: readonly string[],
  own: readonly R[] | undefined,
  nameOf: (resource: R) => string,
  sid: string,
  grantOwn: (resource: R, sid: string) => void,
  grantExternal: (names: string[]) => void,
): void {
  const wanted = unique(names);
  const mine = (own ?? []).filter((r) => wanted.includes(nameOf(r)));
  mine.forEach((r, i) => grantOwn(r, `${sid}${i + 1}`));
  const others = wanted.filter((n) => !mine.some((r) => nameOf(r) === n));
  if (others.length > 0) grantExternal(others);
}
