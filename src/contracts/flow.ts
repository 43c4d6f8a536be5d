import { Refresh } from "./refresh";
import { SecretRef } from "./secret-ref";

/** Why a flow exists, when the system's document is silent: the choice made and its reason. */
interface Explained {
  readonly why?: string;
}

/** Pulls images from an ECR repository of the project (by repository name). */
export interface ImagePullFlow extends Explained {
  readonly kind: "image-pull";
  readonly repository: string;
}

/** Reads a secret (`secretsmanager:GetSecretValue`), and decrypts it with the key behind it. */
export interface SecretReadFlow extends Explained {
  readonly kind: "secret-read";
  readonly secret: SecretRef;
  readonly refresh: Refresh;
}

/** Writes a secret's value (`secretsmanager:PutSecretValue`), encrypting it with the key behind it. */
export interface SecretWriteFlow extends Explained {
  readonly kind: "secret-write";
  /** The secret's name. */
  readonly secret: string;
  /** The app also creates the secret when it is missing, and tags and updates it (`CreateSecret`, `UpdateSecret`, `TagResource`). */
  readonly alsoCreates?: boolean;
}

/** Connects to the system's database on its port, authenticating as the app does. */
export interface DatabaseFlow extends Explained {
  readonly kind: "database";
  /**
   * `password`: the master user's password, from the secret RDS manages (declare a
   * `secret-read` of `{ databaseMaster: true }` too). `iam`: an IAM auth token for `user`.
   */
  readonly auth: { readonly kind: "password" } | { readonly kind: "iam"; readonly user: string };
}

/** Connects to the system's cache (ElastiCache Redis) on its port as one of its users. */
export interface CacheFlow extends Explained {
  readonly kind: "cache";
  /** The cache user, by its key in the data stack (`app` is the app's user). */
  readonly user: string;
  /** `iam`: the user authenticates with IAM (`elasticache:Connect`); `password`: with a password. */
  readonly auth: "iam" | "password";
}

/** Reads (or reads and writes) objects of a bucket of the project, by its key in `storage.buckets`. */
export interface BucketFlow extends Explained {
  readonly kind: "bucket";
  readonly bucket: string;
  readonly access: "read" | "read_write";
}

/** Reads (or reads and writes) items of a DynamoDB table, by table name. */
export interface TableFlow extends Explained {
  readonly kind: "table";
  readonly table: string;
  readonly access: "read" | "read_write";
}

/**
 * Sends messages to an SQS queue, by queue name, or consumes them (receives, deletes, hides
 * them; and sends). A Celery client lists the account's queues when it connects.
 */
export interface QueueFlow extends Explained {
  readonly kind: "queue";
  readonly queue: string;
  readonly access: "send" | "consume";
  /** Whether the client lists the queues when it connects (Celery's SQS transport). @default false */
  readonly listsQueues?: boolean;
}

/**
 * Writes log events to a log group, by its name; or, by a prefix ending in `/*`, to the log
 * groups the software creates under it (and sets their retention, reads them back, deletes the
 * streams it wrote).
 */
export interface LogsFlow extends Explained {
  readonly kind: "logs";
  readonly logGroup: string;
}

/** Publishes metrics in a CloudWatch namespace. */
export interface MetricsFlow extends Explained {
  readonly kind: "metrics";
  readonly namespace: string;
  /** The metric names it publishes, when an alarm watches them. */
  readonly metrics?: readonly string[];
  /** It reads metrics back (`GetMetricStatistics`), e.g. to answer a user's query. */
  readonly readsBack?: true;
}

/**
 * Calls read-only AWS API actions that take no resource but `*` (List and Describe calls, e.g.
 * the CloudWatch agent's `ec2:DescribeTags`), by full action name.
 */
export interface DescribeFlow extends Explained {
  readonly kind: "describe";
  readonly actions: readonly string[];
}

/** One thing a principal's running software does, that the stacks must allow. */
export type Flow =
  | ImagePullFlow
  | SecretReadFlow
  | SecretWriteFlow
  | DatabaseFlow
  | CacheFlow
  | BucketFlow
  | TableFlow
  | QueueFlow
  | LogsFlow
  | MetricsFlow
  | DescribeFlow;
