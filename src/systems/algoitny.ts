import { composeSystem } from "./compose";
import { EnvironmentName } from "../config/environments";
import { AT_BOOT, Flow, SystemContract } from "../contracts";
import { SystemDefinition } from "./system";
import { presetAlbTls } from "./tls-preset";

const REGION = "ap-northeast-2";

/**
 * AlgoItny (seed 001): an API ASG behind an ALB and a Celery worker ASG, in
 * ap-northeast-2. The ALB and its target group live in a state of their own (the
 * `services` stack, the document's services/algoitnyapi), read by the compute stack.
 *
 * Its prerequisites are built here in `storage`: the ECR repository `algoitny`, the
 * DynamoDB table `algoitny_main` and the secret `algoitny-secrets`. Those are the
 * document's (production) names; other environments get `-<environment>` names for the
 * repository and the secrets, so prod's grants never cover them.
 *
 * The tables keep AlgoItny's own names in every environment: its backend hard-codes them
 * (`DynamoDBClient._table_name = 'algoitny_main'`, `DJANGO_DYNAMODB_TABLE_NAME =
 * 'algoitny_django'`), so each environment needs its own AWS account (`accountId`), as
 * Joblet's do; synth refuses two environments that may share one (src/config/unique-names.ts).
 * So does its Celery broker: the document names ElastiCache Redis, but the backend's Celery
 * runs on SQS (`celery[sqs]`, no Redis client installed; `CELERY_BROKER_URL` defaults to
 * `sqs://`, the instance role's credentials) and routes every task to the queue
 * `algoitny-jobs-prod` when `ENVIRONMENT=production` (its settings.py, its terraform/sqs). So
 * the queue is built here with that name, and no Redis: nothing of the backend would use it.
 * Their keys and indexes are the backend's (its terraform/dynamodb/algoitny): the single-table
 * `algoitny_main` queries GSI1 (users by e-mail, history by user), GSI2 (Google id, public
 * timeline) and GSI3 (problems by status), and expires usage logs on `ttl`; `algoitny_django`
 * holds Django's sessions and Celery's task results, by type on TypeIndex, expiring on `exp`.
 */
export const algoitny: SystemDefinition = {
  name: "algoitny",
  description: "AlgoItny: API ASG (t3.medium) behind an ALB + Celery worker ASG (t3.large), ap-northeast-2",
  preset: (environment) => {
    const prod = environment === "prod";
    const names = algoitnyNames(environment);
    // Both roles: the image from the ECR repository, the secret read at boot, read/write on the tables
    // (the API serves sessions and enqueues, the workers store task results).
    const dynamodbTables = [names.table, names.djangoTable].map((name) => ({ name, access: "read_write" as const }));
    return {
      project: "algoitny",
      region: REGION,
      // Code runs (POST /api/execute/), problem registration and admin edits of a problem
      // (/api/register/, /api/problems/) carry source code and test data, often past 8 KB.
      waf: { largeBodyPaths: ["/api/execute/", "/api/register/", "/api/problems/"] },
      // Isolated subnets (no route out) stay for data stores, as in every system here.
      network: { cidr: "10.30.0.0/16" },
      // Dev pushes a moving "latest"; staging and prod deploy immutable release tags.
      registry: { repositories: { algoitny: { repositoryName: names.repository, imageTagMutability: environment === "dev" ? "MUTABLE" : "IMMUTABLE" } } },
      storage: {
        tables: {
          main: {
            tableName: names.table,
            partitionKey: { name: "PK" },
            sortKey: { name: "SK" },
            ttlAttribute: "ttl",
            globalSecondaryIndexes: {
              GSI1: { partitionKey: { name: "GSI1PK" }, sortKey: { name: "GSI1SK" } },
              GSI2: { partitionKey: { name: "GSI2PK" }, sortKey: { name: "GSI2SK" }, projection: "KEYS_ONLY" },
              GSI3: { partitionKey: { name: "GSI3PK" }, sortKey: { name: "GSI3SK", type: "N" } },
            },
          },
          django: {
            tableName: names.djangoTable,
            partitionKey: { name: "PK" },
            sortKey: { name: "SK" },
            ttlAttribute: "exp",
            globalSecondaryIndexes: { TypeIndex: { partitionKey: { name: "tp" }, sortKey: { name: "SK" } } },
          },
        },
        // The broker: tasks are hidden for Celery's visibility_timeout (3600 s, twice its 30-minute
        // task limit) once received; one that fails five times goes to algoitny-jobs-prod-dlq.
        queues: { jobs: { queueName: names.queue, visibilityTimeoutSeconds: 3600 } },
        keyDeletionWindowInDays: prod ? 30 : 7,
      },
      secrets: {
        prefix: names.secret,
        entries: {
          [names.secret]: "AlgoItny application keys as JSON: SECRET_KEY, GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET, GEMINI_API_KEY, OPENAI_API_KEY, ANTHROPIC_API_KEY",
        },
      },
      compute: {
        // The ALB and its target group live in their own state (the document's services/algoitnyapi).
        loadBalancer: { type: "alb", stack: "services", tls: presetAlbTls(environment) },
        services: {
          api: {
            app: {
              type: "container",
              repository: names.repository,
              secrets: [names.secret],
              // Django answers 400 to a Host its ALLOWED_HOSTS lacks (allowedHosts), so each instance's
              // address is appended: the ALB's health checks send it as their Host. Browsers call it
              // from the document's front end (testcase.run), which CORS and CSRF must trust.
              environment: {
                ...BACKEND_ENVIRONMENT,
                ALLOWED_HOSTS: allowedHosts(environment),
                CORS_ALLOWED_ORIGINS: "https://testcase.run,https://www.testcase.run",
                CSRF_TRUSTED_ORIGINS: "https://api.testcase.run,https://testcase.run",
                GUNICORN_WORKERS: "4",
              },
              privateIpIn: ["ALLOWED_HOSTS"],
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
            grants: { dynamodbTables, sqsQueues: [{ name: names.queue, access: "send" }] },
          },
          worker: {
            app: {
              type: "container",
              repository: names.repository,
              secrets: [names.secret],
              environment: BACKEND_ENVIRONMENT,
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
            // Off-peak scale-down and a morning warm-up (Korea time). Desired only, so applies never
            // undo it; CPU target tracking moves it again afterwards (docs/compute.md, Schedules).
            schedules: {
              offpeak: { recurrence: "0 1 * * *", timeZone: "Asia/Seoul", desiredCapacity: 1 },
              peak: { recurrence: "0 8 * * *", timeZone: "Asia/Seoul", desiredCapacity: 2 },
            },
            grants: { dynamodbTables, sqsQueues: [{ name: names.queue, access: "consume" }] },
          },
        },
      },
    };
  },
  contract: (environment) => algoitnyContract(environment),
  build: (scope, context) => composeSystem(scope, context).stacks,
};

/**
 * What AlgoItny's settings.py needs in every environment, the API's and the workers': outside
 * `ENVIRONMENT=production` it points every AWS SDK call at LocalStack (`AWS_ENDPOINT_URL`,
 * http://localhost:4566), and `DEBUG` is on unless set.
 */
const BACKEND_ENVIRONMENT = { ENVIRONMENT: "production", DEBUG: "False" };

/**
 * Django's ALLOWED_HOSTS: the document's `api.testcase.run,*.testcase.run` as Django reads it
 * (`.testcase.run`: the domain and every subdomain; `*.` matches nothing), and in dev (plain HTTP, no domain) the ALB's DNS names in the region. */
function allowedHosts(environment: EnvironmentName): string {
  return [".testcase.run", ...(environment === "dev" ? [`.${REGION}.elb.amazonaws.com`] : [])].join(",");
}

/** The document's (production) names; other environments get `-<environment>` names, but for the tables and the queue the backend names itself. */
function algoitnyNames(environment: EnvironmentName) {
  const prod = environment === "prod";
  return {
    repository: prod ? "algoitny" : `algoitny-${environment}`,
    table: "algoitny_main",
    djangoTable: "algoitny_django",
    secret: prod ? "algoitny-secrets" : `algoitny-${environment}-secrets`,
    queue: "algoitny-jobs-prod",
  };
}

/**
 * AlgoItny's runtime contract. Both roles (the document's "API Server Role": ECR, DynamoDB,
 * Secrets Manager, CloudWatch Logs, ElastiCache) pull the image, read `algoitny-secrets` at
 * boot (nothing rotates it), read and write `algoitny_main` and `algoitny_django` (Django's
 * sessions, Celery's task results), and use the Celery broker, the SQS queue
 * `algoitny-jobs-prod` (the document's "ElastiCache Redis" is not what its Celery runs on): the
 * API enqueues tasks, the workers consume them (and enqueue follow-ups); Celery's SQS transport
 * lists the queues when it connects. The document's S3 access names no bucket, so none is
 * granted; logs and CloudWatch agent metrics per service.
 */
function algoitnyContract(environment: EnvironmentName): SystemContract {
  const names = algoitnyNames(environment);
  const flows = (service: string, queue: "send" | "consume"): Flow[] => [
    { kind: "image-pull", repository: names.repository },
    { kind: "secret-read", secret: { name: names.secret }, refresh: AT_BOOT },
    { kind: "table", table: names.table, access: "read_write" },
    { kind: "table", table: names.djangoTable, access: "read_write", why: "Django's sessions (api.sessions) and Celery's task results (its DynamoDB result backend)" },
    { kind: "queue", queue: names.queue, access: queue, listsQueues: true, why: "the Celery broker (sqs://, the instance role's credentials)" },
    { kind: "logs", logGroup: `/aws/ec2/algoitny-${environment}-${service}` },
    { kind: "metrics", namespace: "CWAgent" },
  ];
  const ssm = [{ name: "AmazonSSMManagedInstanceCore", why: "Session Manager instead of SSH for operators" }];
  return {
    principals: [
      { principal: { kind: "instance", service: "api" }, flows: flows("api", "send"), managedPolicies: ssm },
      { principal: { kind: "instance", service: "worker" }, flows: flows("worker", "consume"), managedPolicies: ssm },
    ],
  };
}
