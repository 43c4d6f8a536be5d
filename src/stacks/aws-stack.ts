import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { resolveBackend, stateKey } from "../config/backend-config";
import { AnyModule } from "../config/modules";
import { ResolvedSystemConfig } from "../config/resolve";
import { Naming } from "../lib/naming";
import { commonTags as tagsOf } from "../lib/tags";
import { StackBackend } from "./backend";
import { BaseStack } from "./base-stack";

/** What every stack of a system is built from. */
export interface StackContext {
  /** The system's validated configuration in one environment. */
  readonly config: ResolvedSystemConfig;
  /** Names resources `<project>-<environment>-...` within AWS's limits. */
  readonly naming: Naming;
  /** The modules the system is made of (PlanOptions.modules); those with a layer build their own stacks. */
  readonly modules: readonly AnyModule[];
}

/** The tags every resource carries, through the provider's `default_tags`. */
export function commonTags(config: ResolvedSystemConfig): Record<string, string> {
  return tagsOf(config.project, config.environment, config.tags);
}

/**
 * A stack of AWS resources: the AWS provider for the system's region, common tags on
 * everything via `default_tags`, and the account guard when `accountId` is set.
 * The stack is named `<project>-<environment>-<layer>`; its state goes to the system's
 * `backend`, under `<project>/<environment>/<stack>.tfstate` in S3.
 */
export abstract class AwsStack extends BaseStack {
  public readonly config: ResolvedSystemConfig;
  public readonly naming: Naming;

  constructor(scope: Construct, layer: string, context: StackContext) {
    const name = `${context.naming.prefix}-${layer}`;
    super(scope, name, stackBackend(context.config, name));
    this.config = context.config;
    this.naming = context.naming;
    new AwsProvider(this, "aws", {
      region: context.config.region,
      allowedAccountIds: context.config.accountId ? [context.config.accountId] : undefined,
      defaultTags: [{ tags: commonTags(context.config) }],
    });
  }
}

/** The backend of stack `stackName` of a system: the system's `backend`, keyed `<project>/<environment>/<stack>.tfstate`. */
export function stackBackend(config: ResolvedSystemConfig, stackName: string): StackBackend {
  const backend = resolveBackend(config);
  if (backend.type === "local") return backend;
  return { ...backend, key: stateKey(backend.keyPrefix, config.project, config.environment, stackName) };
}
