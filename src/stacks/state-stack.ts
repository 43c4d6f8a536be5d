import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { stateBackendNames } from "../constructs/state-backend/settings";
import { StateBackend } from "../constructs/state-backend";
import { AwsStack, StackContext } from "./aws-stack";

/**
 * The state layer, `<project>-<environment>-state`: the bucket and lock table that the
 * system's other stacks keep their state in (`backend.type: "s3"`).
 *
 * It is applied first, with its own state local; then its state moves into the bucket it
 * created with `terraform init -migrate-state` (docs/state.md, "Bootstrap").
 */
export class StateStack extends AwsStack {
  public readonly state: StateBackend;

  constructor(scope: Construct, context: StackContext) {
    super(scope, "state", context);
    const names = stateBackendNames(context.config);
    this.state = new StateBackend(this, "state", {
      bucketName: names.bucketName,
      lockTableName: names.lockTableName,
      settings: context.config.stateBackend,
    });

    const outputs: Record<string, { value: unknown; description: string }> = {
      state_bucket_name: { value: this.state.bucket.name, description: "The state bucket: backend.bucket" },
      state_bucket_arn: { value: this.state.bucket.arn, description: "The state bucket's ARN, for IAM policies" },
      lock_table_name: { value: this.state.lockTable.name, description: "The lock table: backend.dynamodbTable" },
      lock_table_arn: { value: this.state.lockTable.arn, description: "The lock table's ARN, for IAM policies" },
      region: { value: context.config.region, description: "The region of the bucket and the table: backend.region" },
    };
    for (const [id, o] of Object.entries(outputs)) new TerraformOutput(this, id, o);
  }
}
