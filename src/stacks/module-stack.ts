import { Construct } from "constructs";
import { LayerWiring, ModuleLayer } from "../constructs/module";
import { modulesSetIn } from "../config/modules";
import { AwsStack, StackContext } from "./aws-stack";

/** What the layers before the modules' own built, for their wiring. */
export type BuiltLayers = Pick<LayerWiring, "secrets">;

/**
 * The stack of a module with a layer of its own (ModuleDefinition.layer):
 * `<project>-<environment>-<layer>`, with the AWS provider, tags and backend of every stack,
 * holding what the module's `build` adds.
 */
export class ModuleStack extends AwsStack {
  constructor(scope: Construct, context: StackContext, layer: ModuleLayer, settings: NonNullable<unknown>, built: BuiltLayers) {
    super(scope, layer.name, context);
    const { config, naming } = context;
    layer.build(this, settings, { naming, region: config.region, accountId: config.accountId, ...built });
  }
}

/** The stacks of the system's modules with a layer of their own whose settings it sets, in the modules' order. */
export function moduleStacks(scope: Construct, context: StackContext, built: BuiltLayers): ModuleStack[] {
  return modulesSetIn(context.config, context.modules).flatMap(({ module, settings }) => (module.layer ? [new ModuleStack(scope, context, module.layer, settings, built)] : []));
}
