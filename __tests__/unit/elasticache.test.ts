import { ServiceRole } from "../../src/constructs/iam/service-role";
import { ManagedSecurityGroup } from "../../src/constructs/networking/security-group";
import { Redis } from "../../src/constructs/elasticache/redis";
import { RedisConfigSchema } from "../../src/constructs/elasticache/settings";
import { z } from "zod";

type RedisConfigInput = z.input<typeof RedisConfigSchema>;
import { Naming } from "../../src/lib/naming";
import { TestStack, namesOf, resource, synthIn } from "./support";

const wiring = { naming: new Naming("shop", "prod"), vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-a", "subnet-b", "subnet-c"], deletionProtection: true };
/** The ARN of a project secret, as a SecretStore would pass it. */
const secretArn = (name: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`;

/** A replication group with the schema's defaults (the construct has none of its own), `settings` over them. */
function synthRedis(settings: RedisConfigInput = {}, extra?: (stack: TestStack, redis: Redis) => void) {
  const parsed = RedisConfigSchema.parse(settings);
  const urlSecretArns = Object.fromEntries(Object.entries(parsed.users).flatMap(([name, u]) => (u.urlSecret ? [[name, secretArn(u.urlSecret.name)]] : [])));
  return synthIn((stack) => {
    const redis = new Redis(stack, "redis", { ...wiring, settings: parsed, urlSecretArns });
    extra?.(stack, redis);
  });
}

describe("Redis", () => {
  const urlSecret = { name: "shop/broker", key: "CELERY_BROKER_URL", path: "/0?ssl_cert_reqs=required" };

  it("gives a password user a password Terraform draws once from uuid(), and never again", () => {
    const json = synthRedis({ users: { celery: { authentication: "password", urlSecret } } });
    expect(resource(json, "aws_elasticache_user", "redis_user_celery")).toMatchObject({
      user_id: "shop-prod-redis-celery",
      user_name: "shop-prod-redis-celery",
      access_string: "on ~* &* +@all -@dangerous",
      authentication_mode: { type: "password", passwords: ["${terraform_data.redis_user_celery_password.input}"] },
    });
    expect(resource(json, "aws_elasticache_user", "redis_user_celery").lifecycle).toBeUndefined();
    // 64 hex digits from two UUIDs, marked sensitive; uuid() changes at every plan, so the input is ignored after the first.
    expect(resource(json, "terraform_data", "redis_user_celery_password")).toMatchObject({
      input: '${sensitive(replace("${uuid()}${uuid()}", "-", ""))}',
      lifecycle: { ignore_changes: ["input"] },
    });
    expect(resource(json, "aws_elasticache_user_group", "redis_user_group").user_ids).toContain("${aws_elasticache_user.redis_user_celery.user_id}");
  });

  it("writes a password user's rediss:// URL into its secret, write-only, replaced with a new password or endpoint", () => {
    const json = synthRedis({ users: { celery: { authentication: "password", urlSecret } } });
    const version = resource(json, "aws_secretsmanager_secret_version", "redis_user_celery_url");
    expect(version).toMatchObject({ secret_id: secretArn(urlSecret.name), secret_string_wo_version: 1 });
    expect(version.secret_string).toBeUndefined();
    expect(version.secret_string_wo).toBe(
      '${jsonencode({"CELERY_BROKER_URL" = "rediss://${aws_elasticache_user.redis_user_celery.user_name}:${terraform_data.redis_user_celery_password.input}@${aws_elasticache_replication_group.redis_replication_group.primary_endpoint_address}:6379/0?ssl_cert_reqs=required"})}',
    );
    expect(version.lifecycle).toEqual({
      replace_triggered_by: ["terraform_data.redis_user_celery_password", "aws_elasticache_replication_group.redis_replication_group.primary_endpoint_address"],
    });
  });

  it("refuses a password user with nowhere to put its password, and an IAM user with a URL secret", () => {
    expect(() => synthRedis({ users: { celery: { authentication: "password" } } })).toThrow(/users\.celery\.urlSecret[\s\S]*clients could never learn its password/);
    expect(() => synthRedis({ users: { app: { authentication: "iam", urlSecret } } })).toThrow(/users\.app\.urlSecret[\s\S]*authenticates with IAM/);
  });

  it("refuses elasticache:Connect to a password user, which IAM could not let in", () => {
    expect(() =>
      synthRedis({ users: { celery: { authentication: "password", urlSecret } } }, (stack, redis) =>
        redis.grantConnect(new ServiceRole(stack, "role", { roleName: "r", service: "ec2.amazonaws.com" }), "celery"),
      ),
    ).toThrow(/authenticates with a password, not IAM/);
  });

  it("builds a Redis 7 replication group of 2 nodes with automatic failover and Multi-AZ", () => {
    const rg = resource(synthRedis(), "aws_elasticache_replication_group", "redis_replication_group");
    expect(rg).toMatchObject({
      replication_group_id: "shop-prod-redis",
      engine: "redis",
      engine_version: "7.1",
      node_type: "cache.t3.medium",
      num_cache_clusters: 2,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      port: 6379,
    });
  });

  it("has neither failover nor Multi-AZ with a single node", () => {
    const rg = resource(synthRedis({ numCacheClusters: 1 }), "aws_elasticache_replication_group", "redis_replication_group");
    expect(rg).toMatchObject({ num_cache_clusters: 1, automatic_failover_enabled: false, multi_az_enabled: false });
  });

  it("refuses Multi-AZ with one node", () => {
    expect(() => synthRedis({ numCacheClusters: 1, multiAz: true })).toThrow(/multiAz = true[\s\S]*numCacheClusters is 1/);
  });

  it("refuses a version outside Redis 7", () => {
    expect(() => synthRedis({ engineVersion: "6.2" })).toThrow(/engineVersion = "6\.2"[\s\S]*"7\.0", "7\.1"/);
  });

  it("encrypts at rest and requires TLS in transit", () => {
    const rg = resource(synthRedis({ kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/abc" }), "aws_elasticache_replication_group", "redis_replication_group");
    expect(rg).toMatchObject({
      at_rest_encryption_enabled: "true",
      kms_key_id: "arn:aws:kms:us-east-1:123456789012:key/abc",
      transit_encryption_enabled: true,
      transit_encryption_mode: "required",
    });
  });

  it("authenticates through RBAC with IAM users: no password or auth token anywhere", () => {
    const json = synthRedis({ users: { api: {}, worker: { accessString: "on ~queue:* +@list" } } });
    const rg = resource(json, "aws_elasticache_replication_group", "redis_replication_group");
    expect(rg.auth_token).toBeUndefined();
    expect(rg.user_group_ids).toEqual(["${aws_elasticache_user_group.redis_user_group.user_group_id}"]);
    expect(resource(json, "aws_elasticache_user_group", "redis_user_group").user_ids).toEqual([
      "${aws_elasticache_user.redis_user_default.user_id}",
      "${aws_elasticache_user.redis_user_api.user_id}",
      "${aws_elasticache_user.redis_user_worker.user_id}",
    ]);
    const defaultUser = resource(json, "aws_elasticache_user", "redis_user_default");
    expect(defaultUser).toMatchObject({ user_name: "default", access_string: "off -@all", no_password_required: true });
    // DescribeUsers answers `no-password` where CreateUser took `no-password-required`: as an
    // authentication_mode, every plan after the first apply would modify the user.
    expect(defaultUser.authentication_mode).toBeUndefined();
    const worker = resource(json, "aws_elasticache_user", "redis_user_worker");
    expect(worker).toMatchObject({ user_id: "shop-prod-redis-worker", user_name: "shop-prod-redis-worker", authentication_mode: { type: "iam" }, access_string: "on ~queue:* +@list" });
    expect(worker.passwords).toBeUndefined();
    expect(resource(json, "aws_elasticache_user", "redis_user_api").access_string).toBe("on ~* &* +@all -@dangerous");
  });

  it("refuses an access string that would leave a user unable to log in", () => {
    expect(() => synthRedis({ users: { app: { accessString: "~* +@all" } } })).toThrow(/users\.app\.accessString/);
  });

  it("keeps daily snapshots, takes a final snapshot, and is protected from destroy", () => {
    const rg = resource(synthRedis({ snapshotRetentionDays: 14 }), "aws_elasticache_replication_group", "redis_replication_group");
    expect(rg).toMatchObject({
      snapshot_retention_limit: 14,
      snapshot_window: "03:00-05:00",
      maintenance_window: "sun:05:30-sun:07:30",
      final_snapshot_identifier: 'shop-prod-redis-final-${formatdate("YYYYMMDDhhmmss", plantimestamp())}',
      lifecycle: { prevent_destroy: true, ignore_changes: ["final_snapshot_identifier"] },
      auto_minor_version_upgrade: "true",
    });
  });

  it("applies changes at once with applyImmediately; in the maintenance window by default, said explicitly", () => {
    const applied = (settings: RedisConfigInput) => resource(synthRedis(settings), "aws_elasticache_replication_group", "redis_replication_group").apply_immediately;
    expect(applied({ applyImmediately: true })).toBe(true);
    // The provider keeps a removed apply_immediately at its last value: false is written.
    expect(applied({})).toBe(false);
  });

  it("uses its own parameter group of the redis7 family", () => {
    const json = synthRedis({ parameters: { "maxmemory-policy": "noeviction" } });
    expect(resource(json, "aws_elasticache_parameter_group", "redis_parameter_group")).toMatchObject({
      family: "redis7",
      parameter: [{ name: "maxmemory-policy", value: "noeviction" }],
    });
    expect(resource(json, "aws_elasticache_replication_group", "redis_replication_group").parameter_group_name).toBe(
      "${aws_elasticache_parameter_group.redis_parameter_group.name}",
    );
  });

  it("delivers the slow log to a CloudWatch log group with a finite retention", () => {
    const json = synthRedis();
    expect(resource(json, "aws_cloudwatch_log_group", "redis_slow_log")).toMatchObject({ name: "/aws/elasticache/shop-prod-redis/slow-log", retention_in_days: 30 });
    expect(resource(json, "aws_elasticache_replication_group", "redis_replication_group").log_delivery_configuration).toEqual([
      { destination: "${aws_cloudwatch_log_group.redis_slow_log.name}", destination_type: "cloudwatch-logs", log_format: "json", log_type: "slow-log" },
    ]);
  });

  it("opens 6379 only to the named security groups", () => {
    const json = synthRedis({}, (stack, redis) => {
      redis.allowFrom(new ManagedSecurityGroup(stack, "worker", { groupName: "w", vpcId: "vpc-0123456789abcdef0", description: "w" }));
    });
    const rules = namesOf(json, "aws_vpc_security_group_ingress_rule").filter((n) => n.startsWith("redis_"));
    expect(rules).toEqual(["redis_sg_ingress_6379_from_worker"]);
    expect(resource(json, "aws_vpc_security_group_ingress_rule", rules[0])).toMatchObject({
      referenced_security_group_id: "${aws_security_group.worker_group.id}",
      from_port: 6379,
      to_port: 6379,
    });
    expect(resource(json, "aws_elasticache_replication_group", "redis_replication_group").security_group_ids).toEqual(["${aws_security_group.redis_sg_group.id}"]);
  });

  it("grants elasticache:Connect on the group and exactly one user", () => {
    const json = synthRedis({}, (stack, redis) => {
      redis.grantConnect(new ServiceRole(stack, "role", { roleName: "app", service: "ec2.amazonaws.com" }), "app");
    });
    const policy = String(resource(json, "aws_iam_role_policy", "role_policy").policy);
    expect(policy).toContain('"Action" = "elasticache:Connect"');
    expect(policy).toContain('"Resource" = [aws_elasticache_replication_group.redis_replication_group.arn, aws_elasticache_user.redis_user_app.arn]');
  });
});
