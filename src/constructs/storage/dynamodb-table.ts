import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { dynamodbAccess } from "../../lib/grants";
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
    const keys = [partitionKey, ...(sortKey ? [sortKey] : [])];
    this.table = new DynamodbTable(this, "table", {
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: partitionKey.name,
      rangeKey: sortKey?.name,
      attribute: keys.map((k) => ({ name: k.name, type: k.type })),
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
