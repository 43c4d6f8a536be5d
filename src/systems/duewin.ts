import { NetworkStack } from "../stacks/network-stack";
import { dataTierStacks } from "./data-tier";
import { SystemDefinition } from "./system";

/**
 * Duewin backend (seed 003): RDS MySQL and ElastiCache Redis in isolated subnets, an ALB
 * on 80/443 to port 3000, an ASG 2-10, Route 53, CloudFront and VPC flow logs.
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
  build: (scope, context) => {
    const network = new NetworkStack(scope, context);
    // "3306 only from the app": the app security group comes from the compute tier (wired at merge).
    return [network, ...dataTierStacks(scope, context, network)];
  },
};
