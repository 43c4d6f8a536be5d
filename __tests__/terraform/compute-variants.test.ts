import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App } from "cdktf";
import { buildSystems, planSystems } from "../../src/app";
import { Overrides } from "../../src/config/overrides";
import { expectedCreates } from "../harness/expected-plans";
import { shouldRunTerraform, TerraformWorkdir } from "../harness/terraform";

/**
 * The compute options no preset uses, proven on the validate and offline-plan rungs: a
 * weighted blue-green pair behind an ALB with access logs and a gRPC target group (MueJam
 * variant), and an NLB terminating TLS with an ALPN policy (Joblet variant).
 */
const CERT = "arn:aws:acm:us-east-1:111122223333:certificate/11111111-2222-3333-4444-555555555555";
const VARIANTS: { title: string; system: string; stack: string; overrides: Overrides }[] = [
  {
    title: "ALB with weighted blue-green, access logs and gRPC",
    system: "muejam",
    stack: "muejam-prod-compute",
    overrides: {
      muejam: {
        prod: {
          compute: {
            loadBalancer: { tls: { certificateArn: CERT }, accessLogs: { prefix: "alb" } },
            services: { app: { targetGroup: { protocolVersion: "GRPC" }, blueGreen: { mode: "weighted", green: { imageTag: "v2" }, weights: { blue: 90, green: 10 } } } },
          },
        },
      },
    },
  },
  {
    title: "NLB terminating TLS with an ALPN policy",
    system: "joblet",
    stack: "joblet-prod-compute",
    overrides: { joblet: { prod: { compute: { loadBalancer: { tls: { enabled: true, certificateArn: CERT, alpnPolicy: "HTTP2Preferred" } } } } } },
  },
];

const run = shouldRunTerraform("terraform rungs for compute variants");

(run ? describe.each(VARIANTS) : describe.skip.each(VARIANTS))("$title", ({ system, stack, overrides }) => {
  const selection = { systems: [system], environments: ["prod"] };
  let outdir: string;
  let workdir: TerraformWorkdir;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), "cdktf-variant-"));
    const app = new App({ outdir });
    buildSystems(app, planSystems(selection, overrides));
    app.synth();
    workdir = new TerraformWorkdir(outdir, stack);
  });
  afterAll(() => {
    workdir?.dispose();
    rmSync(outdir, { recursive: true, force: true });
  });

  it("is valid against the aws provider schema", () => {
    const result = workdir.validate();
    expect(result.diagnostics.filter((d) => d.startsWith("error"))).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("plans offline, creating exactly the expected resources", () => {
    const plan = workdir.plan();
    expect(plan.otherActions).toEqual([]);
    expect(plan.creates).toEqual(expectedCreates(stack, planSystems(selection, overrides)[0]));
  });
});
