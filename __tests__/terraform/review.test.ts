import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Overrides } from "../../src/config/overrides";
import { acknowledge, exitCode, pairsOf, ReviewPair, reviewPairs, StackReview, summarize } from "../../scripts/replan/review";
import { synthToDisk } from "../harness/synth";
import { shouldRunTerraform } from "../harness/terraform";

/**
 * `npm run review`'s engine on real changes: the base stack's deployed state is built from
 * its offline plan, and the head re-plans against it. Every case is reviewed in one call
 * (reviewPairs), as `npm run review` reviews the changed stacks of a change: the bases are
 * planned in one combined root and the heads in another.
 */
const run = shouldRunTerraform("review re-plans");
const TIMEOUT = 900_000;

const muejam = { systems: ["muejam"], environments: ["dev"] };
const duewin = { systems: ["duewin"], environments: ["dev"] };
const ode = { systems: ["ode"], environments: ["dev"] };
const actions = (review: StackReview) => review.changes.map((c) => `${c.action} ${c.address}`);

/** A copy of a synth output with one stack's JSON edited as text and as an object. */
function editedCopy(outdir: string, stack: string, edit: (json: Record<string, any>) => void, rename?: [string, string]): string {
  const copy = mkdtempSync(join(tmpdir(), "cdktf-out-edited-"));
  cpSync(outdir, copy, { recursive: true });
  const file = join(copy, "stacks", stack, "cdk.tf.json");
  let text = readFileSync(file, "utf8");
  if (rename) text = text.split(rename[0]).join(rename[1]);
  const json = JSON.parse(text) as Record<string, any>;
  edit(json);
  writeFileSync(file, JSON.stringify(json, null, 2));
  return copy;
}

(run ? describe : describe.skip)("review: a change re-planned against the base's deployed state", () => {
  const outdirs: string[] = [];
  afterAll(() => outdirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const synth = (selection: typeof muejam, overrides?: Overrides) => {
    const { outdir, stacks } = synthToDisk(selection, overrides);
    outdirs.push(outdir);
    return { outdir, stacks };
  };
  const pair = (base: { outdir: string }, head: { outdir: string; stacks: string[] }, stack: string): ReviewPair => ({ baseOutdir: base.outdir, headOutdir: head.outdir, stack, headStacks: head.stacks });

  // network (muejam dev: NAT gateway in us-east-1a)
  const network = "muejam-dev-network";
  // database (duewin dev: RDS MySQL)
  const data = "duewin-dev-data";
  const from = "aws_db_instance.rds_instance";
  const to = "aws_db_instance.database";
  // database upgrade (ode dev: RDS PostgreSQL). MySQL 8.0 left standard support on 2026-07-31
  // (synth refuses it), so the upgrade is shown on ODE's PostgreSQL: 14 (standard support until
  // 2027-02-28) to the preset's 15.
  const upgraded = "ode-dev-data";

  /** Each case's reviews, in the order of its pairs. */
  const reviews = new Map<string, StackReview[]>();
  beforeAll(() => {
    const networkBase = synth(muejam);
    const dataBase = synth(duewin);
    const renamed = (withMoved: boolean) => {
      const head = editedCopy(
        dataBase.outdir,
        data,
        (json) => {
          json.resource.aws_db_instance = { database: json.resource.aws_db_instance.rds_instance };
          if (withMoved) json.moved = [{ from, to }];
        },
        [from, to],
      );
      outdirs.push(head);
      return pairsOf(dataBase.outdir, head);
    };
    const ode14 = synth(ode, { ode: { dev: { rds: { engineVersion: "14" } } } } as Overrides);
    const cases: Record<string, ReviewPair[]> = {
      azAdded: [pair(networkBase, synth(muejam, { muejam: { dev: { network: { azs: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"] } } } } as Overrides), network)],
      cidrChanged: [
        pair(networkBase, synth(muejam, { muejam: { dev: { network: { publicSubnets: { cidrs: { "us-east-1a": "10.0.10.0/24", "us-east-1b": "10.0.1.0/24", "us-east-1c": "10.0.2.0/24" } } } } } } as Overrides), network),
      ],
      renamed: renamed(false),
      renamedWithMoved: renamed(true),
      upgraded: [pair(ode14, synth(ode), upgraded)],
    };
    const all = reviewPairs(Object.values(cases).flat());
    let next = 0;
    for (const [name, pairs] of Object.entries(cases)) {
      reviews.set(name, all.slice(next, next + pairs.length));
      next += pairs.length;
    }
  }, TIMEOUT);
  const only = (name: string) => reviews.get(name)![0];

  it("network: an AZ added only adds resources", () => {
    const review = only("azAdded");
    expect(review.changes.length).toBeGreaterThan(0);
    expect(review.changes.filter((c) => c.action !== "create")).toEqual([]);
    expect(actions(review)).toEqual(expect.arrayContaining(["create aws_subnet.network_public_us-east-1d", "create aws_subnet.network_private_us-east-1d"]));
  });

  it("network: a public subnet's CIDR change replaces the subnet and its NAT gateway", () => {
    const review = only("cidrChanged");
    const replaced = Object.fromEntries(review.changes.filter((c) => c.action === "replace").map((c) => [c.address, c.forcedBy]));
    expect(replaced["aws_subnet.network_public_us-east-1a"]).toEqual(["cidr_block"]);
    expect(replaced["aws_nat_gateway.network_nat_us-east-1a"]).toEqual(["subnet_id"]);
    // Only the first AZ's public subnet moved: the other AZs' subnets are untouched.
    expect(Object.keys(replaced).filter((a) => /us-east-1[bc]/.test(a))).toEqual([]);
    expect(review.changes.filter((c) => c.action === "delete")).toEqual([]);
  });

  it("database: a construct renamed without a moved block destroys the database: flagged, exit non-zero", () => {
    const review = summarize(reviews.get("renamed")!);
    const changed = review.stacks.find((s) => s.stack === data)!;
    expect(actions(changed)).toEqual(expect.arrayContaining([`delete ${from}`, `create ${to}`]));
    expect(review.blocking.map((c) => c.address)).toEqual([`${data}/${from}`]);
    expect(exitCode(review)).toBe(2);
    // Other stacks are identical and never planned.
    expect(review.stacks.filter((s) => s.stack !== data).map((s) => s.status)).toEqual(review.stacks.filter((s) => s.stack !== data).map(() => "unchanged"));
    // Acknowledged by the flag, the same review passes.
    const accepted = acknowledge(review, [`${data}/${from}`]);
    expect(accepted.accepted.map((c) => c.address)).toEqual([`${data}/${from}`]);
    expect(exitCode(accepted)).toBe(0);
  });

  it("database: the same rename with a moved block replaces nothing", () => {
    const review = summarize(reviews.get("renamedWithMoved")!);
    const changed = review.stacks.find((s) => s.stack === data)!;
    expect(changed.changes.filter((c) => c.action !== "move")).toEqual([]);
    expect(changed.changes.find((c) => c.action === "move")).toMatchObject({ address: to, previousAddress: from });
    expect(review.blocking).toEqual([]);
    expect(exitCode(review)).toBe(0);
  });

  it("database upgrade: an RDS engine major upgrade shows as an in-place update of engine_version, with what it means", () => {
    const review = only("upgraded");
    const db = review.changes.find((c) => c.address === "aws_db_instance.rds_instance")!;
    expect(db.action).toBe("update");
    expect(db.attributes).toContain("engine_version");
    expect(db.notes.join("\n")).toMatch(/major engine upgrade 14 -> 15/);
    expect(review.changes.filter((c) => c.stateful && c.action !== "update")).toEqual([]);
  });
});
