import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { dynamodbAccess } from "../../lib/grants";
import { checkNameLength } from "../../lib/naming";
import { IGrantable } from "../iam/service-role";

/** A key attribute: its name and type (`S` string, `N` number, `B` binary). */
export interface TableKey {
  readonly name: string;
  /** @default "S" */
  readonly type?: "S" | "N" | "B";
}

export interface DynamoTableProps {
  readonly tableName: string;
  readonly partitionKey: TableKey;
  /** @default none */
  readonly sortKey?: TableKey;
  /** A customer managed KMS key ARN. @default the AWS managed key `aws/dynamodb` */
  readonly kmsKeyArn?: string;
  /** Attribute holding each item's expiry time (epoch seconds). @default no TTL */
  readonly ttlAttribute?: string;
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
    checkNameLength("dynamodbTable", props.tableName, "tableName");
    const keys = [props.partitionKey, ...(props.sortKey ? [props.sortKey] : [])];
    this.table = new DynamodbTable(this, "table", {
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: props.partitionKey.name,
      rangeKey: props.sortKey?.name,
      attribute: keys.map((k) => ({ name: k.name, type: k.type ?? "S" })),
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
      ttl: props.ttlAttribute ? { enabled: true, attributeName: props.ttlAttribute } : undefined,
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
