import { z } from "zod";

/**
 * The structure of a repo-level `atlantis.yaml`, version 3, as Atlantis documents it (docs:
 * "Repo Level atlantis.yaml Config", its Reference tables) and as its parser enforces it
 * (server/core/config/raw: RepoCfg, Project, Autoplan, RepoLocks; the decoder rejects unknown
 * keys). Written here, independently of the generator, to check what the generator writes.
 *
 * Checked beyond types, as Atlantis does:
 * - `version` is required (2 or 3; this project writes 3);
 * - a project's `dir` is required and cannot contain `..`;
 * - a `name`, if set, is not empty, holds only URL-safe characters (slashes allowed) and no glob
 *   characters;
 * - `terraform_version` parses as a version (hashicorp/go-version: `v1.2.3`, `0.12.0-beta1`);
 *   a constraint such as `>= 1.10` does not;
 * - `workspace` has no `/`, `\`, `..`, `$`, whitespace or control characters and does not start
 *   with `-` or `~`;
 * - requirement lists hold only `approved`, `mergeable`, `undiverged`;
 * - project names are unique, and projects sharing a dir and workspace are all named.
 * Workflow steps are not modelled: this project writes no custom workflow.
 */

const requirement = z.enum(["approved", "mergeable", "undiverged"]);

/** hashicorp/go-version's NewVersion pattern (a version, not a constraint). */
const GO_VERSION = /^v?([0-9]+(\.[0-9]+)*?)(-([0-9]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)|(-?([A-Za-z\-~]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)))?(\+([0-9A-Za-z\-~]+(\.[0-9A-Za-z\-~]+)*))?$/;

const GLOB = /[*?[]/;

/** Go's url.QueryEscape leaves letters, digits and `-_.~` alone; Atlantis also allows `/`. */
const URL_SAFE = /^[A-Za-z0-9\-_.~/]+$/;

const workspace = z
  .string()
  .refine((w) => w.length > 0 && !/[/\\$\s\p{Cc}]/u.test(w) && !w.includes("..") && !/^[-~]/.test(w), "not a valid workspace name");

export const AutoplanSchema = z.strictObject({
  enabled: z.boolean().optional(),
  when_modified: z.array(z.string().min(1)).optional(),
});

export const RepoLocksSchema = z.strictObject({ mode: z.enum(["disabled", "on_plan", "on_apply"]) });

export const ProjectSchema = z.strictObject({
  name: z
    .string()
    .min(1, "if set cannot be empty")
    .regex(URL_SAFE, "must contain only URL safe characters")
    .refine((n) => !GLOB.test(n), "cannot contain glob pattern characters")
    .optional(),
  branch: z.string().regex(/^\/.*\/$/, "regex must begin and end with a slash").optional(),
  dir: z.string().min(1).refine((d) => !d.includes(".."), "cannot contain '..'"),
  workspace: workspace.optional(),
  workflow: z.string().min(1).optional(),
  terraform_distribution: z.enum(["terraform", "opentofu"]).optional(),
  terraform_version: z.string().regex(GO_VERSION, "must be a version (Semver), not a constraint").optional(),
  autoplan: AutoplanSchema.optional(),
  plan_requirements: z.array(requirement).optional(),
  apply_requirements: z.array(requirement).optional(),
  import_requirements: z.array(requirement).optional(),
  depends_on: z.array(z.string().min(1)).optional(),
  delete_source_branch_on_merge: z.boolean().optional(),
  repo_locking: z.boolean().optional(),
  repo_locks: RepoLocksSchema.optional(),
  execution_order_group: z.number().int().optional(),
  policy_check: z.boolean().optional(),
  custom_policy_check: z.boolean().optional(),
  silence_pr_comments: z.array(z.enum(["plan", "apply"])).optional(),
});

export const RepoConfigSchema = z
  .strictObject({
    version: z.union([z.literal(2), z.literal(3)]),
    projects: z.array(ProjectSchema).optional(),
    workflows: z.record(z.string(), z.unknown()).optional(),
    policies: z.unknown().optional(),
    autodiscover: z.strictObject({ mode: z.enum(["auto", "enabled", "disabled"]).optional(), ignore_paths: z.array(z.string()).optional() }).optional(),
    automerge: z.boolean().optional(),
    parallel_apply: z.boolean().optional(),
    parallel_plan: z.boolean().optional(),
    delete_source_branch_on_merge: z.boolean().optional(),
    emoji_reaction: z.string().optional(),
    allowed_regexp_prefixes: z.array(z.string()).optional(),
    abort_on_execution_order_fail: z.boolean().optional(),
    repo_locks: RepoLocksSchema.optional(),
    silence_pr_comments: z.array(z.enum(["plan", "apply"])).optional(),
  })
  .superRefine((cfg, ctx) => {
    const names = new Set<string>();
    const unnamedDirs = new Map<string, boolean>();
    for (const [i, p] of (cfg.projects ?? []).entries()) {
      if (p.name !== undefined) {
        if (names.has(p.name)) ctx.addIssue({ code: "custom", path: ["projects", i, "name"], message: `found two or more projects with name "${p.name}"` });
        names.add(p.name);
      }
      const key = `${p.dir}/${p.workspace ?? "default"}`;
      if (unnamedDirs.has(key) && (p.name === undefined || unnamedDirs.get(key))) {
        ctx.addIssue({ code: "custom", path: ["projects", i], message: `two or more projects with dir/workspace ${key} are not all named` });
      }
      unnamedDirs.set(key, (unnamedDirs.get(key) ?? false) || p.name === undefined);
    }
  });

export type RepoConfig = z.infer<typeof RepoConfigSchema>;
export type AtlantisProject = z.infer<typeof ProjectSchema>;
