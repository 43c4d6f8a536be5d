import { ConfigErrors } from "../../src/lib/errors";
import { Overrides } from "../../src/config/overrides";
import { SYSTEMS } from "../../src/systems";
import { buildStacks, warningsOf } from "../harness/synth";
import { HARNESS_ACCOUNTS } from "../harness/inputs";

/**
 * The last guard on names AWS holds unique (src/stacks/resource-names.ts): whatever gives two
 * resources of one synth the same name (a key a name is derived from, an adopted value), synth
 * fails naming both resources, instead of a second create failing at apply or, for an S3 bucket
 * its owner creates again in us-east-1, passing and fighting over one bucket.
 */
function errorsOf(system: string, overrides: Overrides): string[] {
  try {
    buildStacks({ systems: [system], environments: ["prod"] }, overrides);
  } catch (e) {
    if (e instanceof ConfigErrors) return e.errors.map((error) => error.message);
    throw e;
  }
  return [];
}

describe("resources of one name, where AWS holds names unique", () => {
  it("refuses a storage bucket keyed like the CDN's static-assets bucket (S3: all of AWS)", () => {
    expect(errorsOf("duewin", { duewin: { prod: { storage: { buckets: { "static-assets": {} } } } } })).toEqual([
      expect.stringMatching(
        /^duewin-prod-edge: aws_s3_bucket\.static_assets_bucket = "duewin-prod-static-assets-517392846021"\n {2}Problem: is also the name of aws_s3_bucket\.s3_static-assets_bucket in duewin-prod-storage: S3 bucket names are unique across all of AWS/,
      ),
    ]);
  });

  it("refuses a service named like the flow logs' role (IAM: per account)", () => {
    const service = SYSTEMS.muejam.preset("prod").compute!.services!.app!;
    const second = { ...service, loadBalanced: false, app: { ...service.app, tag: "1.4.2" } };
    expect(errorsOf("muejam", { muejam: { prod: { compute: { services: { "vpc-flow-logs": second } } } } })).toEqual([
      expect.stringMatching(/^muejam-prod-compute: aws_iam_role\.[\w-]+ = "muejam-prod-vpc-flow-logs"\n {2}Problem: is also the name of aws_iam_role\.[\w-]+ in muejam-prod-network: aws_iam_role names are unique per account,/),
    ]);
  });

  it("refuses an adopted name that another resource of the synth has", () => {
    const adopted = { storage: { "aws_s3_bucket.s3_exports_bucket": { bucket: "ode-prod-documents-517392846021" } } };
    expect(errorsOf("ode", { ode: { prod: { adopted } } })).toEqual([
      expect.stringMatching(/^ode-prod-storage: aws_s3_bucket\.s3_exports_bucket = "ode-prod-documents-517392846021"\n {2}Problem: is also the name of aws_s3_bucket\.s3_documents_bucket in ode-prod-storage/),
    ]);
  });

  // Joblet's and AlgoItny's software hard-codes names (Joblet's secrets and table, AlgoItny's tables).
  const OWN_ACCOUNTS = ["joblet", "algoitny"];

  it("accepts every preset in every environment in one synth, the environments sharing one account (Joblet's and AlgoItny's need their own)", () => {
    const sharing = Object.keys(SYSTEMS).filter((s) => !OWN_ACCOUNTS.includes(s));
    const oneAccount: Overrides = Object.fromEntries(sharing.map((s) => [s, { all: { accountId: HARNESS_ACCOUNTS.prod } }]));
    expect(() => buildStacks({ systems: sharing, environments: ["dev", "staging", "prod"] }, oneAccount)).not.toThrow();
    expect(() => buildStacks({ systems: OWN_ACCOUNTS, environments: ["dev", "staging", "prod"] })).not.toThrow();
  });
});

describe("bucket names another account may hold (no accountId, as in dev by default)", () => {
  const warningOf = (system: string, overrides?: Overrides) => warningsOf(buildStacks({ systems: [system], environments: ["dev"] }, overrides)).filter((w) => w.includes("accountId is not set"));

  it("warns, listing the system's bucket names, when they do not end in an account id", () => {
    expect(warningOf("ode")).toEqual([
      "ode/dev: accountId is not set, so the S3 bucket names ode-dev-documents, ode-dev-exports, ode-dev-fonts, ode-dev-s3-access-logs, ode-dev-terraform-state do not end in an account id; bucket names are global across AWS, and the apply fails " +
        "(BucketAlreadyExists) where another account already holds one. Set accountId before the first apply: the names the project derives then end in it (names you set stay as set).",
    ]);
  });

  it("says nothing once accountId is set, nor for a system with no bucket", () => {
    expect(warningOf("ode", { ode: { dev: { accountId: HARNESS_ACCOUNTS.dev } } })).toEqual([]);
    expect(warningOf("algoitny")).toEqual([]);
  });
});
