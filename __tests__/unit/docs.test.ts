import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import { join, relative } from "path";

const ROOT = join(__dirname, "..", "..");

/** Every file a user of the repository gets, under the given folders (no dependencies, no output). */
function filesUnder(...dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (["node_modules", "cdktf.out", ".gen", ".terraform", "golden"].includes(name)) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(path);
    }
  };
  dirs.forEach((d) => walk(join(ROOT, d)));
  return out;
}

describe("documentation a user of the repository reads", () => {
  const files = [join(ROOT, "README.md"), join(ROOT, "main.ts"), ...filesUnder("docs", "src", "scripts", "__tests__", "tests")];

  it("points at no file outside the repository (the systems are described in docs/systems.md)", () => {
    const outside = files.filter((f) => /\.\.\/shared\b|\bseeds\//.test(readFileSync(f, "utf8"))).map((f) => relative(ROOT, f));
    expect(outside).toEqual([]);
  });

  it("describes every built-in system in docs/systems.md", () => {
    const systems = readFileSync(join(ROOT, "docs", "systems.md"), "utf8");
    for (const name of ["Joblet", "AlgoItny", "MueJam", "Duewin", "ODE"]) expect(systems).toContain(`## ${name}`);
  });
});

/** The markdown a user reads: the README and docs/*.md. */
const MARKDOWN = [join(ROOT, "README.md"), ...filesUnder("docs").filter((f) => f.endsWith(".md"))];
const SETTINGS_REFERENCE = join(ROOT, "docs", "settings.md");

/** The markdown without its fenced code blocks. */
function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, "");
}

/** The text outside fenced code blocks and inline code, where links and tables are markdown. */
function prose(markdown: string): string {
  return withoutCodeBlocks(markdown).replace(/`[^`\n]*`/g, "``");
}

/** GitHub's anchors of a markdown file's headings: lower case, punctuation dropped, spaces to dashes, `-1`, `-2` for repeats. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of withoutCodeBlocks(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    const slug = text.toLowerCase().replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, "").replace(/\s/g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** Every relative link of a markdown file that points at a missing file or a missing heading, as `<file>: <target>`. */
function brokenLinks(file: string): string[] {
  const broken: string[] = [];
  for (const [, target] of prose(readFileSync(file, "utf8")).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [path, anchor] = target.split("#", 2);
    const resolved = path ? join(file, "..", decodeURIComponent(path)) : file;
    let ok = existsSync(resolved);
    if (ok && anchor !== undefined && resolved.endsWith(".md")) ok = anchorsOf(readFileSync(resolved, "utf8")).has(decodeURIComponent(anchor));
    if (!ok) broken.push(`${relative(ROOT, file)}: ${target}`);
  }
  return broken;
}

/** Every key of the generated settings reference (`rds.backupRetentionDays`, `storage.buckets.<name>.versioning`). */
function settingsKeys(): string[] {
  return [...readFileSync(SETTINGS_REFERENCE, "utf8").matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
}

/** A key as a doc writes it, with any `<placeholder>` as `<name>`. */
const normalKey = (key: string) => key.trim().replace(/<[^>]*>/g, "<name>");

/**
 * The rows of a hand-written doc's markdown tables that state a setting's default: a table with a
 * column headed "default", and a row whose first cell names a setting (in backticks, in full or as part
 * of its dotted path, as a section about one module writes it: `trail.bucketName`, `storage.buckets.<key>`).
 */
function defaultRows(markdown: string, keys: readonly string[]): string[] {
  const parts = (key: string) => key.replace(/\[\]/g, "").split(".");
  const named = new Set(keys.flatMap((key) => parts(key).flatMap((_, i, p) => p.map((_, j) => p.slice(i, j + 1).join(".")))));
  const lines = withoutCodeBlocks(markdown).split("\n");
  const rows: string[] = [];
  const cells = (line: string) => line.trim().replace(/^\||\|$/g, "").split(/(?<!\\)\|/).map((c) => c.trim());
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i].trim().startsWith("|") || !/^\s*\|?\s*:?-{3,}/.test(lines[i + 1])) continue;
    if (!cells(lines[i]).some((header) => /\bdefault\b/i.test(header))) continue;
    for (let j = i + 2; j < lines.length && lines[j].trim().startsWith("|"); j++) {
      const first = /`([^`]+)`/.exec(cells(lines[j])[0] ?? "")?.[1];
      if (first !== undefined && named.has(normalKey(first))) rows.push(lines[j].trim());
    }
  }
  return rows;
}

describe("links between the documents", () => {
  it("finds the anchors GitHub gives headings, so the checks below mean something", () => {
    const anchors = anchorsOf(readFileSync(SETTINGS_REFERENCE, "utf8"));
    expect([...anchors]).toEqual(expect.arrayContaining(["settings-reference", "top-level", "rds", "statebackend", "workloads"]));
    expect(anchorsOf("## A `b` (c)\n## A `b` (c)\n```\n# not a heading\n```\n")).toEqual(new Set(["a-b-c", "a-b-c-1"]));
  });

  it("finds a link to a missing file or heading", () => {
    expect(brokenLinks(join(ROOT, "__tests__", "unit", "fixtures", "broken-links.md"))).toEqual([
      "__tests__/unit/fixtures/broken-links.md: ../../../docs/settings.md#no-such-section",
      "__tests__/unit/fixtures/broken-links.md: no-such-file.md",
      "__tests__/unit/fixtures/broken-links.md: #missing",
    ]);
  });

  it.each(MARKDOWN.map((f) => [relative(ROOT, f), f]))("%s: every relative link reaches its file and heading", (_name, file) => {
    expect(brokenLinks(file)).toEqual([]);
  });
});

describe("one fact, one place: the hand-written docs link to the settings reference for defaults", () => {
  const keys = settingsKeys();

  it("reads the generated reference's keys", () => {
    expect(keys).toEqual(expect.arrayContaining(["rds.backupRetentionDays", "storage.buckets.<name>.versioning", "backend.locking"]));
  });

  it("spots a table row that repeats a default, by the full key or the part of its path a module's section uses", () => {
    const doc = ["| key | default | notes |", "|---|---|---|", "| `backupRetentionDays` | 7 | 0-35 |", "| `rds.multiAz` | `true` | |", "| `nosuch` | 1 | |", "| `buckets.<key>` | none | |", "", "| key | why |", "|---|---|", "| `rds.multiAz` | a standby |"].join("\n");
    expect(defaultRows(doc, keys)).toEqual(["| `backupRetentionDays` | 7 | 0-35 |", "| `rds.multiAz` | `true` | |", "| `buckets.<key>` | none | |"]);
  });

  it.each(MARKDOWN.filter((f) => f !== SETTINGS_REFERENCE).map((f) => [relative(ROOT, f), f]))(
    "%s states no setting's default in a table (link to docs/settings.md, generated from the schemas)",
    (_name, file) => {
      expect(defaultRows(readFileSync(file, "utf8"), keys)).toEqual([]);
    },
  );
});

describe("the documented deploy commands", () => {
  const GOLDEN = join(ROOT, "tests", "golden");
  /** The stacks a synthesized stack reads (its cross-stack `terraform_remote_state` blocks). */
  const readsOf = (stack: string): string[] => {
    const json = JSON.parse(readFileSync(join(GOLDEN, `${stack}.tf.json`), "utf8")) as { data?: { terraform_remote_state?: Record<string, unknown> } };
    return Object.keys(json.data?.terraform_remote_state ?? {}).flatMap((name) => /^cross-stack-reference-input-(.+)$/.exec(name)?.[1] ?? []);
  };
  /** Every list of stacks a document deploys: `cdktf deploy <stacks>` and `for stack in <stacks>; do`. */
  const lists = [join(ROOT, "README.md"), ...readdirSync(join(ROOT, "docs")).map((f) => join(ROOT, "docs", f))]
    .filter((f) => f.endsWith(".md"))
    .flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/cdktf deploy ((?:[a-z0-9-]+ ?)+)|for stack in ((?:[a-z0-9-]+ ?)+); do/g)].map((m) => ({
        file: relative(ROOT, file),
        stacks: (m[1] ?? m[2]).trim().split(/\s+/).filter((s) => existsSync(join(GOLDEN, `${s}.tf.json`))),
      })),
    )
    .filter((list) => list.stacks.length > 0);

  it("finds them, so the check below means something", () => {
    expect(lists.map((l) => l.file)).toEqual(expect.arrayContaining(["docs/eks.md", "README.md"]));
  });

  it("lists each stack after every stack it reads", () => {
    const missing = lists.flatMap(({ file, stacks }) =>
      stacks.flatMap((stack, i) => readsOf(stack).filter((read) => !stacks.slice(0, i).includes(read)).map((read) => `${file}: ${stack} reads ${read}, which the list does not deploy before it`)),
    );
    expect(missing).toEqual([]);
  });
});
