import { App, Testing } from "cdktf";
import { ManagedSecurityGroup } from "../../src/constructs/networking/security-group";
import { stackContextOf } from "../../src/app";
import { AppPeer, DataStack } from "../../src/stacks/data-stack";
import { NetworkStack } from "../../src/stacks/network-stack";
import { StorageStack } from "../../src/stacks/storage-stack";
import { TestStack, namesOf, resource, synthStackOf } from "./support";
import { planHarness } from "../harness/synth";

/** Duewin in `environment`, with a stand-in compute stack holding the app's security group. */
function duewinWithApp(environment: string, peers: (compute: TestStack) => AppPeer[], roleNames: string[] = []) {
  const context = stackContextOf(planHarness({ systems: ["duewin"], environments: [environment] })[0]);
  const app: App = Testing.app();
  const network = new NetworkStack(app, context);
  const storage = new StorageStack(app, context);
  const compute = new TestStack(app, "duewin-test-compute");
  const data = new DataStack(app, context, { network: network.network, appPeers: peers(compute), appRoleNames: roleNames, secrets: storage.secrets });
  return synthStackOf(app, data);
}

const appGroup = (compute: TestStack) => [
  new ManagedSecurityGroup(compute, "app", { groupName: "duewin-dev-app", vpcId: "vpc-0123456789abcdef0", description: "Duewin app instances" }),
];

describe("DataStack", () => {
  it("opens MySQL 3306 and Redis 6379 only to the app's security group (Duewin: 3306 only from the app)", () => {
    const json = duewinWithApp("dev", appGroup);
    expect(namesOf(json, "aws_vpc_security_group_ingress_rule")).toEqual(["rds_sg_ingress_3306_from_app", "redis_sg_ingress_6379_from_app"]);
    const db = resource(json, "aws_vpc_security_group_ingress_rule", "rds_sg_ingress_3306_from_app");
    expect(db).toMatchObject({ security_group_id: "${aws_security_group.rds_sg_group.id}", from_port: 3306, to_port: 3306, ip_protocol: "tcp" });
    // The app group lives in the compute stack: the rule references it across stacks, never a CIDR.
    expect(db.referenced_security_group_id).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-duewin-test-compute\.outputs\.[^}]+\}$/);
    expect(db.cidr_ipv4).toBeUndefined();
    expect(resource(json, "aws_vpc_security_group_ingress_rule", "redis_sg_ingress_6379_from_app")).toMatchObject({ from_port: 6379, to_port: 6379 });
  });

  it("takes a peer known only by id", () => {
    const json = duewinWithApp("prod", () => [{ name: "legacy-app", securityGroupId: "sg-0123456789abcdef0" }]);
    expect(resource(json, "aws_vpc_security_group_ingress_rule", "rds_sg_ingress_3306_from_legacy-app").referenced_security_group_id).toBe("sg-0123456789abcdef0");
  });

  it("opens nothing when no app peer is given", () => {
    const json = duewinWithApp("dev", () => []);
    expect(namesOf(json, "aws_vpc_security_group_ingress_rule")).toEqual([]);
    expect(namesOf(json, "aws_vpc_security_group_egress_rule")).toEqual([]);
  });

  it("grants the app roles the master secret in one policy owned by the data stack, and no IAM auth to a Redis password user", () => {
    const json = duewinWithApp("dev", appGroup, ["duewin-dev-app"]);
    const policy = resource(json, "aws_iam_role_policy", "app_role_duewin-dev-app_policy");
    expect(policy.role).toBe("duewin-dev-app");
    expect(policy.name).toBe("duewin-dev-data-access");
    const text = String(policy.policy);
    expect(text).toContain('"Action" = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], "Resource" = [aws_db_instance.rds_instance.master_user_secret[0].secret_arn]');
    // Duewin's app logs in to Redis with the password in its REDIS_URL: elasticache:Connect would be an unused grant.
    expect(text).not.toContain("elasticache:Connect");
  });

  it("writes the app's REDIS_URL into the storage stack's secret, with the password Terraform generated", () => {
    const json = duewinWithApp("dev", appGroup, ["duewin-dev-app"]);
    const version = resource(json, "aws_secretsmanager_secret_version", "redis_user_app_url");
    expect(version.secret_id).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-duewin-dev-storage\.outputs\.cross-stack-output-aws_secretsmanager_secret_secrets_secret_duewin-dev_redis_arn\}$/);
    expect(String(version.secret_string_wo)).toMatch(/^\$\{jsonencode\(\{"REDIS_URL" = "rediss:\/\/\$\{aws_elasticache_user\.redis_user_app\.user_name\}:\$\{terraform_data\.redis_user_app_password\.input\}@/);
  });

  it("refuses a password user whose URL secret no storage stack holds", () => {
    const context = stackContextOf(planHarness({ systems: ["duewin"], environments: ["dev"] })[0]);
    const app: App = Testing.app();
    const network = new NetworkStack(app, context);
    expect(() => new DataStack(app, context, { network: network.network })).toThrow(/redis\.users\.app\.urlSecret\.name = "duewin-dev\/redis"[\s\S]*is not a secret of secrets\.entries/);
  });

  it("publishes where the database is for boot scripts, and grants a client reading it the parameter and the master secret only", () => {
    const context = stackContextOf(planHarness({ systems: ["duewin"], environments: ["prod"] })[0]);
    const app: App = Testing.app();
    const network = new NetworkStack(app, context);
    const storage = new StorageStack(app, context);
    const data = new DataStack(app, context, {
      network: network.network,
      clients: [{ roleName: "duewin-prod-app", database: true, redis: true, connection: true }],
      secrets: storage.secrets,
    });
    const json = synthStackOf(app, data);
    expect(resource(json, "aws_ssm_parameter", "rds_connection")).toMatchObject({
      name: "/duewin-prod/database",
      type: "String",
      value: '${jsonencode({"host" = aws_db_instance.rds_instance.address, "port" = 3306, "name" = "duewin", "secretArn" = aws_db_instance.rds_instance.master_user_secret[0].secret_arn})}',
    });
    const policy = String(resource(json, "aws_iam_role_policy", "app_role_duewin-prod-app_policy").policy);
    expect(policy).toContain('{"Sid" = "ReadDatabaseConnection", "Effect" = "Allow", "Action" = "ssm:GetParameter", "Resource" = aws_ssm_parameter.rds_connection.arn}');
    expect(policy).toContain('"Action" = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], "Resource" = [aws_db_instance.rds_instance.master_user_secret[0].secret_arn]');
  });

  it("publishes no parameter when no client reads one", () => {
    expect(namesOf(duewinWithApp("dev", appGroup, ["duewin-dev-app"]), "aws_ssm_parameter")).toEqual([]);
  });

  it("places both stores in the network stack's isolated subnets", () => {
    const json = duewinWithApp("dev", () => []);
    const subnets = resource(json, "aws_db_subnet_group", "rds_subnet_group").subnet_ids as string[];
    expect(subnets).toHaveLength(3);
    for (const az of ["us-east-1a", "us-east-1b", "us-east-1c"]) {
      expect(subnets.some((s) => s.includes(`network_isolated_${az}_id`))).toBe(true);
    }
    expect(resource(json, "aws_elasticache_subnet_group", "redis_subnet_group").subnet_ids).toEqual(subnets);
    // The network's subnets, and the storage stack's secret the Redis URL is written into.
    expect(Object.keys(json.data?.terraform_remote_state ?? {})).toEqual(["cross-stack-reference-input-duewin-dev-network", "cross-stack-reference-input-duewin-dev-storage"]);
  });

  it("outputs the master secret's ARN, and never a password", () => {
    const json = duewinWithApp("prod", appGroup);
    expect(json.output?.db_master_user_secret_arn.value).toBe("${aws_db_instance.rds_instance.master_user_secret[0].secret_arn}");
    expect(resource(json, "aws_db_instance", "rds_instance").password).toBeUndefined();
  });

  it("protects prod: deletion protection and prevent_destroy on the database, prevent_destroy on Redis", () => {
    const json = duewinWithApp("prod", appGroup);
    expect(resource(json, "aws_db_instance", "rds_instance")).toMatchObject({ deletion_protection: true, lifecycle: { prevent_destroy: true } });
    expect(resource(json, "aws_elasticache_replication_group", "redis_replication_group").lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ["final_snapshot_identifier"] });
  });
});
