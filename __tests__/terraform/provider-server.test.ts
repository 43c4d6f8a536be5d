import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { isRunning, withAwsProviderServer } from "../harness/provider-server";
import { runTerraform, shouldRunTerraform } from "../harness/terraform";

/**
 * The mock-apply rung's aws provider server (../harness/provider-server.ts): terraform attaches
 * to it instead of installing and starting the provider, and it is gone after.
 */
const run = shouldRunTerraform("aws provider server");
const GOLDEN = join(__dirname, "..", "..", "tests", "golden");
/** The aws provider version the stacks pin, as synthesized. */
const VERSION = (JSON.parse(readFileSync(join(GOLDEN, readdirSync(GOLDEN)[0]), "utf8")) as { terraform: { required_providers: { aws: { version: string } } } }).terraform.required_providers.aws.version;

(run ? describe : describe.skip)("withAwsProviderServer", () => {
  const dir = mkdtempSync(join(tmpdir(), "tf-provider-server-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("serves terraform the pinned aws provider, and stops it after", () => {
    writeFileSync(
      join(dir, "main.tf.json"),
      JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: VERSION } } }, resource: { aws_sqs_queue: { queue: { name: "queue", bogus: 1 } } } }),
    );
    const { pid, init, validate } = withAwsProviderServer(VERSION, (env) => ({
      pid: (JSON.parse(env.TF_REATTACH_PROVIDERS!) as Record<string, { Pid: number }>)["registry.terraform.io/hashicorp/aws"].Pid,
      init: runTerraform(dir, ["init", "-input=false"], env),
      validate: runTerraform(dir, ["validate", "-json"], env),
    }));
    expect(init.status).toBe(0);
    // Attached: init installs no aws provider of its own.
    expect(existsSync(join(dir, ".terraform", "providers", "registry.terraform.io", "hashicorp", "aws"))).toBe(false);
    // The server validates with the provider's own schema: the unknown argument is refused.
    const details = (JSON.parse(validate.stdout) as { diagnostics: { detail: string }[] }).diagnostics.map((d) => d.detail);
    expect(details).toEqual(['No argument or block type is named "bogus".']);
    expect(isRunning(pid)).toBe(false);
  });

  it("leaves terraform to start the provider itself for a version the mirror lacks, or none", () => {
    expect(withAwsProviderServer("0.0.1", (env) => env)).toEqual({});
    expect(withAwsProviderServer(undefined, (env) => env)).toEqual({});
  });
});
