import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { dynamodbAccess } from "../../lib/grants";
import { ConfigError } from "../../lib/errors";
import { checkName } from "../../lib/naming";
import { IGrantable } from "../iam/service-role";
import type { TableConfig } from "./settings";

/** A table's settings, parsed by the storage schema (./settings.ts), which declares each default once; the name is given apart. */
export type TableSettings = Omit<TableConfig, "tableName">;

export interface DynamoTableProps {
  readonly tableName: string;
  /** Partition key, optional sort key, optional TTL attribute. */
  readonly settings: TableSettings;
  /** A customer managed KMS key ARN. @default the AWS managed key `aws/dynamodb` */
  readonly kmsKeyArn?: string;
  /** AWS-side deletion protection. @default true */
  readonly deletionProtection?: boolean;
  /** Terraform `prevent_destroy`. @default true */
  readonly preventDestroy?: boolean;
}

/**
 * A DynamoDB table with on-demand billing, point-in-time recovery, server-side
 * encryption, deletion protection and `prevent_destroy`.
 */
export class DynamoTable extends Construct {
  public readonly table: DynamodbTable;
  /** The table's name as configured (a plain string, not a reference). */
  public readonly tableName: string;

  constructor(scope: Construct, id: string, props: DynamoTableProps) {
    super(scope, id);
    this.tableName = props.tableName;
    checkName("dynamodbTable", props.tableName, "tableName");
    const { partitionKey, sortKey, ttlAttribute } = props.settings;
    const indexes = indexesOf(props.settings);
    this.table = new DynamodbTable(this, "table", {
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: partitionKey.name,
      rangeKey: sortKey?.name,
      attribute: keyAttributes(props.settings),
      globalSecondaryIndex: indexes.length > 0 ? indexes.map(([name, index]) => ({ name, hashKey: index.partitionKey.name, rangeKey: index.sortKey?.name, projectionType: index.projection })) : undefined,
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
      ttl: ttlAttribute ? { enabled: true, attributeName: ttlAttribute } : undefined,
      deletionProtectionEnabled: props.deletionProtection ?? true,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
  }

  public get name(): string {
    return this.table.name;
  }

  public get arn(): string {
    return this.table.arn;
  }

  /** Lets `grantee` read items. */
  public grantRead(grantee: IGrantable, sid = "ReadTable"): void {
    grantee.addToPolicy(...dynamodbAccess(sid, [this.arn], false));
  }

  /** Lets `grantee` read and write items. */
  public grantReadWrite(grantee: IGrantable, sid = "ReadWriteTable"): void {
    grantee.addToPolicy(...dynamodbAccess(sid, [this.arn], true));
  }
}

/**
 * The table's attribute definitions: every attribute that keys the table or one of its indexes,
 * once (DynamoDB refuses a definition no key uses). Fails, naming the index's key, when an index
 * gives an attribute another type than the table or another index; the storage settings' check
 * (./checks.ts) calls it too, so that the error names the user's key.
 */
export function keyAttributes(settings: TableSettings): { name: string; type: string }[] {
  const types = new Map<string, string>();
  const add = (key: { name: string; type: string }, at: string) => {
    const known = types.get(key.name);
    if (known !== undefined && known !== key.type) {
      throw new ConfigError(`${at}.type`, key.type, `gives ${key.name} another type than its other key (${known})`, `use ${known}, or another attribute`);
    }
    types.set(key.name, key.type);
  };
  add(settings.partitionKey, "partitionKey");
  if (settings.sortKey) add(settings.sortKey, "sortKey");
  for (const [name, index] of indexesOf(settings)) {
    add(index.partitionKey, `globalSecondaryIndexes.${name}.partitionKey`);
    if (index.sortKey) add(index.sortKey, `globalSecondaryIndexes.${name}.sortKey`);
  }
  return [...types].map(([name, type]) => ({ name, type }));
}

/** A table's global secondary indexes, by name. */
function indexesOf(settings: TableSettings): [string, TableSettings["globalSecondaryIndexes"][string]][] {
  return Object.entries(settings.globalSecondaryIndexes).sort(([a], [b]) => a.localeCompare(b));
}
