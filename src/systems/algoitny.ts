import { NetworkStack } from "../stacks/network-stack";
import { dataTierStacks } from "./data-tier";
import { SystemDefinition } from "./system";

/**
 * AlgoItny (seed 001): an API ASG behind an ALB and a Celery worker ASG, in
 * ap-northeast-2, consuming the VPC, ECR, databases and ALB from separate states.
 *
 * Its prerequisites are built here in `storage`: the ECR repository `algoitny`, the
 * DynamoDB table `algoitny_main` and the secret `algoitny-secrets`. Those are the
 * document's (production) names; other environments get `-<environment>` names so they
 * can share an account without colliding or being covered by production's grants.
 */
export const algoitny: SystemDefinition = {
  name: "algoitny",
  description: "AlgoItny: API ASG (t3.medium) behind an ALB + Celery worker ASG (t3.large), ap-northeast-2",
  preset: (environment) => {
    const prod = environment === "prod";
    const secretName = prod ? "algoitny-secrets" : `algoitny-${environment}-secrets`;
    return {
      project: "algoitny",
      region: "ap-northeast-2",
      network: { cidr: "10.30.0.0/16", isolatedSubnets: null },
      registry: { repositories: { algoitny: { repositoryName: prod ? "algoitny" : `algoitny-${environment}` } } },
      storage: {
        tables: {
          // The document names the table, not its keys: a generic single-table design (PK, SK).
          main: { tableName: prod ? "algoitny_main" : `algoitny_${environment}_main`, partitionKey: { name: "PK" }, sortKey: { name: "SK" } },
        },
        keyDeletionWindowInDays: prod ? 30 : 7,
      },
      secrets: {
        prefix: secretName,
        entries: {
          [secretName]: "AlgoItny application keys as JSON: SECRET_KEY, GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET, GEMINI_API_KEY, OPENAI_API_KEY, ANTHROPIC_API_KEY",
        },
        recoveryWindowInDays: prod ? 30 : 7,
      },
    };
  },
  build: (scope, context) => {
    const network = new NetworkStack(scope, context);
    return [network, ...dataTierStacks(scope, context, network)];
  },
};
