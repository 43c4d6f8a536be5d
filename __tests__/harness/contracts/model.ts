import { evaluateTemplate, index } from "./hcl";

/** The account id every stand-in ARN carries (no real account is involved). */
/** The account of a system whose providers name none (`allowed_account_ids`). */
export const ACCOUNT_ID = "111122223333";

type Json = Record<string, unknown>;
/** A synthesized stack, parsed (`cdk.tf.json`). */
export type StackJson = { resource?: Record<string, Record<string, Json>>; data?: Record<string, Record<string, Json>>; output?: Record<string, { value: unknown }>; provider?: Record<string, Json[]> };

/** One resource of a system, its arguments resolved to concrete stand-in values. */
export interface ModelResource {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  /** The construct path below the stack, e.g. `["app", "blue", "launch_template"]`. */
  readonly path: string[];
  readonly config: Json;
  /** `stack:type.name`, for messages. */
  readonly address: string;
}

/**
 * Every stack of one system and environment, with every `${...}` resolved: references inside
 * a stack, `terraform_remote_state` outputs across stacks (to the producing stack's output
 * expression), and computed attributes given deterministic stand-ins of the right shape (ARNs
 * from names, the account id, the region), so that an ARN in a policy equals the ARN of the
 * resource it means.
 */
export class SystemModel {
  readonly region: string;
  /** The account the stacks are applied to: their providers' `allowed_account_ids`, or a stand-in. */
  readonly accountId: string;
  readonly resources: ModelResource[] = [];
  /** Expressions left unresolved (the rung does not model for-expressions). */
  readonly unresolved: string[] = [];
  private readonly resolving = new Set<string>();
  private readonly outputCache = new Map<string, unknown>();
  private readonly resourceCache = new Map<string, Json>();

  constructor(readonly stacks: Readonly<Record<string, StackJson>>) {
    // A system lives in one region (CloudFront's certificates aside): its stacks' default aws provider's.
    const withProvider = Object.values(stacks).find((st) => st.provider?.aws?.length);
    const provider = withProvider?.provider?.aws?.find((p) => !p.alias) as Json | undefined;
    this.region = String(provider?.region ?? "us-east-1");
    this.accountId = String((provider?.allowed_account_ids as string[] | undefined)?.[0] ?? ACCOUNT_ID);
    for (const [stack, json] of Object.entries(stacks)) {
      for (const [type, byName] of Object.entries(json.resource ?? {})) {
        for (const name of Object.keys(byName)) {
          const config = this.resourceConfig(stack, type, name);
          const meta = (byName[name]["//"] as { metadata?: { path?: string } } | undefined)?.metadata?.path ?? `${stack}/${name}`;
          this.resources.push({ stack, type, name, path: meta.split("/").slice(1), config, address: `${stack}:${type}.${name}` });
        }
      }
    }
  }

  /** Every resource of a type, across the system's stacks. */
  ofType(type: string): ModelResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** A stack's output value, resolved. */
  output(stack: string, name: string): unknown {
    const key = `${stack}#${name}`;
    if (!this.outputCache.has(key)) {
      const out = this.stacks[stack]?.output?.[name];
      if (!out) throw new Error(`stack ${stack} has no output ${name}`);
      this.outputCache.set(key, this.resolveValue(stack, out.value));
    }
    return this.outputCache.get(key);
  }

  /** A resource's arguments, resolved. */
  resourceConfig(stack: string, type: string, name: string): Json {
    const key = `${stack}:${type}.${name}`;
    const cached = this.resourceCache.get(key);
    if (cached) return cached;
    if (this.resolving.has(key)) throw new Error(`reference cycle through ${key}`);
    const raw = this.stacks[stack]?.resource?.[type]?.[name];
    if (!raw) throw new Error(`${stack} has no resource ${type}.${name}`);
    this.resolving.add(key);
    try {
      const { ["//"]: _meta, ...rest } = raw;
      const config = this.resolveValue(stack, rest) as Json;
      this.resourceCache.set(key, config);
      return config;
    } finally {
      this.resolving.delete(key);
    }
  }

  /** Resolves every string of a JSON value as a Terraform template, in a stack's scope. */
  resolveValue(stack: string, value: unknown): unknown {
    if (typeof value === "string") {
      try {
        return evaluateTemplate(value, (parts) => this.reference(stack, parts));
      } catch (e) {
        // Expressions the rung does not model (for-expressions in locals): kept, and listed, so
        // a check that needs one fails on a visible stand-in rather than on a guess.
        this.unresolved.push(`${stack}: ${value.slice(0, 120)} (${(e as Error).message})`);
        return `<unresolved ${value.slice(0, 80)}>`;
      }
    }
    if (Array.isArray(value)) return value.map((v) => this.resolveValue(stack, v));
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolveValue(stack, v)]));
    }
    return value;
  }

  private reference(stack: string, parts: (string | number)[]): unknown {
    const [head, ...rest] = parts;
    if (head === "terraform" && rest[0] === "workspace") return "default";
    if (head === "data" && rest[0] === "terraform_remote_state") {
      const input = String(rest[1]);
      const producer = input.replace(/^cross-stack-reference-input-/, "");
      if (rest[2] !== "outputs") throw new Error(`unexpected remote state reference ${parts.join(".")}`);
      return walk(this.output(producer, String(rest[3])), rest.slice(4));
    }
    if (head === "data") return walk(this.dataSource(stack, String(rest[0]), String(rest[1])), rest.slice(2));
    if (head === "local") {
      const locals = (this.stacks[stack] as { locals?: Json }).locals ?? {};
      return walk(this.resolveValue(stack, locals[String(rest[0])]), rest.slice(1));
    }
    if (head === "var") throw new Error(`${stack}: the contract rung does not resolve ${parts.join(".")}`);
    const type = String(head);
    const name = String(rest[0]);
    const [attr, ...tail] = rest.slice(1);
    const config = this.resourceConfig(stack, type, name);
    if (attr === undefined) return config;
    const configured = config[String(attr)];
    if (configured !== undefined) return walk(configured, tail);
    return walk(this.computed(stack, type, name, config, String(attr)), tail);
  }

  private dataSource(stack: string, type: string, _name: string): Json {
    if (type === "aws_caller_identity") return { account_id: this.accountId, arn: `arn:aws:iam::${this.accountId}:root`, id: this.accountId };
    if (type === "aws_region") return { name: this.region, region: this.region, id: this.region };
    if (type === "aws_partition") return { partition: "aws", dns_suffix: "amazonaws.com" };
    throw new Error(`${stack}: the contract rung has no stand-in for data source ${type}`);
  }

  /** A computed attribute's stand-in: ARNs from names, ids from addresses. */
  private computed(stack: string, type: string, name: string, c: Json, attr: string): unknown {
    const r = this.region;
    const a = this.accountId;
    // terraform_data's output is its input, once applied.
    if (type === "terraform_data" && attr === "output") return c.input;
    if (attr === "arn") return arnOf(type, name, stack, c, r, this.accountId);
    if (attr === "account_id") return a;
    if (type === "aws_db_instance") {
      const identifier = String(c.identifier);
      if (attr === "master_user_secret") {
        return [{ secret_arn: `arn:aws:secretsmanager:${r}:${a}:secret:rds!db-${identifier}-AbCdEf`, kms_key_id: c.master_user_secret_kms_key_id ?? `arn:aws:kms:${r}:${a}:alias/aws/secretsmanager`, secret_status: "active" }];
      }
      if (attr === "resource_id" || attr === "id") return `db-${identifier.toUpperCase()}`;
      if (attr === "address") return `${identifier}.stand-in.${r}.rds.amazonaws.com`;
      if (attr === "endpoint") return `${identifier}.stand-in.${r}.rds.amazonaws.com:${c.port}`;
    }
    if (type === "aws_sqs_queue" && attr === "url") return `https://sqs.${r}.amazonaws.com/${a}/${c.name}`;
    if (attr === "id") return idOf(type, name, stack, c, r, this.accountId);
    if (attr === "name" || attr === "id") return `${stack}-${name}`;
    if (attr === "arn_suffix") return `stand-in/${stack}/${name}`;
    if (attr === "latest_version") return 1;
    if (attr === "port") return type.startsWith("aws_elasticache") ? 6379 : undefined;
    return `<${stack}:${type}.${name}.${attr}>`;
  }
}

function walk(value: unknown, tail: (string | number)[]): unknown {
  return tail.reduce((v, k) => index(v, k), value);
}

function arnOf(type: string, name: string, stack: string, c: Json, r: string, a: string): string {
  switch (type) {
    case "aws_iam_role":
      return `arn:aws:iam::${a}:role${c.path ?? "/"}${c.name}`;
    case "aws_iam_policy":
      return `arn:aws:iam::${a}:policy${c.path ?? "/"}${c.name}`;
    case "aws_iam_instance_profile":
      return `arn:aws:iam::${a}:instance-profile/${c.name}`;
    case "aws_iam_openid_connect_provider":
      return `arn:aws:iam::${a}:oidc-provider/${String(c.url).replace(/^https:\/\//, "")}`;
    case "aws_kms_key":
      return `arn:aws:kms:${r}:${a}:key/${stack}-${name}`;
    case "aws_secretsmanager_secret":
      return `arn:aws:secretsmanager:${r}:${a}:secret:${c.name}-AbCdEf`;
    case "aws_cloudwatch_log_group":
      return `arn:aws:logs:${r}:${a}:log-group:${c.name}`;
    case "aws_ecr_repository":
      return `arn:aws:ecr:${r}:${a}:repository/${c.name}`;
    case "aws_s3_bucket":
      return `arn:aws:s3:::${c.bucket}`;
    case "aws_dynamodb_table":
      return `arn:aws:dynamodb:${r}:${a}:table/${c.name}`;
    case "aws_elasticache_replication_group":
      return `arn:aws:elasticache:${r}:${a}:replicationgroup:${c.replication_group_id}`;
    case "aws_elasticache_user":
      return `arn:aws:elasticache:${r}:${a}:user:${c.user_id}`;
    case "aws_elasticache_user_group":
      return `arn:aws:elasticache:${r}:${a}:usergroup:${c.user_group_id}`;
    case "aws_db_instance":
      return `arn:aws:rds:${r}:${a}:db:${c.identifier}`;
    case "aws_eks_cluster":
      return `arn:aws:eks:${r}:${a}:cluster/${c.name}`;
    case "aws_sns_topic":
      return `arn:aws:sns:${r}:${a}:${c.name}`;
    case "aws_sqs_queue":
      return `arn:aws:sqs:${r}:${a}:${c.name}`;
    case "aws_acm_certificate":
      return `arn:aws:acm:${c.provider === "aws.us_east_1" ? "us-east-1" : r}:${a}:certificate/${stack}-${name}`;
    case "aws_lb":
      return `arn:aws:elasticloadbalancing:${r}:${a}:loadbalancer/${c.load_balancer_type === "network" ? "net" : "app"}/${c.name}/stand-in`;
    case "aws_lb_target_group":
      return `arn:aws:elasticloadbalancing:${r}:${a}:targetgroup/${c.name}/stand-in`;
    case "aws_ssm_parameter":
      return `arn:aws:ssm:${r}:${a}:parameter/${String(c.name).replace(/^\//, "")}`;
    case "aws_cloudtrail":
      return `arn:aws:cloudtrail:${r}:${a}:trail/${c.name}`;
    default:
      return `arn:aws:${type.replace(/^aws_/, "").split("_")[0]}:${r}:${a}:${type}/${stack}-${name}`;
  }
}

function idOf(type: string, name: string, stack: string, c: Json, r: string, a: string): string {
  switch (type) {
    case "aws_iam_role":
    case "aws_iam_instance_profile":
    case "aws_cloudwatch_log_group":
    case "aws_dynamodb_table":
    case "aws_ecr_repository":
    case "aws_sns_topic":
      return type === "aws_sns_topic" ? arnOf(type, name, stack, c, r, a) : String(c.name);
    case "aws_s3_bucket":
      return String(c.bucket);
    case "aws_secretsmanager_secret":
    case "aws_iam_policy":
      return arnOf(type, name, stack, c, r, a);
    case "aws_kms_key":
      return `${stack}-${name}`;
    case "aws_elasticache_user_group":
      return String(c.user_group_id);
    case "aws_elasticache_user":
      return String(c.user_id);
    case "aws_elasticache_replication_group":
      return String(c.replication_group_id);
    case "aws_eks_cluster":
      return String(c.name);
    default:
      return `${type.replace(/^aws_/, "")}-${stack}/${name}`;
  }
}
