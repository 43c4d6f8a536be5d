import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { EnvironmentName } from "../config/environments";
import { SystemConfigInput } from "../config/system-config";
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
  /** Builds the system's stacks, in dependency order. */
  build(scope: Construct, context: StackContext): TerraformStack[];
}
