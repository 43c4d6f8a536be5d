import { rmSync } from "fs";
import { Overrides } from "../../src/config/overrides";
import { expectPlanned, expectValid } from "../harness/stack-proofs";
import { resourceAddressesOf, synthToDisk } from "../harness/synth";
import { StackSet } from "../harness/stack-set";
import { shouldRunTerraform } from "../harness/terraform";
import { HARNESS_ACCOUNTS } from "../harness/inputs";

/**
 * The compute options no preset uses, proven on the validate and offline-plan rungs: a
 * weighted blue-green pair behind an ALB with access logs, a gRPC target group and root volumes
 * under a customer KMS key, granted to Auto Scaling (MueJam variant), and an NLB terminating TLS
 * with an ALPN policy (Joblet variant).
 */
/** A certificate of the harness's prod account, in the systems' region. */
const CERT = `arn:aws:acm:us-east-1:${HARNESS_ACCOUNTS.prod}:certificate/11111111-2222-3333-4444-555555555555`;
/** A KMS key of the harness's prod account, in the systems' region. */
const KEY = `arn:aws:kms:us-east-1:${HARNESS_ACCOUNTS.prod}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;
const VARIANTS: { title: string; system: string; stack: string; overrides: Overrides; plans?: string[] }[] = [
  {
    title: "ALB with weighted blue-green, access logs, gRPC and a customer key for the root volumes",
    system: "muejam",
    stack: "muejam-prod-compute",
    overrides: {
      muejam: {
        prod: {
          compute: {
            loadBalancer: { tls: { certificateArn: CERT }, accessLogs: { prefix: "alb" } },
            services: { app: { rootVolumeKmsKeyArn: KEY, targetGroup: { protocolVersion: "GRPC" }, blueGreen: { mode: "weighted", green: { imageTag: "v2" }, weights: { blue: 90, green: 10 } } } },
          },
        },
      },
    },
    plans: ["aws_kms_grant.app_blue_root_volume_key_grant", "aws_kms_grant.app_green_root_volume_key_grant"],
  },
  {
    title: "NLB terminating TLS with an ALPN policy",
    system: "joblet",
    stack: "joblet-prod-compute",
    overrides: { joblet: { prod: { compute: { loadBalancer: { tls: { enabled: true, certificateArn: CERT, alpnPolicy: "HTTP2Preferred" } } } } } },
  },
];

const run = shouldRunTerraform("terraform rungs for compute variants");

(run ? describe : describe.skip)("compute variants", () => {
  // One synth holds both variants (their overrides are per system), one terraform root both stacks.
  const selection = { systems: VARIANTS.map((v) => v.system), environments: ["prod"] };
  let outdir: string;
  let set: StackSet;

  beforeAll(() => {
    outdir = synthToDisk(selection, Object.assign({}, ...VARIANTS.map((v) => v.overrides)) as Overrides).outdir;
    set = new StackSet(outdir, VARIANTS.map((v) => v.stack));
  });
  afterAll(() => {
    set?.dispose();
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  describe.each(VARIANTS)("$title", ({ stack, plans }) => {
    it("is valid against the aws provider schema (the plan's validation)", () => expectValid(set.validation().get(stack)!), 600_000);

    it("plans offline, creating exactly the resources of its configuration", () => expectPlanned(set.plan().get(stack)!, resourceAddressesOf(outdir, stack)), 600_000);

    if (plans) it(`plans the variant's own resources: ${plans.join(", ")}`, () => expect(set.plan().get(stack)!.addresses).toEqual(expect.arrayContaining(plans)), 600_000);
  });
});
