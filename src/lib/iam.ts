import { Fn } from "cdktf";

/** One IAM policy statement. Values may be Terraform references (tokens). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Principal?: Record<string, string | readonly string[]> | "*";
  readonly Condition?: Record<string, Record<string, string | readonly string[] | boolean>>;
}

/**
 * An IAM policy document as a Terraform `jsonencode(...)` expression, so references to
 * other resources are resolved by Terraform and the JSON is always well-formed.
 *
 * Refuses an Allow statement that grants every action on every resource.
 */
export function policyDocument(...statements: PolicyStatement[]): string {
  for (const s of statements) {
    const actions = ([] as string[]).concat(s.Action);
    const resources = s.Resource === undefined ? [] : ([] as string[]).concat(s.Resource);
    if (s.Effect === "Allow" && actions.includes("*") && resources.includes("*")) {
      throw new Error(`IAM statement ${s.Sid ?? ""} allows "*" on "*"; grant named actions on named resources instead`);
    }
  }
  return Fn.jsonencode({ Version: "2012-10-17", Statement: statements });
}

/**
 * A trust policy letting an AWS service assume a role, optionally limited by conditions.
 * @param actions what the service may do with the role @default `sts:AssumeRole`
 */
export function assumeRolePolicy(service: string, condition?: PolicyStatement["Condition"], actions: string | readonly string[] = "sts:AssumeRole"): string {
  return policyDocument({
    Effect: "Allow",
    Principal: { Service: service },
    Action: actions,
    ...(condition ? { Condition: condition } : {}),
  });
}
