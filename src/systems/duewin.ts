import { EnvironmentName } from "../config/environments";
import { SystemConfigInput } from "../config/system-config";
import { composeSystem } from "./compose";
import { AT_BOOT, PrincipalContract, SystemContract, restartOnRotation } from "../contracts";
import { backendNames } from "./backend-names";
import { SystemDefinition } from "./system";
import { presetHasCustomNames } from "./edge-preset";
import { presetAlbTls } from "./tls-preset";
import { DEFAULT_REDIS_ACCESS_STRING } from "../constructs/elasticache/redis";

/**
 * Duewin backend (seed 003): RDS MySQL and ElastiCache Redis in isolated subnets, open
 * only to the app (3306 only from the app's security group), an ALB on 80/443 to port
 * 3000, an ASG 2-10 with CPU target tracking, VPC flow logs, CloudFront for static assets,
 * and outside dev Route 53 records with a health check for the API (docs/edge.md).
 */
export const duewin: SystemDefinition = {
  name: "duewin",
  description: "Duewin: ALB -> ASG 2-10 on port 3000, RDS MySQL, Redis, Route 53, CloudFront",
  preset: (environment) => {
    const dev = environment === "dev";
    const names = backendNames("duewin", environment);
    // The Node.js backend as a container, for the web servers and the game scheduler alike.
    const backend = {
      type: "container" as const,
      repository: names.repository,
      secrets: [names.secret, names.redisSecret],
      environment: { NODE_ENV: "production" },
      database: true,
    };
    return {
      project: "duewin",
      region: "us-east-1",
      network: { cidr: "10.10.0.0/16" },
      // The app's image, its settings (JWT secret) and its Redis URL, read at boot.
      // Dev pushes a moving "latest"; staging and prod deploy immutable release tags.
      registry: { repositories: { backend: { repositoryName: names.repository, imageTagMutability: dev ? "MUTABLE" : "IMMUTABLE" } } },
      secrets: {
        prefix: names.secretPrefix,
        entries: {
          [names.secret]: "Backend settings as JSON: JWT_SECRET",
          [names.redisSecret]: "The backend's Redis as JSON: REDIS_URL=rediss://<app user>:<password>@<redis primary endpoint>:6379, written by the data stack",
        },
      },
      compute: {
        loadBalancer: { type: "alb", tls: presetAlbTls(environment) },
        services: {
          app: {
            // The Node.js backend as a container; its settings and REDIS_URL come from secrets at
            // boot, never from a .env baked into user data as in the document. The database (the
            // document's DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASS) is read at each container
            // start from RDS's own master secret, and the container restarts when RDS rotates it.
            app: { ...backend, environment: { ...backend.environment, SERVER_PORT: "3000" } },
            port: 3000,
            instanceType: "t3.small",
            minSize: 2,
            maxSize: 10,
            desiredCapacity: 2,
            scaling: { targetTracking: { cpu: { targetValue: 70 } } },
          },
          // The game scheduler: Duewin's backend serves bets and results, but only its scheduler
          // process (Scripts/start-scheduler.js) opens and settles the game periods, in Redis and
          // MySQL; the web servers ask it for periods over Redis. Exactly one: two would settle
          // each period twice, so a refresh stops the old one before starting the new one.
          scheduler: {
            app: { ...backend, command: ["node", "Scripts/start-scheduler.js"] },
            loadBalanced: false,
            instanceType: "t3.small",
            minSize: 1,
            maxSize: 1,
            desiredCapacity: 1,
            scaling: { targetTracking: { cpu: null } },
            instanceRefresh: { minHealthyPercentage: 0 },
          },
        },
      },
      rds: {
        engine: "mysql",
        // "MySQL": 8.4, the MySQL 8 release line still in RDS standard support.
        engineVersion: "8.4",
        // "start with db.t3.micro for development"; production gets a class with Performance Insights.
        instanceClass: dev ? "db.t3.micro" : "db.t3.medium",
        performanceInsights: { enabled: !dev },
        multiAz: !dev,
        databaseName: "duewin",
        masterUsername: "duewin_user",
        // The app's Sequelize (mysql2) client connects without `ssl` (its config/db.js passes no
        // dialectOptions), and MySQL with require_secure_transport refuses it: the connection
        // stays in the VPC, from the app's security group only.
        requireTls: false,
        // "Enable Enhanced Monitoring for RDS instances": 60 s is the module default.
        monitoringInterval: 60,
      },
      redis: {
        // "cache.t3.micro recommended for starting"; a replica with failover outside dev.
        nodeType: "cache.t3.micro",
        numCacheClusters: dev ? 1 : 2,
        // The document's app connects with a plain REDIS_URL (no IAM token signing): its user
        // authenticates with a password Terraform generates, and the data stack writes the URL
        // (TLS: rediss://) into the Redis secret the app reads at boot (docs/data.md).
        // Its cache service and game logic list keys by pattern (KEYS), and ioredis' ready check
        // and BullMQ ask for INFO: both are @dangerous to Redis. The default rules plus those two.
        users: { app: { authentication: "password", urlSecret: { name: names.redisSecret, key: "REDIS_URL" }, accessString: `${DEFAULT_REDIS_ACCESS_STRING} +keys +info` } },
      },
      edge: edgePreset(environment),
    };
  },
  contract: (environment) => duewinContract(environment),
  build: (scope, context) => composeSystem(scope, context).stacks,
};

/**
 * Duewin's runtime contract. The backend pulls its image, reads its settings secret at boot (JWT
 * secret; nothing rotates it), connects to MySQL on 3306 as the master user and to Redis on 6379
 * as the cache user `app` with the password in its `REDIS_URL` (the document's app takes a URL and
 * signs no IAM tokens), read at boot from the Redis secret the data stack writes. The document's `.env` holds
 * the database password; here it is the master secret RDS keeps and rotates every 7 days: the
 * instance finds its ARN (and the database's address) in the SSM parameter
 * `/duewin-<env>/database`, reads the current credentials at each start of the container, and a
 * systemd timer restarts the container when the secret's AWSCURRENT version moves.
 */
function duewinContract(environment: EnvironmentName): SystemContract {
  const names = backendNames("duewin", environment);
  // The web servers and the game scheduler run the same backend, with the same needs.
  const backend = (service: string): PrincipalContract => ({
    principal: { kind: "instance", service },
    flows: [
      { kind: "image-pull", repository: names.repository },
      { kind: "secret-read", secret: { name: names.secret }, refresh: AT_BOOT },
      { kind: "secret-read", secret: { databaseMaster: true }, refresh: restartOnRotation(`/duewin-${environment}/database`) },
      { kind: "database", auth: { kind: "password" } },
      {
        kind: "secret-read",
        secret: { name: names.redisSecret },
        refresh: AT_BOOT,
        why: "REDIS_URL with the app user's password, generated once by Terraform; nothing rotates it on its own: a rotation (docs/data.md) is followed by an instance refresh",
      },
      { kind: "cache", user: "app", auth: "password", why: "the document's app connects with a REDIS_URL, so its user has a password (in the URL), not IAM" },
      { kind: "logs", logGroup: `/aws/ec2/duewin-${environment}-${service}` },
      { kind: "metrics", namespace: "CWAgent" },
    ],
    managedPolicies: [{ name: "AmazonSSMManagedInstanceCore", why: "Session Manager instead of SSH for operators" }],
  });
  return { principals: [backend("app"), backend("scheduler")] };
}

/**
 * "CloudFront distribution for static assets; proper cache policies": a private bucket read
 * through Origin Access Control, CachingOptimized. "Route 53: DNS records pointing to your
 * load balancer; health checks and failover routing policies": outside dev, `api.<zone>`
 * aliased to the ALB with an HTTPS health check of /health and its alarm, and the assets
 * on `static.<zone>`. The zone is the user's (edge.hostedZone, a required input outside
 * dev: ./edge-preset.ts); the names are relative to it.
 * Failover needs a second target (another region's ALB), which the document does not
 * have: set `loadBalancerRecords.api.failover` to add it.
 */
function edgePreset(environment: EnvironmentName): SystemConfigInput["edge"] {
  const cdn = { defaultOrigin: "staticAssets" as const, staticAssets: { cachePolicy: "CachingOptimized" as const } };
  if (!presetHasCustomNames(environment)) return { cdn };
  return {
    cdn: { ...cdn, domainNames: ["static"] },
    loadBalancerRecords: { api: { name: "api" } },
  };
}
