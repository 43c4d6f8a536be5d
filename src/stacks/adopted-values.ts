import { TerraformResource, TerraformStack } from "cdktf";
import { AdoptedConfig } from "../config/adopted-config";
import { ConfigError } from "../lib/errors";
import { resourcesByAddress } from "./resource-addresses";

/**
 * Applies `adopted` (src/config/adopted-config.ts): each listed attribute of each listed
 * resource of the system's stacks is overridden with the value the existing resource has.
 * A layer or an address that names nothing fails synth, naming what exists.
 * @param prefix `<project>-<environment>`, the stacks' name prefix
 */
export function applyAdoptedValues(stacks: readonly TerraformStack[], prefix: string, adopted: AdoptedConfig): void {
  const byLayer = new Map(stacks.map((s) => [s.node.id.startsWith(`${prefix}-`) ? s.node.id.slice(prefix.length + 1) : s.node.id, s]));
  for (const [layer, resources] of Object.entries(adopted)) {
    const stack = byLayer.get(layer);
    if (!stack) throw new ConfigError(`adopted.${layer}`, resources, `is not a layer of ${prefix}`, `use one of ${[...byLayer.keys()].join(", ")}`);
    const byAddress = resourcesByAddress(stack);
    for (const [address, attributes] of Object.entries(resources)) {
      const resource = byAddress.get(address);
      if (!resource) {
        throw new ConfigError(`adopted.${layer}.${address}`, attributes, `is not a resource of ${stack.node.id}`, "use an address from the stack's cdk.tf.json (npm run adopt prints them)");
      }
      for (const [attribute, value] of Object.entries(attributes)) {
        if (!isArgument(resource, attribute)) {
          throw new ConfigError(
            `adopted.${layer}.${address}.${attribute}`,
            value,
            `is not an argument of ${resource.terraformResourceType} (one its configuration may set)`,
            "use an argument name as the provider documents it, in snake_case, e.g. name or description",
          );
        }
        resource.addOverride(attribute, value);
      }
    }
  }
}

/**
 * Whether `attribute` (snake_case) is an argument of `resource`: the provider bindings give every
 * argument, and only arguments, an `<attribute>Input` getter (`name` -> `nameInput`). An override
 * of anything else (a typo, a computed attribute such as `arn`) is a configuration Terraform refuses.
 */
function isArgument(resource: TerraformResource, attribute: string): boolean {
  const camel = attribute.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return `${camel}Input` in resource;
}
