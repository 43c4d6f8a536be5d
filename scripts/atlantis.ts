/**
 * `npm run atlantis`: writes `atlantis.yaml` at the repository root from the last synth's
 * `cdktf.out/manifest.json` (docs/atlantis.md). A step of its own, after `npm run synth`,
 * rather than part of synth: only teams on Atlantis need the file, it reads nothing but
 * synth's output, and a pre-workflow hook can run it right after synth.
 *
 *   npm run atlantis                          atlantis.yaml for a repository that commits cdktf.out
 *   npm run atlantis -- --synth hook          ... whose Atlantis synthesizes in a pre-workflow hook
 *   npm run atlantis -- --extra-source cfg/prod.json   (hook mode) more files that change the stacks
 *   npm run atlantis -- --terraform-version 1.11.4     the CLI version of every project
 *   npm run atlantis -- --allow-local-backend          accept stacks whose state is a local file
 *   npm run atlantis -- --check               fail if atlantis.yaml differs from what it would write
 *   npm run -s atlantis -- --matrix           print the waves as JSON for a CI matrix, write nothing
 *
 * CDKTF_OUTDIR names another synth folder (default cdktf.out); the repository root is the
 * current folder.
 */
import { existsSync, readFileSync, writeFileSync } from "fs";
import { join, resolve } from "path";
import { atlantisConfig, AtlantisOptions, PlanGraphError, planWaves, readPlanGraph, renderAtlantisYaml, SynthMode } from "./plan-graph";

function main(argv: readonly string[]): void {
  const args = parseArgs(argv);
  const root = process.cwd();
  const outdir = resolve(process.env.CDKTF_OUTDIR || join(root, "cdktf.out"));
  const graph = readPlanGraph(outdir, root);
  if (args.matrix) {
    process.stdout.write(`${JSON.stringify(planWaves(graph))}\n`);
    return;
  }
  const text = renderAtlantisYaml(atlantisConfig(graph, args.options), args.options.synth);
  const file = join(root, "atlantis.yaml");
  if (args.check) {
    const current = existsSync(file) ? readFileSync(file, "utf8") : "";
    if (current !== text) {
      process.stderr.write(`atlantis.yaml is not what \`npm run atlantis\` writes from cdktf.out: run it and commit the result.\n`);
      process.exit(1);
    }
    process.stdout.write(`atlantis.yaml is up to date (${graph.length} projects)\n`);
    return;
  }
  writeFileSync(file, text);
  const groups = Math.max(...graph.map((s) => s.group)) + 1;
  process.stdout.write(`atlantis.yaml: ${graph.length} projects in ${groups} execution order groups\n`);
}

function parseArgs(argv: readonly string[]): { options: AtlantisOptions & { synth: SynthMode }; matrix: boolean; check: boolean } {
  let synth: SynthMode = "committed";
  let terraformVersion: string | undefined;
  const extraSources: string[] = [];
  let allowLocalBackend = false;
  let matrix = false;
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) usage(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case "--synth": {
        const v = value();
        if (v !== "committed" && v !== "hook") usage(`--synth is "${v}"; use committed or hook`);
        synth = v;
        break;
      }
      case "--terraform-version":
        terraformVersion = value();
        break;
      case "--extra-source":
        extraSources.push(value());
        break;
      case "--allow-local-backend":
        allowLocalBackend = true;
        break;
      case "--matrix":
        matrix = true;
        break;
      case "--check":
        check = true;
        break;
      default:
        usage(`unknown argument "${arg}"`);
    }
  }
  if (matrix && check) usage("--check and --matrix are two commands; give one");
  return { options: { synth, terraformVersion, extraSources, allowLocalBackend }, matrix, check };
}

function usage(problem: string): never {
  process.stderr.write(
    `npm run atlantis: ${problem}.\n` +
      `usage: npm run atlantis -- [--synth committed|hook] [--extra-source <path>]... [--terraform-version <x.y.z>] [--allow-local-backend] [--check | --matrix]\n`,
  );
  process.exit(2);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  if (e instanceof PlanGraphError) {
    process.stderr.write(`npm run atlantis: ${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
