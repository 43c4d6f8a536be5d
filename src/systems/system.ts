import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { EnvironmentName } from "../config/environments";
import { SystemConfigInput } from "../config/system-config";
import { SystemContract } from "../contracts";
import { StackContext } from "../stacks/aws-stack";

/**
 * One built-in system (described in docs/systems.md): its preset configuration per
 * environment, holding the system's numbers, and the stacks it is made of.
 */
export interface SystemDefinition {
  /** The system's name, used as `project` and in stack names. */
  readonly name: string;
  /** One line on what the system is. */
  readonly description: string;
  /** The document's settings for an environment; the environment profile fills the rest. */
  preset(environment: EnvironmentName): SystemConfigInput;
  /**
   * What the system's running software needs in an environment, per principal (image pulls,
   * secrets, keys, database and cache connections, buckets, tables, logs, metrics), proven by
   * the contract rung against the synthesized stacks (docs/contracts.md).
   */
  contract(environment: EnvironmentName): SystemContract;
  /** Builds the system's stacks, in dependency order. */
  build(scope: Construct, context: StackContext): TerraformStack[];
}
