import { rmSync } from "fs";
import { Overrides } from "../../src/config/overrides";
import { expectPlanned, expectValid } from "../harness/stack-proofs";
import { resourceAddressesOf, synthToDisk } from "../harness/synth";
import { shouldRunTerraform, TerraformWorkdir } from "../harness/terraform";
import { HARNESS_ACCOUNTS } from "../harness/inputs";

/**
 * The compute options no preset uses, proven on the validate and offline-plan rungs: a
 * weighted blue-green pair behind an ALB with access logs and a gRPC target group (MueJam
 * variant), and an NLB terminating TLS with an ALPN policy (Joblet variant).
 */
/** A certificate of the harness's prod account, in the systems' region. */
const CERT = `arn:aws:acm:us-east-1:${HARNESS_ACCOUNTS.prod}:certificate/11111111-2222-3333-4444-555555555555`;
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
    outdir = synthToDisk(selection, overrides).outdir;
    workdir = new TerraformWorkdir(outdir, stack);
  });
  afterAll(() => {
    workdir?.dispose();
    rmSync(outdir, { recursive: true, force: true });
  });

  it("is valid against the aws provider schema", () => expectValid(workdir.validate()));

  it("plans offline, creating exactly the resources of its configuration", () => expectPlanned(workdir.plan(), resourceAddressesOf(outdir, stack)));
});
