import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { SYSTEMS } from "../../src/systems";
import { groupStacks, mergeStacks } from "../harness/stack-group";
import { stackTestsDirs, systemGroup } from "../harness/stack-proofs";
import { planHarness, StackJson, synthToDisk } from "../harness/synth";
import { isMirrored, requiredProviders } from "../harness/terraform";

const provider = { aws: [{ region: "us-east-1", default_tags: [{ tags: { Project: "web" } }] }] };
const required = { terraform: { required_providers: { aws: { source: "aws", version: "5.100.0" } }, backend: { s3: { key: "x" } } } };
const remoteState = { "cross-stack-reference-input-web-dev-network": { backend: "s3", config: { key: "web-dev-network.tfstate" } } };
const network: StackJson = { ...required, provider, resource: { aws_vpc: { network_vpc: { cidr_block: "10.0.0.0/16" } } }, output: { vpc_id: { value: "${aws_vpc.network_vpc.id}" } } };
const compute: StackJson = { ...required, provider, resource: { aws_instance: { app: { ami: "x" } } }, data: { terraform_remote_state: remoteState } };
const data: StackJson = { ...required, provider, resource: { aws_db_instance: { db: { engine: "postgres" } } }, data: { terraform_remote_state: remoteState } };

describe("mergeStacks (a system's stacks as one configuration, for the mock-apply rung)", () => {
  it("unions the stacks' blocks, keeps one copy of what they share, drops the backend, and knows each resource's stack", () => {
    const merged = mergeStacks(new Map([["web-dev-network", network], ["web-dev-compute", compute], ["web-dev-data", data]]));
    if ("conflict" in merged) throw new Error(merged.conflict);
    expect(merged.json).toEqual({
      terraform: { required_providers: { aws: { source: "aws", version: "5.100.0" } } },
      provider,
      resource: { aws_vpc: network.resource!.aws_vpc, aws_instance: compute.resource!.aws_instance, aws_db_instance: data.resource!.aws_db_instance },
      data: { terraform_remote_state: remoteState },
      output: network.output,
    });
    expect(Object.fromEntries(merged.ownerOf)).toEqual({ "aws_vpc.network_vpc": "web-dev-network", "aws_instance.app": "web-dev-compute", "aws_db_instance.db": "web-dev-data" });
  });

  it("does not merge stacks where one name means two things", () => {
    const clash: StackJson = { ...compute, resource: { aws_vpc: { network_vpc: { cidr_block: "10.1.0.0/16" } } } };
    expect(mergeStacks(new Map([["web-dev-network", network], ["web-dev-other", clash]]))).toEqual({ conflict: "aws_vpc.network_vpc is in web-dev-network and web-dev-other, not the same" });
    const otherRegion: StackJson = { ...compute, provider: { aws: [{ region: "eu-west-1" }] } };
    expect(mergeStacks(new Map([["web-dev-network", network], ["web-dev-compute", otherRegion]]))).toEqual({ conflict: "provider aws differs in web-dev-compute" });
  });
});

describe("groupStacks on the five systems' dev stacks (the mock-apply rung's groups)", () => {
  const selection = { systems: Object.keys(SYSTEMS), environments: ["dev"] };
  const { outdir, stacks } = synthToDisk(selection);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const systems = planHarness(selection);
  const systemOf = (stack: string) => systems.find((s) => stack.startsWith(`${systemGroup(s)}-`))!;
  const offline = stacks.filter((stack) => requiredProviders(JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"))).every(isMirrored));

  const testsDirsOf = (s: string) => stackTestsDirs(outdir, s, systemOf(s));

  it("applies each system's stacks together, the edge stacks too (their overrides and plan runs' asserts join the group's run)", () => {
    const groups = groupStacks(outdir, offline, (s) => systemGroup(systemOf(s)), testsDirsOf);
    expect(groups.map((g) => g.name).sort()).toEqual(systems.map(systemGroup).sort());
    expect(offline.filter((s) => !groups.some((g) => g.stacks.includes(s)))).toEqual([]);
    expect(offline.some((s) => s.endsWith("-edge"))).toBe(true);
  });

  it("applies a system's stacks one by one when two of their files override one address differently", () => {
    const dirs = mkdtempSync(join(tmpdir(), "overrides-"));
    const overriding = (id: string) => {
      const dir = join(dirs, id);
      mkdirSync(dir);
      writeFileSync(join(dir, "o.tftest.hcl"), `override_resource {\n  target = aws_vpc.network_vpc\n  values = {\n    id = "${id}"\n  }\n}\n\nrun "a" {\n  assert {\n    condition     = true\n    error_message = "x"\n  }\n}\n`);
      return dir;
    };
    const [first, second] = [overriding("vpc-1"), overriding("vpc-2")];
    const [network, storage] = ["muejam-dev-network", "muejam-dev-storage"];
    const extra = (s: string) => (s === network ? [first] : s === storage ? [second] : []);
    const groups = groupStacks(outdir, offline, (s) => systemGroup(systemOf(s)), (s) => [...testsDirsOf(s), ...extra(s)]);
    expect(groups.map((g) => g.name)).not.toContain("muejam-dev");
    expect(groups.map((g) => g.name)).toContain("joblet-dev");
    rmSync(dirs, { recursive: true, force: true });
  });
});
