import { composeSystem } from "./compose";
import { SystemDefinition } from "./system";
import { presetAlbTls } from "./tls-preset";

/**
 * Duewin backend (seed 003): RDS MySQL and ElastiCache Redis in isolated subnets, open
 * only to the app (3306 only from the app's security group), an ALB on 80/443 to port
 * 3000, an ASG 2-10 with CPU target tracking, and VPC flow logs.
 */
export const duewin: SystemDefinition = {
  name: "duewin",
  description: "Duewin: ALB -> ASG 2-10 on port 3000, RDS MySQL, Redis, Route 53, CloudFront",
  preset: (environment) => {
    const dev = environment === "dev";
    return {
      project: "duewin",
      region: "us-east-1",
      network: { cidr: "10.10.0.0/16" },
      // The app's image and its settings (DB and Redis endpoints, JWT secret), read at boot.
      registry: { repositories: { backend: { repositoryName: "duewin-backend" } } },
      secrets: { prefix: "duewin/", entries: { "duewin/backend": "Backend settings as JSON: JWT_SECRET, DB_HOST, DB_NAME, REDIS_URL" } },
      compute: {
        loadBalancer: { type: "alb", tls: presetAlbTls(environment, "us-east-1") },
        services: {
          app: {
            // The Node.js backend as a container; DB and Redis settings come from the secret at
            // boot, never from a .env baked into user data as in the document.
            app: {
              type: "container",
              repository: "duewin-backend",
              secrets: ["duewin/backend"],
              environment: { NODE_ENV: "production", SERVER_PORT: "3000" },
            },
            port: 3000,
            instanceType: "t3.small",
            minSize: 2,
            maxSize: 10,
            desiredCapacity: 2,
            scaling: { targetTracking: { cpu: { targetValue: 70 } } },
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
        // "Enable Enhanced Monitoring for RDS instances": 60 s is the module default.
        monitoringInterval: 60,
      },
      redis: {
        // "cache.t3.micro recommended for starting"; a replica with failover outside dev.
        nodeType: "cache.t3.micro",
        numCacheClusters: dev ? 1 : 2,
      },
    };
  },
  build: (scope, context) => composeSystem(scope, context).stacks,
};
