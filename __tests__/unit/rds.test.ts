import { ConfigError } from "../../src/lib/errors";
import { ServiceRole } from "../../src/constructs/iam/service-role";
import { ManagedSecurityGroup } from "../../src/constructs/networking/security-group";
import { Database, DatabaseProps, DatabaseSettings } from "../../src/constructs/rds/database";
import { RdsConfigSchema } from "../../src/constructs/rds/settings";
import { RDS_ENGINE_VERSIONS, rdsEngineVersion } from "../../src/constructs/rds/engines";
import { Naming } from "../../src/lib/naming";
import { TestStack, namesOf, resource, synthIn } from "./support";

const naming = new Naming("shop", "prod");
const wiring = { naming, region: "us-east-1", vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-a", "subnet-b", "subnet-c"], deletionProtection: true };
/** The schema's defaults (the construct has none of its own), for a PostgreSQL 15. */
const defaults = RdsConfigSchema.parse({ engine: "postgres", engineVersion: "15" });

type Changes = Partial<DatabaseSettings> & Partial<Omit<DatabaseProps, "settings">>;
const WIRING_KEYS = new Set(["naming", "region", "vpcId", "subnetIds", "deletionProtection", "name", "port", "monitoringRoleArn", "caCertIdentifier"]);

/** A database with the defaults, `changes` over them (settings as given, unvalidated: the construct checks them). */
function synthDb(changes: Changes = {}, extra?: (stack: TestStack, db: Database) => void) {
  const entries = Object.entries(changes);
  const settings = { ...defaults, ...Object.fromEntries(entries.filter(([k]) => !WIRING_KEYS.has(k))) } as DatabaseSettings;
  return synthIn((stack) => {
    const db = new Database(stack, "db", { ...wiring, ...Object.fromEntries(entries.filter(([k]) => WIRING_KEYS.has(k))), settings });
    extra?.(stack, db);
  });
}

describe("rdsEngineVersion (the typed list)", () => {
  it("knows the parameter group family of each major version", () => {
    expect(rdsEngineVersion("postgres", "15").family).toBe("postgres15");
    expect(rdsEngineVersion("mysql", "8.4").family).toBe("mysql8.4");
  });

  it("refuses a pinned minor version, naming the major to use", () => {
    expect(() => rdsEngineVersion("postgres", "15.4")).toThrow(ConfigError);
    expect(() => rdsEngineVersion("postgres", "15.4")).toThrow(/pins the postgres minor version 15\.4[\s\S]*give the major version "15"/);
  });

  it("refuses an unknown major version, listing the supported ones", () => {
    expect(() => rdsEngineVersion("postgres", "9.6")).toThrow(/is not a supported postgres major version[\s\S]*"14", "15", "16", "17"/);
    expect(() => rdsEngineVersion("mysql", "5.7")).toThrow(/use one of "8\.0", "8\.4"/);
  });

  it("refuses an unknown engine", () => {
    expect(() => rdsEngineVersion("oracle-ee", "19")).toThrow(/engine = "oracle-ee"[\s\S]*not a supported RDS engine/);
  });

  it("lists only major versions", () => {
    for (const versions of Object.values(RDS_ENGINE_VERSIONS)) {
      for (const v of Object.keys(versions)) expect(v).toMatch(/^\d+(\.\d)?$/);
    }
  });
});

describe("Database", () => {
  it("places the instance in a DB subnet group over the given (isolated) subnets, never public", () => {
    const json = synthDb();
    const db = resource(json, "aws_db_instance", "db_instance");
    expect(db.publicly_accessible).toBe(false);
    expect(db.db_subnet_group_name).toBe("${aws_db_subnet_group.db_subnet_group.name}");
    expect(resource(json, "aws_db_subnet_group", "db_subnet_group").subnet_ids).toEqual(["subnet-a", "subnet-b", "subnet-c"]);
  });

  it("encrypts gp3 storage and autoscales it up to the maximum", () => {
    const db = resource(synthDb({ allocatedStorage: 50, maxAllocatedStorage: 500, kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/abc" }), "aws_db_instance", "db_instance");
    expect(db).toMatchObject({ storage_type: "gp3", storage_encrypted: true, allocated_storage: 50, max_allocated_storage: 500, kms_key_id: "arn:aws:kms:us-east-1:123456789012:key/abc" });
  });

  it("lets RDS manage the master password in Secrets Manager: no password anywhere", () => {
    const json = synthDb();
    const db = resource(json, "aws_db_instance", "db_instance");
    expect(db.manage_master_user_password).toBe(true);
    expect(db.password).toBeUndefined();
    expect(db.username).toBe("dbadmin");
  });

  it("keeps 7 days of backups, takes a final snapshot named after its creation time, copies tags to snapshots", () => {
    const db = resource(synthDb(), "aws_db_instance", "db_instance");
    expect(db).toMatchObject({
      backup_retention_period: 7,
      skip_final_snapshot: false,
      // Kept from creation on (ignore_changes): a re-created instance takes another name, so a second destroy finds none.
      final_snapshot_identifier: 'shop-prod-postgres-final-${formatdate("YYYYMMDDhhmmss", plantimestamp())}',
      copy_tags_to_snapshot: true,
    });
  });

  it("turns on deletion protection and prevent_destroy by default, and keeps backups after deletion", () => {
    const db = resource(synthDb(), "aws_db_instance", "db_instance");
    expect(db.deletion_protection).toBe(true);
    expect(db.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ["final_snapshot_identifier"] });
    expect(db.delete_automated_backups).toBe(false);
  });

  it("can be torn down where deletion protection is off (dev)", () => {
    const db = resource(synthDb({ deletionProtection: false }), "aws_db_instance", "db_instance");
    expect(db.deletion_protection).toBe(false);
    expect(db.lifecycle).toEqual({ prevent_destroy: false, ignore_changes: ["final_snapshot_identifier"] });
    expect(db.skip_final_snapshot).toBe(false);
  });

  it("forces TLS: PostgreSQL 15 and later by default, so the group leaves rds.force_ssl at its default; 14 through the parameter", () => {
    // A parameter set to its engine default stays a default to RDS, reported `pending-reboot`:
    // the provider would plan to set it again after every apply.
    const json = synthDb({ parameters: { log_min_duration_statement: "500" } });
    const pg = resource(json, "aws_db_parameter_group", "db_parameter_group");
    expect(pg.family).toBe("postgres15");
    expect(pg.parameter).toEqual([{ name: "log_min_duration_statement", value: "500" }]);
    expect(resource(json, "aws_db_instance", "db_instance").parameter_group_name).toBe("${aws_db_parameter_group.db_parameter_group.name}");
    const pg14 = resource(synthDb({ engineVersion: "14" }), "aws_db_parameter_group", "db_parameter_group");
    expect(pg14.parameter).toEqual([{ name: "rds.force_ssl", value: "1" }]);
  });

  it("forces TLS through its parameter group: require_secure_transport for mysql, with the slow log on", () => {
    const pg = resource(synthDb({ engine: "mysql", engineVersion: "8.4" }), "aws_db_parameter_group", "db_parameter_group");
    expect(pg.family).toBe("mysql8.4");
    expect(pg.parameter).toEqual(
      expect.arrayContaining([
        { name: "require_secure_transport", value: "1" },
        { name: "slow_query_log", value: "1" },
      ]),
    );
  });

  it("applies a static parameter pending-reboot when asked, which RDS requires of static ones, and the rest as the provider defaults (immediate)", () => {
    const pg = resource(
      synthDb({ parameters: { shared_preload_libraries: { value: "pg_stat_statements", applyMethod: "pending-reboot" }, log_min_duration_statement: "500", work_mem: { value: "8192" } } }),
      "aws_db_parameter_group",
      "db_parameter_group",
    );
    expect(pg.parameter).toEqual([
      { name: "log_min_duration_statement", value: "500" },
      { name: "shared_preload_libraries", value: "pg_stat_statements", apply_method: "pending-reboot" },
      { name: "work_mem", value: "8192" },
    ]);
  });

  it("lets requireTls turn TLS off for a client that cannot use it, and only through that setting", () => {
    // MySQL 8.4 admits plain connections by default: the parameter stays at its default.
    const off = resource(synthDb({ engine: "mysql", engineVersion: "8.4", requireTls: false }), "aws_db_parameter_group", "db_parameter_group");
    expect((off.parameter as { name: string }[]).map((p) => p.name)).not.toContain("require_secure_transport");
    const pg = resource(synthDb({ requireTls: false }), "aws_db_parameter_group", "db_parameter_group");
    expect(pg.parameter).toEqual(expect.arrayContaining([{ name: "rds.force_ssl", value: "0" }]));
    expect(() => synthDb({ parameters: { "rds.force_ssl": "0" } })).toThrow(/parameters\.rds\.force_ssl = "0"[\s\S]*requireTls sets[\s\S]*set requireTls/);
  });

  it("exports the engine's logs into log groups it creates with a finite retention", () => {
    const pgJson = synthDb({ logRetentionInDays: 30 });
    expect(resource(pgJson, "aws_db_instance", "db_instance").enabled_cloudwatch_logs_exports).toEqual(["postgresql", "upgrade"]);
    expect(resource(pgJson, "aws_cloudwatch_log_group", "db_log_postgresql")).toMatchObject({ name: "/aws/rds/instance/shop-prod-postgres/postgresql", retention_in_days: 30 });
    const myJson = synthDb({ engine: "mysql", engineVersion: "8.4" });
    expect(resource(myJson, "aws_db_instance", "db_instance").enabled_cloudwatch_logs_exports).toEqual(["error", "slowquery"]);
    expect(namesOf(myJson, "aws_cloudwatch_log_group")).toEqual(["db_log_error", "db_log_slowquery"]);
  });

  it("exports MySQL's slow and general logs only while their parameters have the engine write them", () => {
    const exportsOf = (parameters: Record<string, string>) =>
      resource(synthDb({ engine: "mysql", engineVersion: "8.4", parameters }), "aws_db_instance", "db_instance").enabled_cloudwatch_logs_exports;
    expect(exportsOf({ general_log: "1" })).toEqual(["error", "slowquery", "general"]);
    expect(exportsOf({ slow_query_log: "0" })).toEqual(["error"]);
  });

  it("runs enhanced monitoring every 60 s with a role it creates on demand", () => {
    const json = synthDb();
    const db = resource(json, "aws_db_instance", "db_instance");
    expect(db.monitoring_interval).toBe(60);
    expect(db.monitoring_role_arn).toBe("${aws_iam_role.db_monitoring_role.arn}");
    expect(String(resource(json, "aws_iam_role", "db_monitoring_role").assume_role_policy)).toContain("monitoring.rds.amazonaws.com");
    expect(resource(json, "aws_iam_role_policy_attachment", "db_monitoring_policy").policy_arn).toBe("arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole");
  });

  it("creates no monitoring role when given one, or when monitoring is off", () => {
    const given = synthDb({ monitoringRoleArn: "arn:aws:iam::123456789012:role/rds-monitoring" });
    expect(namesOf(given, "aws_iam_role")).toEqual([]);
    expect(resource(given, "aws_db_instance", "db_instance").monitoring_role_arn).toBe("arn:aws:iam::123456789012:role/rds-monitoring");
    const off = synthDb({ monitoringInterval: 0 });
    expect(namesOf(off, "aws_iam_role")).toEqual([]);
    expect(resource(off, "aws_db_instance", "db_instance").monitoring_role_arn).toBeUndefined();
  });

  it("turns on Performance Insights, IAM authentication and automatic minor upgrades", () => {
    const db = resource(synthDb(), "aws_db_instance", "db_instance");
    expect(db).toMatchObject({
      performance_insights_enabled: true,
      performance_insights_retention_period: 7,
      iam_database_authentication_enabled: true,
      auto_minor_version_upgrade: true,
      engine_version: "15",
    });
  });

  it("allows the major version upgrades the typed list and the support calendar ask for", () => {
    // RDS refuses ModifyDBInstance to a new major version without the flag.
    expect(resource(synthDb(), "aws_db_instance", "db_instance").allow_major_version_upgrade).toBe(true);
  });

  it("applies changes at once with applyImmediately, on the primary and its replicas; in the maintenance window by default", () => {
    const applied = (changes: Changes) => {
      const json = synthDb({ ...changes, readReplicas: { reporting: {} } });
      return ["db_instance", "db_replica_reporting"].map((name) => resource(json, "aws_db_instance", name).apply_immediately);
    };
    expect(applied({ applyImmediately: true })).toEqual([true, true]);
    // Left out, the provider's default (false): a stack's JSON stays as it was.
    expect(applied({})).toEqual([undefined, undefined]);
  });

  it("opens the DB port only to the peers named with allowFrom", () => {
    const json = synthDb({ engine: "mysql", engineVersion: "8.4" }, (stack, db) => {
      const app = new ManagedSecurityGroup(stack, "app", { groupName: "shop-prod-app", vpcId: "vpc-0123456789abcdef0", description: "app" });
      db.allowFrom(app);
    });
    expect(namesOf(json, "aws_vpc_security_group_ingress_rule")).toEqual(["db_sg_ingress_3306_from_app"]);
    expect(resource(json, "aws_vpc_security_group_ingress_rule", "db_sg_ingress_3306_from_app")).toMatchObject({
      security_group_id: "${aws_security_group.db_sg_group.id}",
      referenced_security_group_id: "${aws_security_group.app_group.id}",
      from_port: 3306,
      to_port: 3306,
      ip_protocol: "tcp",
    });
    // A database initiates nothing: no egress rule at all.
    expect(namesOf(json, "aws_vpc_security_group_egress_rule").filter((n) => n.startsWith("db_"))).toEqual([]);
    expect(resource(json, "aws_db_instance", "db_instance").vpc_security_group_ids).toEqual(["${aws_security_group.db_sg_group.id}"]);
  });

  it("accepts a peer known only by its security group id", () => {
    const json = synthDb({}, (_, db) => db.allowFrom({ name: "legacy", securityGroupId: "sg-0123456789abcdef0" }));
    expect(resource(json, "aws_vpc_security_group_ingress_rule", "db_sg_ingress_5432_from_legacy").referenced_security_group_id).toBe("sg-0123456789abcdef0");
  });

  it("builds read replicas keyed by name, sharing the security group and parameter group", () => {
    const json = synthDb({ readReplicas: { reporting: { instanceClass: "db.r6g.large" } } });
    const replica = resource(json, "aws_db_instance", "db_replica_reporting");
    expect(replica).toMatchObject({
      identifier: "shop-prod-postgres-reporting",
      replicate_source_db: "${aws_db_instance.db_instance.identifier}",
      instance_class: "db.r6g.large",
      publicly_accessible: false,
      storage_encrypted: true,
      vpc_security_group_ids: ["${aws_security_group.db_sg_group.id}"],
      parameter_group_name: "${aws_db_parameter_group.db_parameter_group.name}",
    });
    expect(replica.manage_master_user_password).toBeUndefined();
    expect(namesOf(json, "aws_cloudwatch_log_group")).toEqual(expect.arrayContaining(["db_replica_reporting_log_postgresql"]));
  });

  it("grants reading the master secret, and IAM connect as a named DB user", () => {
    const json = synthDb({ kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/abc" }, (stack, db) => {
      const role = new ServiceRole(stack, "app_role", { roleName: "shop-prod-app", service: "ec2.amazonaws.com" });
      db.grantReadMasterSecret(role);
      db.grantConnect(role, "app_user");
    });
    const policy = String(resource(json, "aws_iam_role_policy", "app_role_policy").policy);
    expect(policy).toContain("aws_db_instance.db_instance.master_user_secret[0].secret_arn");
    expect(policy).toContain('"kms:ViaService" = "secretsmanager.us-east-1.amazonaws.com"');
    expect(policy).toContain("arn:aws:rds-db:us-east-1:*:dbuser:${aws_db_instance.db_instance.resource_id}/app_user");
  });

  describe("refuses bad settings with a ConfigError naming the prop", () => {
    it.each([
      [{ engineVersion: "15.4" }, /engineVersion = "15\.4"/],
      [{ backupRetentionDays: 36 }, /backupRetentionDays = 36[\s\S]*0 to 35/],
      [{ backupRetentionDays: -1 }, /backupRetentionDays = -1/],
      [{ maxAllocatedStorage: 10, allocatedStorage: 20 }, /maxAllocatedStorage = 10/],
      [{ maxAllocatedStorage: 21, allocatedStorage: 20 }, /maxAllocatedStorage = 21[\s\S]*use at least 22/],
      [{ monitoringInterval: 7 as never }, /monitoringInterval = 7/],
      [{ engine: "mysql" as const, engineVersion: "8.4", instanceClass: "db.t3.micro" }, /performanceInsights\.enabled[\s\S]*not available for mysql on db\.t3\.micro/],
      [{ readReplicas: { r1: {} }, backupRetentionDays: 0 }, /readReplicas[\s\S]*need automated backups/],
      [{ subnetIds: ["subnet-a"] }, /at least two AZs/],
      [{ masterUsername: "rdsadmin" }, /masterUsername = "rdsadmin"/],
      [{ masterUsername: "admin" }, /masterUsername = "admin"[\s\S]*reserves \(rdsadmin, rdsrepladmin, rds_superuser, admin\), nor starting with pg_/],
      [{ masterUsername: "pg_app" }, /masterUsername = "pg_app"/],
      [{ instanceClass: "t3.medium" }, /instanceClass = "t3\.medium"/],
    ])("%j", (props, message) => {
      expect(() => synthDb(props as Changes)).toThrow(message);
    });

    it("allows admin as a MySQL master user, which only PostgreSQL reserves", () => {
      expect(resource(synthDb({ engine: "mysql", engineVersion: "8.4", masterUsername: "admin" }), "aws_db_instance", "db_instance").username).toBe("admin");
    });

    it("allows MySQL on a micro class without Performance Insights", () => {
      const db = resource(synthDb({ engine: "mysql", engineVersion: "8.4", instanceClass: "db.t3.micro", performanceInsights: { enabled: false, retentionDays: 7 } }), "aws_db_instance", "db_instance");
      expect(db.performance_insights_enabled).toBe(false);
      expect(db.performance_insights_retention_period).toBeUndefined();
    });
  });
});
