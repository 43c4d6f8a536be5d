import { computeStacks } from "../stacks/compute-stack";
import { NetworkStack } from "../stacks/network-stack";
import { SystemDefinition } from "./system";
import { presetAlbTls } from "./tls-preset";

const REGION = "ap-northeast-2";

/**
 * AlgoItny (seed 001): an API ASG behind an ALB and a Celery worker ASG, in
 * ap-northeast-2, consuming the VPC, ECR, databases and ALB from separate states.
 */
export const algoitny: SystemDefinition = {
  name: "algoitny",
  description: "AlgoItny: API ASG (t3.medium) behind an ALB + Celery worker ASG (t3.large), ap-northeast-2",
  preset: (environment) => {
    // Both roles: the image from the `algoitny` ECR repository, `algoitny-secrets` read at
    // boot, read/write on the `algoitny_main` table.
    const grants = { dynamodbTables: [{ name: "algoitny_main", access: "read_write" as const }] };
    return {
      project: "algoitny",
      region: REGION,
      network: { cidr: "10.30.0.0/16", isolatedSubnets: null },
      compute: {
        // The ALB and its target group live in their own state (the document's services/algoitnyapi).
        loadBalancer: { type: "alb", stack: "services", tls: presetAlbTls(environment, REGION) },
        services: {
          api: {
            app: {
              type: "container",
              repository: "algoitny",
              secrets: ["algoitny-secrets"],
              environment: { ALLOWED_HOSTS: "api.testcase.run,*.testcase.run", GUNICORN_WORKERS: "4" },
            },
            port: 8000,
            instanceType: "t3.medium",
            rootVolumeSizeGb: 30,
            minSize: 2,
            maxSize: 10,
            desiredCapacity: 2,
            targetGroup: { healthCheck: { path: "/api/health/" } },
            scaling: { targetTracking: { cpu: { targetValue: 70 }, requestCountPerTarget: { targetValue: 1000 } } },
            highCpuAlarm: { thresholdPercent: 80 },
            grants,
          },
          worker: {
            app: {
              type: "container",
              repository: "algoitny",
              secrets: ["algoitny-secrets"],
              command: ["celery", "-A", "config", "worker", "--loglevel=info"],
            },
            loadBalanced: false,
            instanceType: "t3.large",
            rootVolumeSizeGb: 50,
            minSize: 1,
            maxSize: 5,
            desiredCapacity: 2,
            scaling: { targetTracking: { cpu: { targetValue: 70 } } },
            highCpuAlarm: { thresholdPercent: 80 },
            // Spot for workers (the document's 50-70 % saving), rebalanced before interruptions.
            spot: { onDemandBaseCapacity: 0, onDemandPercentageAboveBaseCapacity: 0, instanceTypes: ["t3a.large"] },
            capacityRebalance: true,
            // Off-peak scale-down (Korea time); desired only, so applies never undo it.
            schedules: {
              offpeak: { recurrence: "0 1 * * *", timeZone: "Asia/Seoul", desiredCapacity: 1 },
              peak: { recurrence: "0 8 * * *", timeZone: "Asia/Seoul", desiredCapacity: 2 },
            },
            grants,
          },
        },
      },
    };
  },
  build: (scope, context) => {
    const network = new NetworkStack(scope, context);
    return [network, ...computeStacks(scope, context, network.network)];
  },
};
