import { partitionOf } from "../../lib/regions";

/**
 * ARNs of resources other stacks (or other teams) own, built from their names, so that
 * grants need no lookup and no dependency on the stack that creates them. Without an
 * account id, the account is a wildcard: the names still scope the grant.
 */
export class ArnBuilder {
  public readonly partition: string;
  private readonly account: string;

  constructor(
    public readonly region: string,
    accountId?: string,
  ) {
    this.partition = partitionOf(region);
    this.account = accountId ?? "*";
  }

  /** An ECR repository, in `accountId` (or the registry's account). */
  public ecrRepository(name: string, accountId?: string): string {
    return `arn:${this.partition}:ecr:${this.region}:${accountId ?? this.account}:repository/${name}`;
  }

  /**
   * A secret by name (`name-??????`: Secrets Manager appends six random characters), or
   * by prefix when the name ends in `/*` (`joblet/*`).
   */
  public secret(name: string): string {
    const resource = name.endsWith("/*") ? name : `${name}-??????`;
    return `arn:${this.partition}:secretsmanager:${this.region}:${this.account}:secret:${resource}`;
  }

  public dynamodbTable(name: string): string {
    return `arn:${this.partition}:dynamodb:${this.region}:${this.account}:table/${name}`;
  }

  /** A log group by name, or the groups under a prefix ending in `/*` (their streams too). */
  public logGroup(name: string): string {
    return `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:${name}`;
  }

  public sqsQueue(name: string): string {
    return `arn:${this.partition}:sqs:${this.region}:${this.account}:${name}`;
  }

  public s3Bucket(name: string): string {
    return `arn:${this.partition}:s3:::${name}`;
  }

  /** The Secrets Manager endpoint, for `kms:ViaService`. */
  public get secretsManagerService(): string {
    return `secretsmanager.${this.region}.amazonaws.com`;
  }
}
