import { copyFileSync, existsSync, readdirSync, readFileSync } from "fs";
import { dirname, join } from "path";
import { TerraformProvider, TerraformStack } from "cdktf";

/**
 * The provider dependency lock files committed in the repository: one folder per set of
 * providers (`provider-locks/aws/.terraform.lock.hcl`), each with the checksums of the
 * provider versions the stacks pin. synth copies the matching one into each stack's folder,
 * so a pipeline's `terraform init` verifies the providers it installs against checksums
 * under review, instead of trusting whatever it downloads first.
 */
export const PROVIDER_LOCKS_DIR = join(projectRoot(__dirname), "provider-locks");

/** The nearest folder above `dir` holding package.json (the app may run from a build folder). */
function projectRoot(dir: string): string {
  let current = dir;
  while (!existsSync(join(current, "package.json"))) {
    const parent = dirname(current);
    if (parent === current) return dir;
    current = parent;
  }
  return current;
}

/** The providers a lock file covers, by type (`aws`), from its `provider "<host>/<ns>/<type>"` blocks. */
export function lockedProviders(lockFile: string): string[] {
  return [...readFileSync(lockFile, "utf8").matchAll(/^provider "[^"]*\/([^"/]+)"/gm)].map((m) => m[1]).sort();
}

/** The provider types a stack configures (`aws`, `kubernetes`). */
export function providersOf(stack: TerraformStack): string[] {
  const types = stack.node.findAll().filter(TerraformProvider.isTerraformProvider).map((p) => p.terraformResourceType);
  return [...new Set(types)].sort();
}

/**
 * Copies into `<outdir>/stacks/<stack>/.terraform.lock.hcl` the committed lock file whose
 * providers are exactly the stack's. Returns the stacks that got none (no committed lock
 * file covers their providers).
 */
export function writeProviderLocks(outdir: string, stacks: readonly TerraformStack[], locksDir = PROVIDER_LOCKS_DIR): string[] {
  const locks = existsSync(locksDir)
    ? readdirSync(locksDir)
        .map((set) => join(locksDir, set, ".terraform.lock.hcl"))
        .filter(existsSync)
        .map((file) => ({ file, providers: lockedProviders(file).join(",") }))
    : [];
  const unlocked: string[] = [];
  for (const stack of stacks) {
    const lock = locks.find((l) => l.providers === providersOf(stack).join(","));
    const dir = join(outdir, "stacks", stack.node.id);
    if (lock && existsSync(dir)) copyFileSync(lock.file, join(dir, ".terraform.lock.hcl"));
    else unlocked.push(stack.node.id);
  }
  return unlocked;
}
