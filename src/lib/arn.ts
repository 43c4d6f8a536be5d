import { Fn } from "cdktf";

/**
 * The account id inside an ARN (`arn:<partition>:<service>:<region>:<account>:...`), as a
 * Terraform expression. Stacks use it to learn the account from a resource they create,
 * where a data source (`aws_caller_identity`) would need AWS credentials at plan time.
 */
export function accountIdOf(arn: string): string {
  return Fn.element(Fn.split(":", arn), 4);
}
