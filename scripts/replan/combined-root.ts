import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { offlineProviderBlocks, TerraformWorkdir } from "../../__tests__/harness/terraform";
import { asSharingModule, ProviderBlocks, rootConfiguration, shareProviders, SharedProviders, STACKS_DIR } from "./modules";

/** A synthesized stack as a module of a combined root, under `name`. */
export interface RootMember {
  /** The module's name in the root (a stack's name, or that name made unique). */
  readonly name: string;
  /** The synth output holding the stack (and the stacks it reads). */
  readonly outdir: string;
  readonly stack: string;
}

export interface CombinedRootOptions {
  /**
   * Changes a member's directory after its offline override is written (the HCL exit swaps
   * the JSON for the HCL of the same stack); it needs shareProviders false.
   */
  readonly prepare?: (name: string, dir: string) => void;
  /** Declare each distinct provider configuration once, in the root. @default true */
  readonly shareProviders?: boolean;
  /** Changes a member's configuration before it is written (the review plans without `prevent_destroy`). @default none */
  readonly configure?: (json: Record<string, never>) => Record<string, never>;
}

/**
 * Synthesized stacks as the child modules of one temporary terraform root (./modules.ts), so
 * that one terraform command covers them all: every command loads the aws provider's schema,
 * seconds of CPU. Each member is the harness's offline copy of its stack (fake credentials,
 * stand-ins for the remote states it reads) in `stacks/<name>/`, and each distinct provider
 * configuration is declared once in the root and passed to the members that have it:
 * terraform starts a provider process per configuration per module, for every command.
 */
export class CombinedRoot {
  public readonly workdir: TerraformWorkdir;
  /** The provider configurations the root passes to the members (none when options.shareProviders is false). */
  public readonly shared?: SharedProviders;

  constructor(
    public readonly members: readonly RootMember[],
    options: CombinedRootOptions = {},
  ) {
    if (options.prepare && options.shareProviders !== false) throw new Error("CombinedRoot: a prepared stack keeps its own provider blocks; pass shareProviders: false");
    const duplicate = members.find((m, i) => members.findIndex((o) => o.name === m.name) !== i);
    if (duplicate) throw new Error(`CombinedRoot: two members are named ${duplicate.name}`);
    const jsons = new Map(members.map((m) => [m.name, JSON.parse(readFileSync(join(m.outdir, "stacks", m.stack, "cdk.tf.json"), "utf8")) as Record<string, never>]));
    this.shared = options.shareProviders === false ? undefined : shareProviders(new Map([...jsons].map(([name, json]) => [name, offlineProviderBlocks(json) as ProviderBlocks])));
    this.workdir = new TerraformWorkdir(members[0]?.outdir ?? "", "combined-root", { configuration: rootConfiguration(jsons, this.shared) });
    for (const member of members) {
      const copy = new TerraformWorkdir(member.outdir, member.stack, { at: this.memberDir(member.name) });
      const keys = this.keysOf(member.name);
      const json = options.configure ? options.configure(jsons.get(member.name)!) : jsons.get(member.name)!;
      if (keys) writeFileSync(join(copy.dir, "cdk.tf.json"), JSON.stringify(asSharingModule(json, keys), null, 2));
      else if (options.configure) writeFileSync(join(copy.dir, "cdk.tf.json"), JSON.stringify(json, null, 2));
      copy.writeOfflineOverride({ providers: keys === undefined });
      options.prepare?.(member.name, copy.dir);
    }
  }

  /** The directory of a member inside the root. */
  public memberDir(name: string): string {
    return join(this.workdir.dir, STACKS_DIR, name);
  }

  /** A member's provider keys (`aws`, `aws.us_east_1`) to the root's, where it shares them. */
  public keysOf(name: string): ReadonlyMap<string, string> | undefined {
    return this.shared?.keys.get(name);
  }

  public dispose(): void {
    this.workdir.dispose();
  }
}
