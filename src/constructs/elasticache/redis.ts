import { Construct } from "constructs";
import { DataResource, Fn, TerraformResource } from "cdktf";
import { FINAL_SNAPSHOT_ATTRIBUTE, finalSnapshotIdentifier } from "../../lib/final-snapshot";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { ElasticacheUser } from "@cdktf/provider-aws/lib/elasticache-user";
import { ElasticacheUserGroup } from "@cdktf/provider-aws/lib/elasticache-user-group";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { ConfigError, Problems } from "../../lib/errors";
import { isLogRetention } from "../../lib/log-retention";
import type { RedisConfig } from "./settings";
import { Naming } from "../../lib/naming";
import { IGrantable } from "../iam/service-role";
import { ManagedSecurityGroup, Peer } from "../networking/security-group";

/**
 * The Redis OSS versions this module builds, with their parameter group family. Redis 7
 * is the first with IAM authentication, which the module's users rely on. ElastiCache
 * takes `major.minor` for Redis 6 and later and applies patch releases itself.
 */
export const REDIS_ENGINE_VERSIONS: Readonly<Record<string, { readonly family: string }>> = {
  "7.0": { family: "redis7" },
  "7.1": { family: "redis7" },
};

/** The port of every replication group this module builds. */
export const REDIS_PORT = 6379;

/** The access string of an application user: everything but the commands Redis marks dangerous. */
export const DEFAULT_REDIS_ACCESS_STRING = "on ~* &* +@all -@dangerous";

/**
 * A generated password: 64 hex digits from two random (version 4) UUIDs, 244 random bits,
 * inside ElastiCache's 16-128 printable characters and URL-safe as it stands. `uuid()` is new
 * at every plan, so the resource holding it ignores changes to it: it is drawn once.
 */
export const GENERATED_PASSWORD_EXPRESSION = '${sensitive(replace("${uuid()}${uuid()}", "-", ""))}';

/**
 * A replication group's settings, parsed: the `redis` settings of a system, whose schema
 * (./settings.ts) declares each one's default and documentation once.
 */
export type RedisSettings = RedisConfig;

export interface RedisProps {
  /** Names: `<project>-<environment>-<name>` for the group, its subnet, parameter and user groups. */
  readonly naming: Naming;
  readonly vpcId: string;
  /** The subnets of the cache subnet group: the isolated subnets. */
  readonly subnetIds: readonly string[];
  /** Terraform `prevent_destroy` (ElastiCache has no AWS-side deletion protection). */
  readonly deletionProtection: boolean;
  /** Version, nodes, snapshots, parameters, slow log, users, key. */
  readonly settings: RedisSettings;
  /**
   * The ARN of each password user's `urlSecret`, by user name: the secret (created elsewhere, a
   * SecretStore) this construct writes the user's `rediss://` URL into. @default none
   */
  readonly urlSecretArns?: Readonly<Record<string, string>>;
  /** @default "redis" */
  readonly name?: string;
}

/**
 * An ElastiCache Redis OSS 7 replication group, private and encrypted by construction: in
 * a subnet group over the isolated subnets, behind its own security group that opens 6379
 * only to the peers named with {@link allowFrom}; encryption at rest and in transit (TLS
 * required); automatic failover and Multi-AZ when it has more than one node; daily
 * snapshots, a final snapshot and `prevent_destroy`; a parameter group; a maintenance
 * window; the slow log delivered to CloudWatch Logs.
 *
 * Authentication is Redis 7 RBAC: a user group holding a disabled `default` user and one
 * user per application user. An IAM user's clients present a short-lived token signed with
 * their IAM role's credentials ({@link grantConnect} gives a role `elasticache:Connect` on
 * the group and one user), so no password exists. A password user (for clients that can't
 * sign tokens) gets a password Terraform generates once, and its clients' `rediss://` URL is
 * written into a Secrets Manager secret they read: no password is in config or the
 * synthesized JSON; it is in Terraform state (the user's `passwords`, sensitive), the secret's
 * value is not (write-only).
 */
export class Redis extends Construct {
  public readonly replicationGroup: ElasticacheReplicationGroup;
  public readonly securityGroup: ManagedSecurityGroup;
  public readonly subnetGroup: ElasticacheSubnetGroup;
  public readonly parameterGroup: ElasticacheParameterGroup;
  public readonly userGroup: ElasticacheUserGroup;
  public readonly defaultUser: ElasticacheUser;
  /** The IAM-authenticated users, by name. */
  public readonly users: Readonly<Record<string, ElasticacheUser>>;
  public readonly slowLog: CloudwatchLogGroup;
  /** How each user authenticates, by name. */
  public readonly userAuthentication: Readonly<Record<string, "iam" | "password">>;
  /** Each password user's generated password (`terraform_data`), by name. */
  public readonly passwords: Readonly<Record<string, DataResource>>;
  /** Each password user's connection URL written into its secret, by name. */
  public readonly urlSecretVersions: Readonly<Record<string, SecretsmanagerSecretVersion>>;

  private readonly props: RedisProps;
  /** The part of the names after the prefix, and the replication group's id. */
  private readonly baseName: string;
  private readonly groupId: string;

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);
    const family = validateRedisSettings(props.settings, { subnetIds: props.subnetIds, name: props.name });
    this.props = props;
    this.baseName = props.name ?? "redis";
    this.groupId = props.naming.name("cacheReplicationGroup", this.baseName);

    this.subnetGroup = this.addSubnetGroup();
    this.securityGroup = this.addSecurityGroup();
    this.parameterGroup = this.addParameterGroup(family);
    this.defaultUser = this.addDefaultUser();
    const { users, passwords } = this.addUsers();
    this.users = users;
    this.passwords = passwords;
    this.userAuthentication = Object.fromEntries(Object.entries(props.settings.users).map(([name, user]) => [name, user.authentication]));
    this.userGroup = this.addUserGroup();
    this.slowLog = new CloudwatchLogGroup(this, "slow_log", { name: `/aws/elasticache/${this.groupId}/slow-log`, retentionInDays: props.settings.slowLogRetentionInDays });
    this.replicationGroup = this.addReplicationGroup();
    this.urlSecretVersions = this.writeUrlSecrets();
  }

  private addSubnetGroup(): ElasticacheSubnetGroup {
    return new ElasticacheSubnetGroup(this, "subnet_group", {
      name: this.props.naming.name("cacheSubnetGroup", this.baseName),
      description: `Isolated subnets of ${this.groupId}`,
      subnetIds: [...this.props.subnetIds],
    });
  }

  private addSecurityGroup(): ManagedSecurityGroup {
    return new ManagedSecurityGroup(this, "sg", {
      groupName: this.props.naming.name("securityGroup", this.baseName),
      vpcId: this.props.vpcId,
      description: `${this.groupId}: Redis ${REDIS_PORT}, only from the application security groups`,
      allowAllOutbound: false,
    });
  }

  private addParameterGroup(family: string): ElasticacheParameterGroup {
    const parameters = this.props.settings.parameters;
    return new ElasticacheParameterGroup(this, "parameter_group", {
      name: this.props.naming.name("cacheParameterGroup", this.baseName, family),
      family,
      description: `${this.groupId} parameters`,
      parameter: Object.keys(parameters)
        .sort()
        .map((name) => ({ name, value: parameters[name] })),
      lifecycle: { createBeforeDestroy: true },
    });
  }

  /**
   * Every user group must hold a user named "default"; this one can do nothing. It needs no
   * password, said with `no_password_required`: as `authentication_mode` it would read back
   * as `no-password` (DescribeUsers' name for CreateUser's `no-password-required`), and every
   * plan would then modify the user.
   */
  private addDefaultUser(): ElasticacheUser {
    return new ElasticacheUser(this, "user_default", {
      userId: this.props.naming.name("cacheReplicationGroup", this.baseName, "default"),
      userName: "default",
      engine: "redis",
      accessString: "off -@all",
      noPasswordRequired: true,
    });
  }

  /** The application users; a password user's password is drawn once at the first apply (`terraform apply -replace` on it rotates it). */
  private addUsers(): { users: Record<string, ElasticacheUser>; passwords: Record<string, DataResource> } {
    const users: Record<string, ElasticacheUser> = {};
    const passwords: Record<string, DataResource> = {};
    for (const [name, user] of Object.entries(this.props.settings.users)) {
      // IAM authentication requires the user id and the user name to be the same.
      const userId = this.props.naming.name("cacheReplicationGroup", this.baseName, name);
      if (user.authentication === "password") {
        const password = new DataResource(this, `user_${name}_password`, { lifecycle: { ignoreChanges: ["input"] } });
        password.addOverride("input", GENERATED_PASSWORD_EXPRESSION);
        passwords[name] = password;
      }
      users[name] = new ElasticacheUser(this, `user_${name}`, {
        userId,
        userName: userId,
        engine: "redis",
        accessString: user.accessString ?? DEFAULT_REDIS_ACCESS_STRING,
        authenticationMode: passwords[name] ? { type: "password", passwords: [passwordOf(passwords[name])] } : { type: "iam" },
      });
    }
    return { users, passwords };
  }

  private addUserGroup(): ElasticacheUserGroup {
    return new ElasticacheUserGroup(this, "user_group", {
      userGroupId: this.groupId,
      engine: "redis",
      userIds: [this.defaultUser.userId, ...Object.keys(this.users).sort().map((n) => this.users[n].userId)],
    });
  }

  /** Encrypted at rest and in transit (TLS required), RBAC through the user group, failover with two or more nodes, snapshots, the slow log. */
  private addReplicationGroup(): ElasticacheReplicationGroup {
    const settings = this.props.settings;
    const nodes = settings.numCacheClusters;
    const snapshots = settings.snapshotRetentionDays;
    return new ElasticacheReplicationGroup(this, "replication_group", {
      replicationGroupId: this.groupId,
      description: `${this.groupId}: Redis ${settings.engineVersion}, ${nodes} node${nodes === 1 ? "" : "s"}`,
      engine: "redis",
      engineVersion: settings.engineVersion,
      nodeType: settings.nodeType,
      numCacheClusters: nodes,
      port: REDIS_PORT,
      parameterGroupName: this.parameterGroup.name,
      subnetGroupName: this.subnetGroup.name,
      securityGroupIds: [this.securityGroup.id],
      automaticFailoverEnabled: nodes > 1,
      multiAzEnabled: multiAzOf(settings),
      atRestEncryptionEnabled: "true",
      kmsKeyId: settings.kmsKeyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      userGroupIds: [this.userGroup.userGroupId],
      snapshotRetentionLimit: snapshots,
      snapshotWindow: snapshots > 0 ? settings.snapshotWindow : undefined,
      maintenanceWindow: settings.maintenanceWindow,
      // Always written: the attribute is computed, so the provider would keep a removed true.
      applyImmediately: settings.applyImmediately,
      autoMinorVersionUpgrade: "true",
      finalSnapshotIdentifier: finalSnapshotIdentifier(this.groupId),
      logDeliveryConfiguration: [{ destination: this.slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" }],
      lifecycle: { preventDestroy: this.props.deletionProtection, ignoreChanges: [FINAL_SNAPSHOT_ATTRIBUTE] },
    });
  }

  /**
   * Each password user's URL, into its secret. The value is write-only (`secret_string_wo`):
   * it is sent to Secrets Manager and never kept in Terraform's plan or state. Terraform can't
   * compare a write-only value, so a new password or a new endpoint replaces the version.
   */
  private writeUrlSecrets(): Record<string, SecretsmanagerSecretVersion> {
    const versions: Record<string, SecretsmanagerSecretVersion> = {};
    for (const [name, user] of Object.entries(this.props.settings.users)) {
      if (!user.urlSecret) continue;
      const secretArn = this.props.urlSecretArns?.[name];
      if (secretArn === undefined) throw new Error(`${this.node.path}: no urlSecretArns entry for the password user "${name}"; pass the ARN of its secret ${user.urlSecret.name}`);
      const url = `rediss://${this.users[name].userName}:${passwordOf(this.passwords[name])}@${this.replicationGroup.primaryEndpointAddress}:${REDIS_PORT}${user.urlSecret.path}`;
      versions[name] = new SecretsmanagerSecretVersion(this, `user_${name}_url`, {
        secretId: secretArn,
        secretStringWo: Fn.jsonencode({ [user.urlSecret.key]: url }),
        secretStringWoVersion: 1,
      });
      // Bare references, as Terraform reads replace_triggered_by (not "${...}" templates).
      const address = (r: TerraformResource) => `${r.terraformResourceType}.${r.friendlyUniqueId}`;
      versions[name].addOverride("lifecycle.replace_triggered_by", [address(this.passwords[name]), `${address(this.replicationGroup)}.primary_endpoint_address`]);
    }
    return versions;
  }

  /** Opens 6379 to `peer` (a security group), and to nothing else. */
  public allowFrom(peer: Peer, description = `Redis from ${peer instanceof ManagedSecurityGroup ? peer.node.id : peer.name}`): void {
    this.securityGroup.allowFrom(peer, REDIS_PORT, description);
  }

  /** Lets `grantee` authenticate as application user `user` with IAM (`elasticache:Connect`). */
  public grantConnect(grantee: IGrantable, user = "app", sid = "ConnectToRedis"): void {
    const target = this.users[user];
    if (!target) {
      throw new Error(`${this.node.path}: no Redis user "${user}"; users are ${Object.keys(this.users).join(", ")}`);
    }
    if (this.userAuthentication[user] !== "iam") {
      throw new Error(`${this.node.path}: Redis user "${user}" authenticates with a password, not IAM; elasticache:Connect would not let anyone in`);
    }
    grantee.addToPolicy({ Sid: sid, Effect: "Allow", Action: "elasticache:Connect", Resource: [this.replicationGroup.arn, target.arn] });
  }
}

/**
 * The password a `terraform_data` holds: its `input`, which ignore_changes keeps at the value of
 * the first apply. (Its `output` is the same value, but only known after apply: a computed
 * attribute of dynamic type, which a state rebuilt from a plan can't fill.)
 */
function passwordOf(generator: DataResource): string {
  return generator.getStringAttribute("input");
}

/** Multi-AZ, as set, or by default on with two or more nodes. */
export function multiAzOf(settings: Pick<RedisSettings, "multiAz" | "numCacheClusters">): boolean {
  return settings.multiAz ?? settings.numCacheClusters > 1;
}

/**
 * Checks a replication group's settings, as the constructor does; config validation calls
 * it too. Returns the parameter group family. Throws a ConfigError keyed by the setting's
 * name, or ConfigErrors listing every problem when there are several.
 */
export function validateRedisSettings(p: RedisSettings, wiring: { readonly subnetIds: readonly string[]; readonly name?: string }): string {
  const problems = new Problems();
  const info = REDIS_ENGINE_VERSIONS[p.engineVersion];
  if (!info) {
    problems.add(
      new ConfigError(
        "engineVersion",
        p.engineVersion,
        "is not a supported Redis OSS version (7.x, for IAM authentication)",
        `use one of ${Object.keys(REDIS_ENGINE_VERSIONS).map((v) => `"${v}"`).join(", ")}`,
      ),
    );
  }
  if (!Number.isInteger(p.numCacheClusters) || p.numCacheClusters < 1 || p.numCacheClusters > 6) {
    problems.add(new ConfigError("numCacheClusters", p.numCacheClusters, "must be a whole number of nodes from 1 to 6", "use 2 for a primary and a replica"));
  } else if (multiAzOf(p) && p.numCacheClusters < 2) {
    problems.add(new ConfigError("multiAz", true, `needs a replica in another AZ, but numCacheClusters is ${p.numCacheClusters}`, "set numCacheClusters to 2 or more, or multiAz to false"));
  }
  if (!/^cache\.[a-z0-9-]+\.[a-z0-9]+$/.test(p.nodeType)) {
    problems.add(new ConfigError("nodeType", p.nodeType, "is not an ElastiCache node type", 'use e.g. "cache.t3.medium" or "cache.r7g.large"'));
  }
  if (!Number.isInteger(p.snapshotRetentionDays) || p.snapshotRetentionDays < 0 || p.snapshotRetentionDays > 35) {
    problems.add(new ConfigError("snapshotRetentionDays", p.snapshotRetentionDays, "must be a whole number of days from 0 to 35", "use e.g. 7; 0 turns snapshots off"));
  }
  if (!isLogRetention(p.slowLogRetentionInDays)) {
    problems.add(new ConfigError("slowLogRetentionInDays", p.slowLogRetentionInDays, "is not a CloudWatch Logs retention period", "use e.g. 30 or 90"));
  }
  if (Object.keys(p.users).length === 0) {
    problems.add(new ConfigError("users", p.users, "names no application user, so nothing could connect", "give at least one user, e.g. { \"app\": {} }"));
  }
  for (const [name, user] of Object.entries(p.users)) {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
      problems.add(new ConfigError(`users.${name}`, name, "is not a usable user name", "use lower case letters, digits and single hyphens, starting with a letter"));
    } else if (user.accessString !== undefined && !/^on\s/.test(user.accessString.trim() + " ")) {
      problems.add(new ConfigError(`users.${name}.accessString`, user.accessString, 'does not start with "on", so the user could not log in', 'start it with "on", e.g. "on ~app:* +@read"'));
    }
    if (user.authentication === "password" && !user.urlSecret) {
      problems.add(new ConfigError(`users.${name}.urlSecret`, undefined, "is missing: a password user's clients could never learn its password", 'name the secret its clients read, e.g. { "name": "<secret of secrets.entries>", "key": "REDIS_URL" }').reading(`users.${name}.authentication`));
    }
    if (user.authentication === "iam" && user.urlSecret) {
      problems.add(new ConfigError(`users.${name}.urlSecret`, user.urlSecret, "is set, but the user authenticates with IAM and has no password to write", 'remove urlSecret, or set authentication to "password"').reading(`users.${name}.authentication`));
    }
  }
  if (wiring.subnetIds.length < 1) {
    problems.add(new ConfigError("subnetIds", wiring.subnetIds.length, "a cache subnet group needs at least one subnet", "give the isolated subnets"));
  }
  if (wiring.name !== undefined && !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(wiring.name)) {
    problems.add(new ConfigError("name", wiring.name, "is not a usable name part", "use lower case letters, digits and single hyphens, starting with a letter"));
  }
  problems.throwIfAny();
  return info.family;
}
