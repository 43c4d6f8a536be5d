import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { Redis } from "../constructs/elasticache/redis";
import { ExistingRole } from "../constructs/iam/existing-role";
import { Network } from "../constructs/networking/network";
import { ManagedSecurityGroup, Peer } from "../constructs/networking/security-group";
import { Database } from "../constructs/rds/database";
import { SecretStore } from "../constructs/secrets/secret-store";
import { ConfigError } from "../lib/errors";
import { databaseParameterName } from "../lib/naming";
import { AwsStack, StackContext } from "./aws-stack";

/** An application security group: a ManagedSecurityGroup of another stack, or a group known by id. */
export type AppPeer = ManagedSecurityGroup | { readonly name: string; readonly securityGroupId: string };

export interface DataStackProps {
  /** The network stack's network: the VPC and the isolated subnets the data stores live in. */
  readonly network: Network;
  /**
   * The application tier's security groups. Each may reach the database port and Redis
   * 6379; nothing else may.
   * @default none: nothing can connect until the compute tier's groups are passed
   */
  readonly appPeers?: readonly AppPeer[];
  /**
   * Names of the application tier's IAM roles. Each gets one inline policy, owned by this
   * stack, that lets it read the database master secret and connect to Redis as the
   * `app` user (IAM authentication).
   * @default none
   */
  readonly appRoleNames?: readonly string[];
  /**
   * Other clients' IAM roles, by name, each with what it uses (EKS pods' roles): each gets
   * the same inline policy, holding only what it asks for.
   * @default none
   */
  readonly clients?: readonly DataClient[];
  /**
   * The storage stack's secrets: a Redis password user's `urlSecret` names one of them, and
   * this stack writes the user's connection URL into it.
   * @default none (a password user then fails synth)
   */
  readonly secrets?: SecretStore;
}

/** An IAM role of another stack that uses the database (its master secret) and/or Redis. */
export interface DataClient {
  readonly roleName: string;
  /** Read the database's master secret. */
  readonly database: boolean;
  /** Connect to Redis as the `app` user (IAM authentication). */
  readonly redis: boolean;
  /** Read the database's published connection parameter as well (boot scripts). @default false */
  readonly connection?: boolean;
}

/**
 * The data layer: the RDS instance and the ElastiCache Redis group of a system, in the
 * network stack's isolated subnets. It takes the compute tier's security groups and role
 * names (the dependency runs network -> storage -> compute -> data), writes its own
 * ingress rules and grants, and exports endpoints for operators; the compute tier reads
 * endpoints at boot from the secret RDS manages, never from this stack's outputs.
 */
export class DataStack extends AwsStack {
  public readonly database?: Database;
  public readonly redis?: Redis;
  public readonly appRoles: readonly ExistingRole[];

  /** Whether the system has anything this stack builds: a database or a cache. */
  public static isNeeded(config: StackContext["config"]): boolean {
    return config.rds !== undefined || config.redis !== undefined;
  }

  constructor(scope: Construct, context: StackContext, props: DataStackProps) {
    super(scope, "data", context);
    const { rds, redis } = context.config;
    this.database = rds ? this.addDatabase(context, props, rds) : undefined;
    this.redis = redis ? this.addRedis(context, props, redis) : undefined;
    for (const peer of props.appPeers ?? []) {
      this.database?.allowFrom(peer as Peer);
      this.redis?.allowFrom(peer as Peer);
    }
    this.appRoles = this.grantClients(context, props);
    this.addOutputs();
  }

  /** The database; boot scripts cannot hold references, so they find it through an SSM parameter. */
  private addDatabase({ config, naming }: StackContext, props: DataStackProps, rds: NonNullable<StackContext["config"]["rds"]>): Database {
    const db = new Database(this, "rds", { naming, region: config.region, vpcId: props.network.vpc.id, subnetIds: props.network.subnetIds("isolated"), deletionProtection: config.deletionProtection, settings: rds });
    if ((props.clients ?? []).some((c) => c.connection)) db.publishConnection(databaseParameterName(naming), rds.databaseName);
    return db;
  }

  /** The cache; a password user's URL goes into its secret of the storage stack. */
  private addRedis({ config, naming }: StackContext, props: DataStackProps, redis: NonNullable<StackContext["config"]["redis"]>): Redis {
    const urlSecretArns = Object.fromEntries(
      Object.entries(redis.users).flatMap(([name, user]) => (user.urlSecret ? [[name, secretArnOf(props.secrets, user.urlSecret.name, `redis.users.${name}.urlSecret.name`)]] : [])),
    );
    return new Redis(this, "redis", { naming, vpcId: props.network.vpc.id, subnetIds: props.network.subnetIds("isolated"), deletionProtection: config.deletionProtection, settings: redis, urlSecretArns });
  }

  /** Each client role's policy, owned by this stack: the database's connection or master secret, and Redis by IAM. */
  private grantClients({ naming }: StackContext, props: DataStackProps): ExistingRole[] {
    const clients: DataClient[] = [...(props.appRoleNames ?? []).map((roleName) => ({ roleName, database: true, redis: true })), ...(props.clients ?? [])];
    return clients.map((client) => {
      const role = new ExistingRole(this, `app_role_${client.roleName.replace(/[^A-Za-z0-9_-]+/g, "_")}`, {
        roleName: client.roleName,
        policyName: `${naming.prefix}-data-access`,
      });
      if (client.connection && this.database) this.database.grantReadConnection(role);
      else if (client.database) this.database?.grantReadMasterSecret(role);
      if (client.redis && this.redis?.users.app && this.redis.userAuthentication.app === "iam") this.redis.grantConnect(role, "app");
      return role;
    });
  }

  /** Endpoints for operators (the compute tier reads them at boot, never from these outputs). */
  private addOutputs(): void {
    const db = this.database;
    const r = this.redis;
    const outputs: Record<string, { value: unknown; description: string }> = {
      ...(db && {
        db_identifier: { value: db.instance.identifier, description: "The RDS instance identifier" },
        db_address: { value: db.instance.address, description: "The RDS instance's DNS name" },
        db_port: { value: db.instance.port, description: "The RDS instance's port" },
        db_master_user_secret_arn: { value: db.masterUserSecretArn, description: "The Secrets Manager secret RDS keeps the master credentials in" },
        db_security_group_id: { value: db.securityGroup.id, description: "The database's security group" },
        db_replica_addresses: { value: Object.fromEntries(Object.entries(db.replicas).map(([name, replica]) => [name, replica.address])), description: "Read replica DNS names, by name" },
      }),
      ...(r && {
        redis_primary_endpoint: { value: r.replicationGroup.primaryEndpointAddress, description: "Redis primary endpoint (TLS)" },
        redis_reader_endpoint: { value: r.replicationGroup.readerEndpointAddress, description: "Redis reader endpoint (TLS)" },
        redis_port: { value: r.replicationGroup.port, description: "Redis port" },
        redis_user_ids: {
          value: Object.fromEntries(Object.entries(r.users).map(([name, u]) => [name, u.userId])),
          description: "Redis users, by name: the user name to sign IAM tokens for, or to log in with a password",
        },
        redis_security_group_id: { value: r.securityGroup.id, description: "Redis's security group" },
      }),
    };
    for (const [id, o] of Object.entries(outputs)) new TerraformOutput(this, id, o);
  }
}

/** The ARN of a secret of the storage stack, for a Redis password user's URL. */
function secretArnOf(secrets: SecretStore | undefined, name: string, key: string): string {
  if (!secrets?.has(name)) {
    throw new ConfigError(key, name, "is not a secret of secrets.entries, so the connection URL has nowhere to go", `add "${name}" to secrets.entries (under secrets.prefix)`);
  }
  return secrets.secrets[name].arn;
}
