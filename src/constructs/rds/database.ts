import { Construct } from "constructs";
import { Fn } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { ConfigError, Problems } from "../../lib/errors";
import { partitionOf } from "../../lib/regions";
import { kmsDecryptVia, secretsRead } from "../../lib/grants";
import { assumeRolePolicy } from "../../lib/iam";
import { isLogRetention, LogRetentionDays } from "../../lib/log-retention";
import { Naming } from "../../lib/naming";
import { IGrantable } from "../iam/service-role";
import { ManagedSecurityGroup, Peer } from "../networking/security-group";
import { performanceInsightsSupported, RDS_ENGINE_TRAITS, RdsEngine, rdsEngineVersion } from "./engines";

/** The enhanced monitoring intervals RDS accepts, in seconds; 0 turns it off. */
export const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60] as const;
export type MonitoringInterval = (typeof MONITORING_INTERVALS)[number];

export interface DatabaseReplicaProps {
  /** @default the primary's instance class */
  readonly instanceClass?: string;
}

export interface DatabasePerformanceInsightsProps {
  /** @default true */
  readonly enabled?: boolean;
  /** Days to keep Performance Insights data: 7 (free), a multiple of 31 up to 713, or 731. @default 7 */
  readonly retentionDays?: number;
}

export interface DatabaseProps {
  /** Names: `<project>-<environment>-<name>` for the instance, its groups and its role. */
  readonly naming: Naming;
  /** The region, for the partition of managed policy ARNs and the `rds-db` ARNs of IAM grants. */
  readonly region: string;
  /** The part of the names after the prefix. @default the engine, e.g. "postgres" */
  readonly name?: string;
  readonly engine: RdsEngine;
  /** A major version from {@link RDS_ENGINE_VERSIONS}, e.g. "15" or "8.4". */
  readonly engineVersion: string;
  /** @default "db.t3.medium" */
  readonly instanceClass?: string;
  /** Initial gp3 storage in GiB (20-65536). @default 20 */
  readonly allocatedStorage?: number;
  /** Storage autoscaling ceiling in GiB; at least `allocatedStorage`. @default 100 */
  readonly maxAllocatedStorage?: number;
  /** A standby in a second AZ. @default true */
  readonly multiAz?: boolean;
  /** The database created with the instance. @default none */
  readonly databaseName?: string;
  /** The master user; its password is generated and kept by RDS in Secrets Manager. @default "dbadmin" */
  readonly masterUsername?: string;
  /** @default the engine's port (5432 or 3306) */
  readonly port?: number;
  /** The VPC of the security group. */
  readonly vpcId: string;
  /** The subnets of the DB subnet group: the isolated subnets, at least two AZs. */
  readonly subnetIds: readonly string[];
  /** Days of automated backups, 0-35 (0 turns backups off). @default 7 */
  readonly backupRetentionDays?: number;
  /** Daily backup window, UTC. @default "03:00-04:00" */
  readonly backupWindow?: string;
  /** Weekly maintenance window, UTC. @default "sun:04:30-sun:05:30" */
  readonly maintenanceWindow?: string;
  /**
   * AWS-side deletion protection and Terraform `prevent_destroy` on the primary; automated
   * backups are kept after deletion when on.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /** Enhanced monitoring interval in seconds. @default 60 */
  readonly monitoringInterval?: MonitoringInterval;
  /** A role for enhanced monitoring. @default one is created when monitoring is on */
  readonly monitoringRoleArn?: string;
  /** @default enabled, 7 days */
  readonly performanceInsights?: DatabasePerformanceInsightsProps;
  /** Days to keep the exported logs in CloudWatch Logs. @default 90 */
  readonly logRetentionInDays?: LogRetentionDays;
  /** Extra DB parameters; the TLS parameter cannot be turned off. @default {} */
  readonly parameters?: Readonly<Record<string, string>>;
  /** IAM database authentication. @default true */
  readonly iamAuthentication?: boolean;
  /** A customer managed KMS key for storage, the master secret and Performance Insights. @default the AWS managed keys */
  readonly kmsKeyArn?: string;
  /** Read replicas, by name. @default none */
  readonly readReplicas?: Readonly<Record<string, DatabaseReplicaProps>>;
  /** The server certificate authority. @default "rds-ca-rsa2048-g1" */
  readonly caCertIdentifier?: string;
}

/**
 * An RDS instance (PostgreSQL or MySQL) that is private and hard to lose by construction:
 * in a DB subnet group over the isolated subnets, never publicly accessible, behind its
 * own security group that opens the DB port only to the peers named with
 * {@link allowFrom}; encrypted gp3 storage with autoscaling; a master password that RDS
 * generates and keeps in Secrets Manager (`manage_master_user_password`), never in
 * config, JSON or state; automated backups, a final snapshot, deletion protection and
 * `prevent_destroy`; enhanced monitoring, Performance Insights, the engine's logs in
 * CloudWatch Logs with a finite retention; a parameter group that refuses connections
 * without TLS; IAM database authentication; automatic minor version upgrades; tags
 * copied to snapshots. Optional read replicas share the security group and parameters.
 */
export class Database extends Construct {
  public readonly instance: DbInstance;
  public readonly replicas: Readonly<Record<string, DbInstance>>;
  public readonly securityGroup: ManagedSecurityGroup;
  public readonly subnetGroup: DbSubnetGroup;
  public readonly parameterGroup: DbParameterGroup;
  public readonly monitoringRole?: IamRole;
  public readonly logGroups: Readonly<Record<string, CloudwatchLogGroup>>;
  public readonly engine: RdsEngine;
  public readonly port: number;
  private readonly region: string;
  private readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const engine = props.engine;
    const versionInfo = rdsEngineVersion(engine, props.engineVersion);
    const traits = RDS_ENGINE_TRAITS[engine];
    const instanceClass = props.instanceClass ?? "db.t3.medium";
    const allocated = props.allocatedStorage ?? 20;
    const maxAllocated = props.maxAllocatedStorage ?? defaultMaxAllocatedStorage(allocated);
    const backupRetention = props.backupRetentionDays ?? 7;
    const deletionProtection = props.deletionProtection ?? true;
    const monitoringInterval = props.monitoringInterval ?? 60;
    const pi = { enabled: props.performanceInsights?.enabled ?? true, retentionDays: props.performanceInsights?.retentionDays ?? 7 };
    const replicas = props.readReplicas ?? {};
    const retention = props.logRetentionInDays ?? 90;
    validateDatabaseSettings({ ...props, instanceClass, allocated, maxAllocated, backupRetention, monitoringInterval, pi, replicas, retention });

    this.engine = engine;
    this.port = props.port ?? traits.port;
    this.region = props.region;
    this.kmsKeyArn = props.kmsKeyArn;
    const partition = partitionOf(props.region);
    const baseName = props.name ?? engine;
    const identifier = props.naming.name("dbInstance", baseName);

    this.subnetGroup = new DbSubnetGroup(this, "subnet_group", {
      name: props.naming.name("dbSubnetGroup", baseName),
      description: `Isolated subnets of ${identifier}`,
      subnetIds: [...props.subnetIds],
      tags: { Name: props.naming.name("dbSubnetGroup", baseName) },
    });

    this.securityGroup = new ManagedSecurityGroup(this, "sg", {
      groupName: props.naming.name("securityGroup", baseName, "db"),
      vpcId: props.vpcId,
      description: `${identifier}: the ${engine} port, only from the application security groups`,
      // A database initiates no connections.
      allowAllOutbound: false,
    });

    const parameters: Record<string, string> = { ...engineDefaults(engine), ...(props.parameters ?? {}) };
    parameters[traits.tlsParameter.name] = traits.tlsParameter.value;
    this.parameterGroup = new DbParameterGroup(this, "parameter_group", {
      name: props.naming.name("dbParameterGroup", baseName, versionInfo.family.replace(/\./g, "-")),
      family: versionInfo.family,
      description: `${identifier}: TLS required`,
      parameter: Object.keys(parameters)
        .sort()
        .map((name) => ({ name, value: parameters[name] })),
      // A new family (major upgrade) creates the new group before the old one is dropped.
      lifecycle: { createBeforeDestroy: true },
    });

    if (monitoringInterval > 0 && !props.monitoringRoleArn) {
      this.monitoringRole = new IamRole(this, "monitoring_role", {
        name: props.naming.name("iamRole", baseName, "rds-monitoring"),
        description: `Lets RDS enhanced monitoring of ${identifier} write to CloudWatch Logs`,
        assumeRolePolicy: assumeRolePolicy("monitoring.rds.amazonaws.com"),
      });
      new IamRolePolicyAttachment(this, "monitoring_policy", {
        role: this.monitoringRole.name,
        policyArn: `arn:${partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
      });
    }
    const monitoringRoleArn = monitoringInterval > 0 ? (props.monitoringRoleArn ?? this.monitoringRole!.arn) : undefined;

    // RDS would create these log groups itself, with no retention: create them first.
    const logGroups: Record<string, CloudwatchLogGroup> = {};
    const logGroupsOf = (instanceId: string, prefix: string) =>
      traits.logExports.map((log) => {
        const group = new CloudwatchLogGroup(this, `${prefix}log_${log}`, {
          name: `/aws/rds/instance/${instanceId}/${log}`,
          retentionInDays: retention,
        });
        logGroups[`${prefix}${log}`] = group;
        return group;
      });

    const common = {
      instanceClass,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      maxAllocatedStorage: maxAllocated,
      port: this.port,
      vpcSecurityGroupIds: [this.securityGroup.id],
      publiclyAccessible: false,
      parameterGroupName: this.parameterGroup.name,
      enabledCloudwatchLogsExports: [...traits.logExports],
      monitoringInterval,
      monitoringRoleArn,
      performanceInsightsEnabled: pi.enabled,
      performanceInsightsRetentionPeriod: pi.enabled ? pi.retentionDays : undefined,
      performanceInsightsKmsKeyId: pi.enabled ? props.kmsKeyArn : undefined,
      iamDatabaseAuthenticationEnabled: props.iamAuthentication ?? true,
      autoMinorVersionUpgrade: true,
      copyTagsToSnapshot: true,
      caCertIdentifier: props.caCertIdentifier ?? "rds-ca-rsa2048-g1",
      deletionProtection,
    };

    this.instance = new DbInstance(this, "instance", {
      ...common,
      identifier,
      engine,
      engineVersion: props.engineVersion,
      allocatedStorage: allocated,
      multiAz: props.multiAz ?? true,
      dbName: props.databaseName,
      username: props.masterUsername ?? "dbadmin",
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.kmsKeyArn,
      dbSubnetGroupName: this.subnetGroup.name,
      backupRetentionPeriod: backupRetention,
      backupWindow: props.backupWindow ?? "03:00-04:00",
      maintenanceWindow: props.maintenanceWindow ?? "sun:04:30-sun:05:30",
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${identifier}-final`,
      deleteAutomatedBackups: !deletionProtection,
      tags: { Name: identifier },
      dependsOn: logGroupsOf(identifier, ""),
      lifecycle: { preventDestroy: deletionProtection },
    });

    const replicaInstances: Record<string, DbInstance> = {};
    for (const [replicaName, replica] of Object.entries(replicas)) {
      const replicaId = props.naming.name("dbInstance", baseName, replicaName);
      replicaInstances[replicaName] = new DbInstance(this, `replica_${replicaName}`, {
        ...common,
        identifier: replicaId,
        instanceClass: replica.instanceClass ?? instanceClass,
        replicateSourceDb: this.instance.identifier,
        multiAz: false,
        backupRetentionPeriod: 0,
        maintenanceWindow: props.maintenanceWindow ?? "sun:04:30-sun:05:30",
        // A replica is rebuilt from the primary; it holds nothing a snapshot would keep.
        skipFinalSnapshot: true,
        tags: { Name: replicaId, Role: "read-replica" },
        dependsOn: logGroupsOf(replicaId, `replica_${replicaName}_`),
      });
    }
    this.replicas = replicaInstances;
    this.logGroups = logGroups;
  }

  /** The ARN of the Secrets Manager secret holding the master user's credentials (created by RDS). */
  private connectionParameter?: SsmParameter;

  public get masterUserSecretArn(): string {
    return this.instance.masterUserSecret.get(0).secretArn;
  }

  /** Opens the DB port to `peer` (a security group), and to nothing else. */
  public allowFrom(peer: Peer, description = `${this.engine} from ${peerLabel(peer)}`): void {
    this.securityGroup.allowFrom(peer, this.port, description);
  }

  /**
   * Publishes where the database is as an SSM parameter named `name`: a JSON object
   * `{host, port, name, secretArn}` (no credential), for clients that cannot take Terraform
   * references, such as boot scripts. {@link grantReadConnection} lets a client read it.
   */
  public publishConnection(name: string, databaseName?: string): SsmParameter {
    if (this.connectionParameter) throw new Error(`${this.node.path}: the connection is already published as ${this.connectionParameter.name}`);
    this.connectionParameter = new SsmParameter(this, "connection", {
      name,
      type: "String",
      description: "Where the database is, and the ARN of the secret RDS keeps its master credentials in",
      value: Fn.jsonencode({ host: this.instance.address, port: this.port, name: databaseName ?? "", secretArn: this.masterUserSecretArn }),
    });
    return this.connectionParameter;
  }

  /**
   * Lets `grantee` find and log in to the database: read the published connection
   * parameter (see {@link publishConnection}) and the master secret.
   */
  public grantReadConnection(grantee: IGrantable): void {
    if (!this.connectionParameter) throw new Error(`${this.node.path}: publishConnection first`);
    grantee.addToPolicy({ Sid: "ReadDatabaseConnection", Effect: "Allow", Action: "ssm:GetParameter", Resource: this.connectionParameter.arn });
    this.grantReadMasterSecret(grantee);
  }

  /** Lets `grantee` read the master user's secret (and decrypt it, with a customer key). */
  public grantReadMasterSecret(grantee: IGrantable, sid = "ReadDatabaseMasterSecret"): void {
    grantee.addToPolicy(...secretsRead(sid, [this.masterUserSecretArn]));
    if (this.kmsKeyArn) {
      grantee.addToPolicy(...kmsDecryptVia(`${sid}Key`, [this.kmsKeyArn], `secretsmanager.${this.region}.amazonaws.com`));
    }
  }

  /** Lets `grantee` connect as database user `dbUser` with IAM authentication (`rds-db:connect`). */
  public grantConnect(grantee: IGrantable, dbUser: string, sid = "ConnectToDatabase"): void {
    grantee.addToPolicy({
      Sid: sid,
      Effect: "Allow",
      Action: "rds-db:connect",
      Resource: `arn:${partitionOf(this.region)}:rds-db:${this.region}:*:dbuser:${this.instance.resourceId}/${dbUser}`,
    });
  }
}

/** Parameters every instance of an engine gets (before the caller's): the logs the exports need. */
function engineDefaults(engine: RdsEngine): Record<string, string> {
  // MySQL only writes the slow query log when asked to, and to a file for CloudWatch.
  return engine === "mysql" ? { slow_query_log: "1", log_output: "FILE" } : {};
}

function peerLabel(peer: Peer): string {
  return peer instanceof ManagedSecurityGroup ? peer.node.id : peer.name;
}

/** The storage autoscaling ceiling when none is set: 100 GiB, or the allocated storage when that is larger. */
export function defaultMaxAllocatedStorage(allocated: number): number {
  return Math.max(100, allocated);
}

/**
 * Checks a database's settings, as the constructor does; config validation calls it too,
 * so a bad setting fails before any stack is built. Throws a ConfigError keyed by prop name,
 * or ConfigErrors listing every problem when there are several.
 */
export function validateDatabaseSettings(p: {
  readonly engine: RdsEngine;
  readonly engineVersion: string;
  readonly instanceClass: string;
  readonly allocated: number;
  /** @default defaultMaxAllocatedStorage(allocated) */
  readonly maxAllocated?: number;
  readonly backupRetention: number;
  readonly monitoringInterval: number;
  readonly pi: { enabled: boolean; retentionDays: number };
  readonly replicas: Readonly<Record<string, DatabaseReplicaProps>>;
  readonly retention: number;
  readonly subnetIds: readonly string[];
  readonly masterUsername?: string;
  readonly databaseName?: string;
  readonly name?: string;
}): void {
  const problems = new Problems();
  problems.check(() => rdsEngineVersion(p.engine, p.engineVersion));
  const instanceClassValid = /^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(p.instanceClass);
  if (!instanceClassValid) {
    problems.add(new ConfigError("instanceClass", p.instanceClass, "is not an RDS instance class", 'use e.g. "db.t3.medium" or "db.r6g.large"'));
  }
  if (!Number.isInteger(p.allocated) || p.allocated < 20 || p.allocated > 65536) {
    problems.add(new ConfigError("allocatedStorage", p.allocated, "must be a whole number of GiB from 20 to 65536 (gp3)", "use e.g. 20"));
  } else {
    // The ceiling is checked against a valid allocation only.
    const maxAllocated = p.maxAllocated ?? defaultMaxAllocatedStorage(p.allocated);
    if (!Number.isInteger(maxAllocated) || maxAllocated < p.allocated || maxAllocated > 65536) {
      problems.add(new ConfigError("maxAllocatedStorage", maxAllocated, `must be a whole number of GiB from allocatedStorage (${p.allocated}) to 65536`, `use at least ${p.allocated}`));
    }
  }
  if (!Number.isInteger(p.backupRetention) || p.backupRetention < 0 || p.backupRetention > 35) {
    problems.add(new ConfigError("backupRetentionDays", p.backupRetention, "must be a whole number of days from 0 to 35 (RDS's limit)", "use e.g. 7; 0 turns automated backups off"));
  }
  if (!(MONITORING_INTERVALS as readonly number[]).includes(p.monitoringInterval)) {
    problems.add(new ConfigError("monitoringInterval", p.monitoringInterval, "is not an enhanced monitoring interval", `use one of ${MONITORING_INTERVALS.join(", ")} (0 turns it off)`));
  }
  if (instanceClassValid && p.pi.enabled && !performanceInsightsSupported(p.engine, p.instanceClass)) {
    problems.add(
      new ConfigError(
        "performanceInsights.enabled",
        true,
        `is not available for ${p.engine} on ${p.instanceClass}`,
        "use db.t3.medium or larger, or set performanceInsights.enabled to false",
      ),
    );
  }
  const r = p.pi.retentionDays;
  if (p.pi.enabled && !(r === 7 || r === 731 || (Number.isInteger(r) && r % 31 === 0 && r >= 31 && r <= 713))) {
    problems.add(new ConfigError("performanceInsights.retentionDays", r, "is not a Performance Insights retention period", "use 7, a multiple of 31 up to 713, or 731"));
  }
  if (Object.keys(p.replicas).length > 0 && p.backupRetention === 0) {
    problems.add(new ConfigError("readReplicas", Object.keys(p.replicas), "need automated backups on the primary", "set backupRetentionDays to 1 or more, or remove the replicas"));
  }
  for (const name of Object.keys(p.replicas)) {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
      problems.add(new ConfigError(`readReplicas.${name}`, name, "is not a usable replica name", "use lower case letters, digits and single hyphens, starting with a letter"));
    }
  }
  if (!isLogRetention(p.retention)) {
    problems.add(new ConfigError("logRetentionInDays", p.retention, "is not a CloudWatch Logs retention period", "use e.g. 30, 90 or 365"));
  }
  if (p.subnetIds.length < 2) {
    problems.add(new ConfigError("subnetIds", p.subnetIds.length, "a DB subnet group needs subnets in at least two AZs", "give the isolated subnets of two or more AZs"));
  }
  const user = p.masterUsername ?? "dbadmin";
  const maxUser = p.engine === "mysql" ? 32 : 63;
  if (!new RegExp(`^[A-Za-z][A-Za-z0-9_]{0,${maxUser - 1}}$`).test(user) || ["rdsadmin", "rdsrepladmin", "rds_superuser"].includes(user.toLowerCase())) {
    problems.add(new ConfigError("masterUsername", user, `is not a usable ${p.engine} master user name`, `use 1-${maxUser} letters, digits and underscores, starting with a letter; not one RDS reserves (rdsadmin, rdsrepladmin, rds_superuser)`));
  }
  if (p.databaseName !== undefined && !/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(p.databaseName)) {
    problems.add(new ConfigError("databaseName", p.databaseName, "is not a usable database name", "use 1-63 letters, digits and underscores, starting with a letter"));
  }
  if (p.name !== undefined && !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(p.name)) {
    problems.add(new ConfigError("name", p.name, "is not a usable name part", "use lower case letters, digits and single hyphens, starting with a letter"));
  }
  problems.throwIfAny();
}
