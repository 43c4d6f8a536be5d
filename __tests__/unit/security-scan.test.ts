import { readFileSync, rmSync } from "fs";
import { join } from "path";
import { SYSTEMS } from "../../src/systems";
import { excuses, SECURITY_EXCEPTIONS } from "../harness/security-exceptions";
import { Finding, GATING, scanStack, SECURITY_RULES } from "../harness/security-rules";
import { stackDir, StackJson, synthToDisk } from "../harness/synth";

/**
 * The security-rules rung: every rule of __tests__/harness/security-rules.ts on every
 * staging and prod stack of every system. Critical, high and medium findings fail unless
 * an entry of SECURITY_EXCEPTIONS (mirrored in docs/security.md) excuses them.
 */
describe("security rules on every staging and prod stack", () => {
  const { outdir, stacks } = synthToDisk({ systems: Object.keys(SYSTEMS), environments: ["staging", "prod"] });
  const findings: Finding[] = [];
  try {
    for (const name of stacks) {
      const json = JSON.parse(readFileSync(join(stackDir(outdir, name), "cdk.tf.json"), "utf8")) as StackJson;
      findings.push(...scanStack(name, json));
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  const gating = findings.filter((f) => GATING.includes(f.severity));

  it("scans every staging and prod stack", () => {
    expect(stacks.length).toBeGreaterThan(40);
    expect(stacks.every((s) => /-(staging|prod)-/.test(s))).toBe(true);
  });

  it("finds nothing critical, high or medium that docs/security.md does not excuse", () => {
    const open = gating.filter((f) => !SECURITY_EXCEPTIONS.some((e) => excuses(e, f)));
    const text = open.map((f) => `  [${f.severity}] ${f.rule} ${f.stack} ${f.address}: ${f.message}`).join("\n");
    if (open.length) {
      throw new Error(
        `${open.length} security finding(s):\n${text}\n` +
          "Fix the resource, or (only with a reason a reviewer accepts) add an exception to __tests__/harness/security-exceptions.ts and its row to docs/security.md.",
      );
    }
  });

  it("has no exception that matches nothing (a fixed finding takes its exception with it)", () => {
    const stale = SECURITY_EXCEPTIONS.filter((e) => !gating.some((f) => excuses(e, f)));
    expect(stale.map((e) => `${e.rule} ${e.stack} ${e.address}`)).toEqual([]);
  });

  it("has every exception's rule among the rules", () => {
    const ids = SECURITY_RULES.map((r) => r.id);
    expect(SECURITY_EXCEPTIONS.filter((e) => !ids.includes(e.rule)).map((e) => e.rule)).toEqual([]);
  });

  it("writes every exception down in docs/security.md, with its reason", () => {
    const doc = readFileSync(join(__dirname, "..", "..", "docs", "security.md"), "utf8");
    const rows = doc.split("\n").filter((l) => l.startsWith("|"));
    const missing = SECURITY_EXCEPTIONS.filter((e) => !rows.some((r) => r.includes(`\`${e.rule}\``) && r.includes(`\`${e.stack}\``) && r.includes(`\`${e.address}\``) && r.includes(e.reason)));
    expect(missing.map((e) => `${e.rule} ${e.stack} ${e.address}`)).toEqual([]);
  });

  it("catches a system whose defaults were turned off (a broken variant: no WAF, no access logs)", () => {
    const broken = synthToDisk(
      { systems: ["muejam"], environments: ["prod"] },
      { muejam: { prod: { waf: null, compute: { loadBalancer: { accessLogs: null, ingressFrom: "cidrs" } } } } },
    );
    try {
      const json = JSON.parse(readFileSync(join(stackDir(broken.outdir, "muejam-prod-compute"), "cdk.tf.json"), "utf8")) as StackJson;
      const open = scanStack("muejam-prod-compute", json).filter((f) => GATING.includes(f.severity) && !SECURITY_EXCEPTIONS.some((e) => excuses(e, f)));
      expect(open.map((f) => `${f.rule} ${f.address}`).sort()).toEqual(["CKV2_AWS_28 aws_lb.alb_lb", "CKV_AWS_91 aws_lb.alb_lb"]);
    } finally {
      rmSync(broken.outdir, { recursive: true, force: true });
    }
  });

  it("lists every rule in docs/security.md", () => {
    const doc = readFileSync(join(__dirname, "..", "..", "docs", "security.md"), "utf8");
    expect(SECURITY_RULES.filter((r) => !doc.includes(`\`${r.id}\``)).map((r) => r.id)).toEqual([]);
  });
});
