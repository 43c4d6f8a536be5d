import { Construct } from "constructs";
import { Fn } from "cdktf";
import { FINAL_SNAPSHOT_ATTRIBUTE, finalSnapshotIdentifier } from "../../lib/final-snapshot";
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
import { isLogRetention } from "../../lib/log-retention";
import { GP3_MAX_GIB, type RdsConfig } from "./settings";
import { Naming } from "../../lib/naming";
import { IGrantable } from "../iam/service-role";
import { ManagedSecurityGroup, Peer } from "../networking/security-group";
import { performanceInsightsSupported, RDS_ENGINE_TRAITS, RdsEngine, rdsEngineVersion, rdsLogExports } from "./engines";

/** The enhanced monitoring intervals RDS accepts, in seconds; 0 turns it off. */
export const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60] as const;
export type MonitoringInterval = (typeof MONITORING_INTERVALS)[number];

/**
 * A database's settings, parsed: the `rds` settings of a system, whose schema
 * (./settings.ts) declares each one's default and documentation once.
 */
export type DatabaseSettings = RdsConfig;

export interface DatabaseProps {
  /** Names: `<project>-<environment>-<name>` for the instance, its groups and its role. */
  readonly naming: Naming;
  /** The region, for the partition of managed policy ARNs and the `rds-db` ARNs of IAM grants. */
  readonly region: string;
  /** The VPC of the security group. */
  readonly vpcId: string;
  /** The subnets of the DB subnet group: the isolated subnets, at least two AZs. */
  readonly subnetIds: readonly string[];
  /**
   * AWS-side deletion protection and Terraform `prevent_destroy` on the primary; automated
   * backups are kept after deletion when on.
   */
  readonly deletionProtection: boolean;
  /** Engine, version, class, storage, backups, monitoring, logs, replicas. */
  readonly settings: DatabaseSettings;
  /** The part of the names after the prefix. @default the engine, e.g. "postgres" */
  readonly name?: string;
  /** @default the engine's port (5432 or 3306) */
  readonly port?: number;
  /** A role for enhanced monitoring. @default one is created when monitoring is on */
  readonly monitoringRoleArn?: string;
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
 * without TLS (unless `requireTls` is false); IAM database authentication; automatic minor version upgrades; tags
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

  private readonly props: DatabaseProps;
  /** The part of the names after the prefix, and the primary's identifier. */
  private readonly baseName: string;
  private readonly identifier: string;
  private readonly logGroupsByName: Record<string, CloudwatchLogGroup> = {};
  /** The parameter group's parameters, and the logs they have the engine write (exported, each in its group). */
  private readonly parameters: Readonly<Record<string, DbParameter>>;
  private readonly logExports: readonly string[];

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    validateDatabaseSettings(props.settings, { subnetIds: props.subnetIds, name: props.name });
    this.props = props;
    this.engine = props.settings.engine;
    this.port = props.port ?? RDS_ENGINE_TRAITS[this.engine].port;
    this.region = props.region;
    this.kmsKeyArn = props.settings.kmsKeyArn;
    this.baseName = props.name ?? this.engine;
    this.identifier = props.naming.name("dbInstance", this.baseName);
    this.parameters = parametersOf(props.settings);
    this.logExports = rdsLogExports(this.engine, this.parameters);

    this.subnetGroup = this.addSubnetGroup();
    this.securityGroup = this.addSecurityGroup();
    this.parameterGroup = this.addParameterGroup();
    this.monitoringRole = this.addMonitoringRole();
    const common = this.commonSettings();
    this.instance = this.addPrimary(common);
    this.replicas = this.addReadReplicas(common);
    this.logGroups = this.logGroupsByName;
  }

  private addSubnetGroup(): DbSubnetGroup {
    const name = this.props.naming.name("dbSubnetGroup", this.baseName);
    return new DbSubnetGroup(this, "subnet_group", { name, description: `Isolated subnets of ${this.identifier}`, subnetIds: [...this.props.subnetIds], tags: { Name: name } });
  }

  private addSecurityGroup(): ManagedSecurityGroup {
    return new ManagedSecurityGroup(this, "sg", {
      groupName: this.props.naming.name("securityGroup", this.baseName, "db"),
      vpcId: this.props.vpcId,
      description: `${this.identifier}: the ${this.engine} port, only from the application security groups`,
      // A database initiates no connections.
      allowAllOutbound: false,
    });
  }

  private addParameterGroup(): DbParameterGroup {
    const family = rdsEngineVersion(this.engine, this.props.settings.engineVersion).family;
    const parameters = this.parameters;
    return new DbParameterGroup(this, "parameter_group", {
      name: this.props.naming.name("dbParameterGroup", this.baseName, family.replace(/\./g, "-")),
      family,
      description: `${this.identifier}: ${this.props.settings.requireTls ? "TLS required" : "TLS not required"}`,
      parameter: Object.keys(parameters)
        .sort()
        .map((name) => ({ name, ...parameters[name] })),
      // A new family (major upgrade) creates the new group before the old one is dropped. The
      // description is set at creation only: changing it would replace the group under its own
      // name, which the new group cannot take while the old one exists.
      lifecycle: { createBeforeDestroy: true, ignoreChanges: ["description"] },
    });
  }

  /** The enhanced monitoring role, unless monitoring is off or a role is given. */
  private addMonitoringRole(): IamRole | undefined {
    if (this.props.settings.monitoringInterval === 0 || this.props.monitoringRoleArn) return undefined;
    const role = new IamRole(this, "monitoring_role", {
      name: this.props.naming.name("iamRole", this.baseName, "rds-monitoring"),
      description: `Lets RDS enhanced monitoring of ${this.identifier} write to CloudWatch Logs`,
      assumeRolePolicy: assumeRolePolicy("monitoring.rds.amazonaws.com"),
    });
    new IamRolePolicyAttachment(this, "monitoring_policy", {
      role: role.name,
      policyArn: `arn:${partitionOf(this.region)}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
    });
    return role;
  }

  /** What the primary and its replicas share: class, storage, network, monitoring, logs, TLS CA. */
  private commonSettings() {
    const settings = this.props.settings;
    const pi = settings.performanceInsights;
    const monitoringInterval = settings.monitoringInterval;
    return {
      instanceClass: settings.instanceClass,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: settings.kmsKeyArn,
      maxAllocatedStorage: settings.maxAllocatedStorage ?? defaultMaxAllocatedStorage(settings.allocatedStorage),
      port: this.port,
      vpcSecurityGroupIds: [this.securityGroup.id],
      publiclyAccessible: false,
      parameterGroupName: this.parameterGroup.name,
      enabledCloudwatchLogsExports: [...this.logExports],
      monitoringInterval,
      monitoringRoleArn: monitoringInterval > 0 ? (this.props.monitoringRoleArn ?? this.monitoringRole!.arn) : undefined,
      performanceInsightsEnabled: pi.enabled,
      performanceInsightsRetentionPeriod: pi.enabled ? pi.retentionDays : undefined,
      performanceInsightsKmsKeyId: pi.enabled ? settings.kmsKeyArn : undefined,
      iamDatabaseAuthenticationEnabled: settings.iamAuthentication,
      autoMinorVersionUpgrade: true,
      // Left out when false, the provider's default: not computed, so a removed true is false again.
      applyImmediately: settings.applyImmediately || undefined,
      copyTagsToSnapshot: true,
      caCertIdentifier: this.props.caCertIdentifier ?? "rds-ca-rsa2048-g1",
      deletionProtection: this.props.deletionProtection,
    };
  }

  /** The primary: backups, a final snapshot, the managed master password, `prevent_destroy`. */
  private addPrimary(common: ReturnType<Database["commonSettings"]>): DbInstance {
    const settings = this.props.settings;
    const deletionProtection = this.props.deletionProtection;
    return new DbInstance(this, "instance", {
      ...common,
      identifier: this.identifier,
      engine: this.engine,
      engineVersion: settings.engineVersion,
      // RDS refuses a new major version without it. Synth only takes majors from the typed list
      // (./engines.ts), and the support calendar forces an upgrade once a version leaves standard
      // support, so a change of engineVersion is always one to carry out. Replicas need none: they
      // set no engine_version, and the provider sends the flag only with a change of it.
      allowMajorVersionUpgrade: true,
      allocatedStorage: settings.allocatedStorage,
      multiAz: settings.multiAz,
      dbName: settings.databaseName,
      username: settings.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: settings.kmsKeyArn,
      dbSubnetGroupName: this.subnetGroup.name,
      backupRetentionPeriod: settings.backupRetentionDays,
      backupWindow: settings.backupWindow,
      maintenanceWindow: settings.maintenanceWindow,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: finalSnapshotIdentifier(this.identifier),
      deleteAutomatedBackups: !deletionProtection,
      tags: { Name: this.identifier },
      dependsOn: this.addLogGroups(this.identifier, ""),
      lifecycle: { preventDestroy: deletionProtection, ignoreChanges: [FINAL_SNAPSHOT_ATTRIBUTE] },
    });
  }

  /** Read replicas of the primary, each with its own log groups. */
  private addReadReplicas(common: ReturnType<Database["commonSettings"]>): Record<string, DbInstance> {
    const settings = this.props.settings;
    return Object.fromEntries(
      Object.entries(settings.readReplicas).map(([replicaName, replica]) => {
        const replicaId = this.props.naming.name("dbInstance", this.baseName, replicaName);
        const instance = new DbInstance(this, `replica_${replicaName}`, {
          ...common,
          identifier: replicaId,
          instanceClass: replica.instanceClass ?? settings.instanceClass,
          replicateSourceDb: this.instance.identifier,
          multiAz: false,
          backupRetentionPeriod: 0,
          maintenanceWindow: settings.maintenanceWindow,
          // A replica is rebuilt from the primary; it holds nothing a snapshot would keep.
          skipFinalSnapshot: true,
          tags: { Name: replicaId, Role: "read-replica" },
          dependsOn: this.addLogGroups(replicaId, `replica_${replicaName}_`),
        });
        return [replicaName, instance];
      }),
    );
  }

  /** The log groups of an instance's exported logs. RDS would create them itself, with no retention: they come first. */
  private addLogGroups(instanceId: string, prefix: string): CloudwatchLogGroup[] {
    return this.logExports.map((log) => {
      const group = new CloudwatchLogGroup(this, `${prefix}log_${log}`, {
        name: `/aws/rds/instance/${instanceId}/${log}`,
        retentionInDays: this.props.settings.logRetentionInDays,
      });
      this.logGroupsByName[`${prefix}${log}`] = group;
      return group;
    });
  }

  private connectionParameter?: SsmParameter;

  /** The ARN of the Secrets Manager secret holding the master user's credentials (created by RDS). */
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

/**
 * Parameters every instance of an engine gets (before the caller's): MySQL's slow query log on,
 * to a file for CloudWatch. Its general log (every statement) stays off unless the settings'
 * parameters set `general_log` to 1; only the logs the engine writes are exported (rdsLogExports).
 */
function engineDefaults(engine: RdsEngine): Record<string, string> {
  return engine === "mysql" ? { slow_query_log: "1", log_output: "FILE" } : {};
}

/** A DB parameter's value, and how RDS applies it: the provider's default (`immediate`) when not given. */
interface DbParameter {
  readonly value: string;
  readonly applyMethod?: "immediate" | "pending-reboot";
}

/**
 * The engine's defaults, the settings' parameters, and the TLS parameter, which follows
 * `requireTls` only. The TLS parameter is left out where the engine's default already has the
 * wanted value: RDS keeps a parameter set to its default as a default, which it reports as
 * applied `pending-reboot`, so the provider would plan to set it again after every apply.
 */
function parametersOf(settings: DatabaseSettings): Record<string, DbParameter> {
  const tls = RDS_ENGINE_TRAITS[settings.engine].tlsParameter;
  const wanted = settings.requireTls ? tls.value : "0";
  const tlsParameter = tls.defaultIn(settings.engineVersion) === wanted ? {} : { [tls.name]: wanted };
  const values: Record<string, string | DbParameter> = { ...engineDefaults(settings.engine), ...settings.parameters, ...tlsParameter };
  return Object.fromEntries(Object.entries(values).map(([name, p]) => [name, typeof p === "string" ? { value: p } : p]));
}

function peerLabel(peer: Peer): string {
  return peer instanceof ManagedSecurityGroup ? peer.node.id : peer.name;
}

/**
 * The lowest storage autoscaling ceiling RDS accepts: 10 % above the allocated storage, rounded
 * up. CreateDBInstance refuses a ceiling equal to the allocation ("Max storage size must be
 * greater than storage size") and one less than 10 % above it ("The maximum allocated storage
 * must be increased by at least 10 percent").
 */
export function lowestMaxAllocatedStorage(allocated: number): number {
  return Math.ceil((allocated * 11) / 10);
}

/**
 * The storage autoscaling ceiling when none is set: 100 GiB, or the lowest RDS accepts when that
 * is larger; 0 (autoscaling off) where that would pass gp3's largest volume.
 */
export function defaultMaxAllocatedStorage(allocated: number): number {
  const ceiling = Math.max(100, lowestMaxAllocatedStorage(allocated));
  return ceiling > GP3_MAX_GIB ? 0 : ceiling;
}

/**
 * Checks a database's settings, as the constructor does; config validation calls it too,
 * so a bad setting fails before any stack is built. Throws a ConfigError keyed by the
 * setting's name, or ConfigErrors listing every problem when there are several.
 */
export function validateDatabaseSettings(p: DatabaseSettings, wiring: { readonly subnetIds: readonly string[]; readonly name?: string }): void {
  const problems = new Problems();
  problems.check(() => rdsEngineVersion(p.engine, p.engineVersion));
  const instanceClassValid = /^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(p.instanceClass);
  if (!instanceClassValid) {
    problems.add(new ConfigError("instanceClass", p.instanceClass, "is not an RDS instance class", 'use e.g. "db.t3.medium" or "db.r6g.large"'));
  }
  if (!Number.isInteger(p.allocatedStorage) || p.allocatedStorage < 20 || p.allocatedStorage > GP3_MAX_GIB) {
    problems.add(new ConfigError("allocatedStorage", p.allocatedStorage, `must be a whole number of GiB from 20 to ${GP3_MAX_GIB} (gp3)`, "use e.g. 20"));
  } else if (p.maxAllocatedStorage !== undefined && p.maxAllocatedStorage !== 0) {
    // The ceiling is checked against a valid allocation only; the default is always valid.
    const lowest = lowestMaxAllocatedStorage(p.allocatedStorage);
    const max = p.maxAllocatedStorage;
    if (!Number.isInteger(max) || max < lowest || max > GP3_MAX_GIB) {
      const fix = lowest > GP3_MAX_GIB ? `use 0 (storage autoscaling off): 10 % above ${p.allocatedStorage} GiB passes gp3's ${GP3_MAX_GIB}` : `use at least ${lowest}, or 0 to turn storage autoscaling off`;
      problems.add(
        new ConfigError("maxAllocatedStorage", max, `must be a whole number of GiB from 10 % above allocatedStorage (${p.allocatedStorage}), rounded up, to ${GP3_MAX_GIB}: RDS refuses a lower ceiling at create`, fix),
      );
    }
  }
  if (!Number.isInteger(p.backupRetentionDays) || p.backupRetentionDays < 0 || p.backupRetentionDays > 35) {
    problems.add(new ConfigError("backupRetentionDays", p.backupRetentionDays, "must be a whole number of days from 0 to 35 (RDS's limit)", "use e.g. 7; 0 turns automated backups off"));
  }
  if (!(MONITORING_INTERVALS as readonly number[]).includes(p.monitoringInterval)) {
    problems.add(new ConfigError("monitoringInterval", p.monitoringInterval, "is not an enhanced monitoring interval", `use one of ${MONITORING_INTERVALS.join(", ")} (0 turns it off)`));
  }
  if (instanceClassValid && p.performanceInsights.enabled && !performanceInsightsSupported(p.engine, p.instanceClass)) {
    problems.add(
      new ConfigError(
        "performanceInsights.enabled",
        true,
        `is not available for ${p.engine} on ${p.instanceClass}`,
        "use db.t3.medium or larger, or set performanceInsights.enabled to false",
      ),
    );
  }
  const r = p.performanceInsights.retentionDays;
  if (p.performanceInsights.enabled && !(r === 7 || r === 731 || (Number.isInteger(r) && r % 31 === 0 && r >= 31 && r <= 713))) {
    problems.add(new ConfigError("performanceInsights.retentionDays", r, "is not a Performance Insights retention period", "use 7, a multiple of 31 up to 713, or 731"));
  }
  if (Object.keys(p.readReplicas).length > 0 && p.backupRetentionDays === 0) {
    problems.add(new ConfigError("readReplicas", Object.keys(p.readReplicas), "need automated backups on the primary", "set backupRetentionDays to 1 or more, or remove the replicas"));
  }
  for (const name of Object.keys(p.readReplicas)) {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
      problems.add(new ConfigError(`readReplicas.${name}`, name, "is not a usable replica name", "use lower case letters, digits and single hyphens, starting with a letter"));
    }
  }
  const tls = RDS_ENGINE_TRAITS[p.engine].tlsParameter.name;
  if (tls in p.parameters) {
    problems.add(new ConfigError(`parameters.${tls}`, p.parameters[tls], "is the TLS parameter, which requireTls sets", `remove parameters.${tls}; set requireTls (default true)`));
  }
  if (!isLogRetention(p.logRetentionInDays)) {
    problems.add(new ConfigError("logRetentionInDays", p.logRetentionInDays, "is not a CloudWatch Logs retention period", "use e.g. 30, 90 or 365"));
  }
  if (wiring.subnetIds.length < 2) {
    problems.add(new ConfigError("subnetIds", wiring.subnetIds.length, "a DB subnet group needs subnets in at least two AZs", "give the isolated subnets of two or more AZs"));
  }
  checkNames(p, wiring, problems);
  problems.throwIfAny();
}

/** Master user names RDS keeps for itself, on every engine. */
const RDS_RESERVED_USERS: readonly string[] = ["rdsadmin", "rdsrepladmin", "rds_superuser"];

/** The master user, database and name part: names RDS and the engine accept. */
function checkNames(p: DatabaseSettings, wiring: { readonly name?: string }, problems: Problems): void {
  const user = p.masterUsername;
  const maxUser = p.engine === "mysql" ? 32 : 63;
  // RDS refuses its own names; PostgreSQL also `admin` ("a reserved word used by the engine")
  // and roles starting `pg_`, which the engine reserves.
  const reserved = p.engine === "postgres" ? [...RDS_RESERVED_USERS, "admin"] : RDS_RESERVED_USERS;
  const engineReserved = p.engine === "postgres" && user.toLowerCase().startsWith("pg_");
  if (!new RegExp(`^[A-Za-z][A-Za-z0-9_]{0,${maxUser - 1}}$`).test(user) || reserved.includes(user.toLowerCase()) || engineReserved) {
    const prefix = p.engine === "postgres" ? ", nor starting with pg_" : "";
    problems.add(new ConfigError("masterUsername", user, `is not a usable ${p.engine} master user name`, `use 1-${maxUser} letters, digits and underscores, starting with a letter; not one ${p.engine} on RDS reserves (${reserved.join(", ")})${prefix}`));
  }
  if (p.databaseName !== undefined && !/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(p.databaseName)) {
    problems.add(new ConfigError("databaseName", p.databaseName, "is not a usable database name", "use 1-63 letters, digits and underscores, starting with a letter"));
  }
  if (wiring.name !== undefined && !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(wiring.name)) {
    problems.add(new ConfigError("name", wiring.name, "is not a usable name part", "use lower case letters, digits and single hyphens, starting with a letter"));
  }
}
