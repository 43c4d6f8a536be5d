import { Construct } from "constructs";
import { DataTerraformRemoteStateS3, IResolvable, Token } from "cdktf";
import { ForeignStateConfig, validateForeignState } from "./settings";
import { ConfigError, Problems, rekeyed } from "../../lib/errors";

/** The Terraform type of an output read from another state. */
export type OutputKind = "string" | "number" | "bool" | "list" | "map";

/** The TypeScript value an output of kind `K` is read as (a token that resolves at plan). */
export type OutputValue<K extends OutputKind> = K extends "string"
  ? string
  : K extends "number"
    ? number
    : K extends "bool"
      ? IResolvable
      : K extends "list"
        ? string[]
        : Record<string, string>;

/** The outputs a stack reads from a state: the name the code uses, and its kind. */
export type OutputSpec = Readonly<Record<string, OutputKind>>;

export interface ForeignStateProps<S extends OutputSpec> {
  /**
   * Where the state is and what its outputs are called: usually `config.foreignStates.<name>`.
   * Undefined (not configured) fails synth with a ConfigError.
   */
  readonly state: ForeignStateConfig | undefined;
  /**
   * The outputs the code reads, by the name the code uses, with their kinds, e.g.
   * `{ vpcId: "string", privateSubnetIds: "list" }`. Every name must be mapped in
   * `state.outputs`; a missing one fails synth.
   */
  readonly reads: S;
  /** The bucket's region when `state.region` is not set. */
  readonly defaultRegion: string;
  /** Where the settings live, for error messages. @default `foreignStates.<id>` */
  readonly configKey?: string;
  /** Where the configuration is, for error messages, e.g. `algoitny/prod`. @default none */
  readonly configScope?: string;
}

/**
 * Another team's Terraform state in S3, read through `terraform_remote_state`, with
 * named, typed outputs: `vpc.outputs.privateSubnetIds` is a `string[]`.
 *
 * The names the code uses are mapped to the names in the other state by configuration
 * (`foreignStates.<name>.outputs`), so a team whose output is `private_subnets` instead of
 * `private_subnet_ids` changes config, not code. Synth fails with a ConfigError naming
 * every output the code needs that the configuration does not map.
 *
 * The synthesized data source carries a `//` comment listing the outputs read and their
 * kinds, for reviewers (and for the test harness's stand-in states).
 *
 * Stacks of the same app do not need this: referencing another stack's attribute makes
 * cdktf write the output and the `terraform_remote_state` pair itself.
 */
export class ForeignState<S extends OutputSpec> extends DataTerraformRemoteStateS3 {
  /** The outputs, by the names the code uses. */
  public readonly outputs: { readonly [K in keyof S]: OutputValue<S[K]> };
  /** `s3://<bucket>/<key>`, for messages. */
  public readonly location: string;

  constructor(scope: Construct, id: string, props: ForeignStateProps<S>) {
    const state = checkForeignState(`${scope.node.path}/${id}`, id, props);
    super(scope, id, {
      bucket: state.bucket,
      key: state.key,
      region: state.region ?? props.defaultRegion,
      profile: state.profile,
      assumeRole: state.roleArn ? { roleArn: state.roleArn } : undefined,
    });
    this.location = locationOf(state);
    const reads: Record<string, OutputKind> = {};
    const outputs: Record<string, unknown> = {};
    for (const [name, kind] of Object.entries(props.reads)) {
      const output = state.outputs[name];
      reads[output] = kind;
      outputs[name] = this.read(output, kind);
    }
    this.addOverride("//", { reads: sortKeys(reads) });
    this.outputs = outputs as { readonly [K in keyof S]: OutputValue<S[K]> };
  }

  private read(output: string, kind: OutputKind): unknown {
    switch (kind) {
      case "string":
        return this.getString(output);
      case "number":
        return this.getNumber(output);
      case "bool":
        return this.getBoolean(output);
      case "list":
        return this.getList(output);
      case "map":
        return Token.asStringMap(this.get(output));
    }
  }
}

/** The state's settings; fails with every problem in them, and every output read but not mapped. */
function checkForeignState(path: string, id: string, props: ForeignStateProps<OutputSpec>): ForeignStateConfig {
  const { state } = props;
  const configKey = props.configKey ?? `foreignStates.${id}`;
  const problems = new Problems();
  const inScope = (e: ConfigError) => (props.configScope ? e.inScope(props.configScope) : e);
  if (state === undefined) {
    const outputs = Object.keys(props.reads).map((name) => `"${name}": "${snakeCase(name)}"`).join(", ");
    throw inScope(
      new ConfigError(
        configKey,
        undefined,
        `is required: ${path} reads ${Object.keys(props.reads).join(", ")} from another team's state`,
        `add it: { "bucket": "<bucket>", "key": "<path>/terraform.tfstate", "outputs": { ${outputs} } }`,
      ),
    );
  }
  problems.check(() => rekeyed(() => validateForeignState(state), (e) => inScope(e.under(configKey))));
  for (const [name, kind] of Object.entries(props.reads)) {
    if (state.outputs[name] === undefined) {
      problems.add(
        inScope(
          new ConfigError(
            `${configKey}.outputs.${name}`,
            undefined,
            `is required: ${path} reads the ${kind} output "${name}" from ${locationOf(state)}`,
            `map it to the output's name in that state, e.g. "outputs": { "${name}": "${snakeCase(name)}" }`,
          ),
        ),
      );
    }
  }
  problems.throwIfAny();
  return state;
}

function locationOf(state: ForeignStateConfig): string {
  return `s3://${state.bucket}/${state.key}`;
}

function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
