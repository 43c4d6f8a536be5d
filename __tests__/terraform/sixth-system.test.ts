import { readFileSync, rmSync } from "fs";
import { join } from "path";
import { ENVIRONMENT_NAMES } from "../../src/config/environments";
import { SYSTEMS } from "../../src/systems";
import { evaluateContract, formatFinding, modelOf, synthSystem } from "../harness/contracts";
import { findSecrets } from "../harness/secret-scan";
import { excuses, SECURITY_EXCEPTIONS } from "../harness/security-exceptions";
import { GATING, scanStack } from "../harness/security-rules";
import { stackDir, StackJson, synthToDisk } from "../harness/synth";
import { DEV_RUNGS_SELECTION, HARNESS_SYSTEMS } from "../harness/systems";

/**
 * A new system is one file: the sixth, Acme Orders (../fixtures/systems/acme.ts), is defined
 * only in a fixture and registered by one line (../harness/systems.ts), with no test list,
 * harness input or .tftest.hcl written for it. It stands on every rung the five stand on: its
 * runtime contract, the security rules and the secret scan (here), and the terraform rungs
 * (validate, plan, mock apply with the shared asserts that apply to it, idempotent re-plan) with
 * the five in dev (dev-app.test.ts). Its data stack has a database and no Redis.
 */
const SYSTEM = "acme";

describe("a sixth system, from one file", () => {
  it("is defined outside the built-in systems, in the fixture only", () => {
    expect(Object.keys(SYSTEMS)).not.toContain(SYSTEM);
    expect(HARNESS_SYSTEMS[SYSTEM].name).toBe(SYSTEM);
  });

  it("is among the systems whose dev stacks stand on the terraform rungs (dev-app.test.ts)", () => {
    expect(DEV_RUNGS_SELECTION).toMatchObject({ systems: expect.arrayContaining([SYSTEM]), environments: ["dev"] });
  });

  it.each(ENVIRONMENT_NAMES)("%s: its runtime contract holds", async (environment) => {
    const model = modelOf(synthSystem(SYSTEM, environment));
    const findings = (await evaluateContract(model, HARNESS_SYSTEMS[SYSTEM].contract(environment))).map(formatFinding);
    expect(findings).toEqual([]);
  });

  describe("staging and prod, scanned", () => {
    const { outdir, stacks } = synthToDisk({ systems: [SYSTEM], environments: ["staging", "prod"] });
    const jsonOf = (stack: string) => JSON.parse(readFileSync(join(stackDir(outdir, stack), "cdk.tf.json"), "utf8")) as StackJson;
    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    it("has a data stack with a database and no cache", () => {
      const data = jsonOf("acme-prod-data").resource ?? {};
      expect(Object.keys(data)).toContain("aws_db_instance");
      expect(Object.keys(data).filter((type) => type.startsWith("aws_elasticache"))).toEqual([]);
    });

    it.each(stacks)("%s: no critical, high or medium security finding that docs/security.md does not excuse, no secret-looking literal", (stack) => {
      const json = jsonOf(stack);
      const open = scanStack(stack, json).filter((f) => GATING.includes(f.severity) && !SECURITY_EXCEPTIONS.some((e) => excuses(e, f)));
      expect(open).toEqual([]);
      expect(findSecrets(json)).toEqual([]);
    });
  });
});

// The terraform rungs (validate, plan, mock apply, idempotent re-plan) run on its dev stacks with
// the five systems' own, in one root (dev-app.test.ts iterates HARNESS_SYSTEMS). What prod
// changes (NAT per AZ, deletion protection, prevent_destroy refusing the teardown) is the same
// code in every system, and stands on those rungs in the five systems' prod stacks
// (prod-app.test.ts); its prod is contract-checked and scanned above.
