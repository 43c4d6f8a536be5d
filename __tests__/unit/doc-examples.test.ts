import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { Testing } from "cdktf";
import { buildSystems, planSystems } from "../../src/app";
import { Overrides } from "../../src/config/overrides";
import { ENVIRONMENT_NAMES } from "../../src/config/environments";
import { SYSTEMS } from "../../src/systems";
import { completedByHarness, HARNESS_ACCOUNTS, HARNESS_PLAN } from "../harness/inputs";

/**
 * Every `INFRA_CONFIG` example in the README and docs/*.md synthesizes, once its placeholders
 * are filled as a user fills them: a user copies an example, puts in their account, certificate
 * and checksum, and expects synth to pass.
 */

const ROOT = join(__dirname, "..", "..");
const FILES = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => join("docs", f))];

/** The AWS documentation accounts the examples use, which synth refuses as placeholders. */
const DOCUMENTATION_ACCOUNT = /\b(123456789012|111122223333)\b/g;
/** A certificate ARN the example leaves unfinished: `arn:aws:acm:<region>:....` or `...:certificate/...`. */
const UNFINISHED_CERTIFICATE = /^arn:aws:acm:([a-z0-9-]+):(?:\.+|(\d{12}):certificate\/\.+)$/;
const CERTIFICATE_ID = "9b2d4f6a-1c3e-4a5b-8d7f-0e2c4a6b8d1f";
/** The placeholder a user replaces by the checksum of the installer they reviewed. */
const CHECKSUM_PLACEHOLDER = /^<sha256 [^>]*>$/;
const SOME_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

interface Example {
  readonly where: string;
  readonly config: Record<string, Record<string, unknown>>;
}

/** The fenced JSON blocks of `file` that are `INFRA_CONFIG` files: objects keyed by system. */
function examplesIn(file: string): Example[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(/^```json\n([\s\S]*?)^```/gm)].flatMap((m) => {
    const line = text.slice(0, m.index).split("\n").length;
    let parsed: unknown;
    try {
      parsed = JSON.parse(m[1]);
    } catch (e) {
      // A fragment of a stack's JSON (docs/state.md) is not a file; an example opening with a system is.
      const first = /^\{\s*"([^"]+)"\s*:/.exec(m[1])?.[1];
      if (first !== undefined && first in SYSTEMS) throw new Error(`${file}:${line}: an INFRA_CONFIG example that is not JSON: ${(e as Error).message}`);
      return [];
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !Object.keys(parsed).some((k) => k in SYSTEMS)) return [];
    return [{ where: `${file}:${line}`, config: parsed as Example["config"] }];
  });
}

/** `value` with the example's placeholders filled as a user fills them, in `environment`'s account. */
function filled(value: unknown, environment: string, key = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => filled(v, environment));
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, filled(v, environment, k)]));
  if (typeof value !== "string") return value;
  const account = HARNESS_ACCOUNTS[environment as keyof typeof HARNESS_ACCOUNTS] ?? HARNESS_ACCOUNTS.prod;
  if (key === "installerSha256" && CHECKSUM_PLACEHOLDER.test(value)) return SOME_SHA256;
  const inAccount = value.replace(DOCUMENTATION_ACCOUNT, account);
  const certificate = UNFINISHED_CERTIFICATE.exec(inAccount);
  return certificate ? `arn:aws:acm:${certificate[1]}:${certificate[2] ?? account}:certificate/${CERTIFICATE_ID}` : inAccount;
}

/** The example as a user's filled-in `INFRA_CONFIG`, each environment's layer in that environment's account. */
function asFilledIn(config: Example["config"]): Overrides {
  return Object.fromEntries(Object.entries(config).map(([system, layers]) => [system, Object.fromEntries(Object.entries(layers).map(([env, layer]) => [env, filled(layer, env)]))])) as Overrides;
}

const EXAMPLES = FILES.flatMap(examplesIn);

describe("the INFRA_CONFIG examples of the README and docs", () => {
  it("finds them, so the check below means something", () => {
    expect(EXAMPLES.map((e) => e.where.split(":")[0])).toEqual(expect.arrayContaining(["README.md", "docs/compute.md", "docs/data.md", "docs/edge.md", "docs/eks.md", "docs/state.md"]));
  });

  it("fills the placeholders a user fills, and only those", () => {
    expect(filled("arn:aws:acm:ap-northeast-2:....", "prod")).toBe(`arn:aws:acm:ap-northeast-2:${HARNESS_ACCOUNTS.prod}:certificate/${CERTIFICATE_ID}`);
    expect(filled("arn:aws:acm:us-east-1:731529846102:certificate/...", "dev")).toBe(`arn:aws:acm:us-east-1:731529846102:certificate/${CERTIFICATE_ID}`);
    expect(filled("arn:aws:acm:us-east-1:111122223333:certificate/....", "prod")).toBe(`arn:aws:acm:us-east-1:${HARNESS_ACCOUNTS.prod}:certificate/${CERTIFICATE_ID}`);
    expect(filled("arn:aws:iam::123456789012:role/platform-admin", "staging")).toBe(`arn:aws:iam::${HARNESS_ACCOUNTS.staging}:role/platform-admin`);
    expect(filled("<sha256 of the installer you reviewed>", "all", "installerSha256")).toBe(SOME_SHA256);
    expect(filled("muejam-backend", "prod", "repository")).toBe("muejam-backend");
  });

  it.each(EXAMPLES.map((e) => [e.where, e] as const))("%s synthesizes once its placeholders are filled", (_where, example) => {
    const overrides = completedByHarness(asFilledIn(example.config));
    const named = Object.values(example.config).flatMap((layers) => Object.keys(layers).filter((e) => e !== "all"));
    const environments = named.length > 0 ? [...new Set(named)] : [...ENVIRONMENT_NAMES];
    const app = Testing.app();
    const stacks = buildSystems(app, planSystems({ systems: Object.keys(example.config), environments }, overrides, HARNESS_PLAN));
    for (const stack of stacks) expect(() => Testing.synth(stack)).not.toThrow();
  });
});
