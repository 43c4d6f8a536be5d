import { deepMerge } from "../../src/lib/deep-merge";
import { Overrides } from "../../src/config/overrides";
import { SystemConfigInput } from "../../src/config/system-config";
import { PlanOptions, planSystems } from "../../src/app";
import { ENVIRONMENT_NAMES } from "../../src/config/environments";
import { ConfigError, ConfigErrors } from "../../src/lib/errors";
import { HARNESS_MODULES, HARNESS_SYSTEMS } from "./systems";

/**
 * The values only a user knows (README: Configure, required inputs), as the test suite
 * supplies them: the one module every test that synthesizes staging or prod, `npm run
 * golden` and the terraform rungs take them from. They are derived from what synth reports
 * missing, so no system is listed here. None is a placeholder that synth would
 * refuse (documentation accounts, reserved domains, all-zero ids), and none is real: no
 * account, zone or certificate of these ids exists, and nothing here is ever applied.
 */

/** The day the harness reads AWS's support calendars on: the project's "today". */
export const HARNESS_TODAY = new Date("2026-11-30T12:00:00Z");

/** Plan options of every harness synth: the fixed clock, and the systems and modules a test may select. */
export const HARNESS_PLAN: PlanOptions = { today: HARNESS_TODAY, systems: HARNESS_SYSTEMS, modules: HARNESS_MODULES };

/** The test accounts, one per environment. */
export const HARNESS_ACCOUNTS = { dev: "638204917352", staging: "402815731649", prod: "517392846021" } as const;

type HarnessEnvironment = keyof typeof HARNESS_ACCOUNTS;
const TAG = "1.0.0-harness";
const CERTIFICATE_IDS: Readonly<Record<HarnessEnvironment, string>> = {
  dev: "3c8e1f5a-6b2d-4e9c-8a7f-1d4b6e8c2a90",
  staging: "7a3e9c1b-2d4f-4b8e-a6c0-9f1e3d5b7c28",
  prod: "5f0c2a4e-8d1b-4c7a-9e3f-2b6d8a1c4e70",
};

function certificate(region: string, environment: HarnessEnvironment): string {
  return `arn:aws:acm:${region}:${HARNESS_ACCOUNTS[environment]}:certificate/${CERTIFICATE_IDS[environment]}`;
}

function zone(system: string, environment: HarnessEnvironment): { name: string; zoneId: string } {
  const name = environment === "prod" ? `${system}.harness-inputs.net` : `${environment}.${system}.harness-inputs.net`;
  return { name, zoneId: `Z0HARNESS${system.toUpperCase()}${{ dev: "DEV", staging: "STG", prod: "PRD" }[environment]}` };
}

/**
 * The stand-in for a required input, by the key synth names when it is missing
 * (src/config/required-inputs.ts). A new kind of required input needs its stand-in here; a
 * new system needs nothing.
 */
function standIn(key: string, system: string, environment: HarnessEnvironment, region: string): SystemConfigInput | undefined {
  const tag = /^compute\.services\.([^.]+)\.app\.tag$/.exec(key);
  if (tag) return { compute: { services: { [tag[1]]: { app: { type: "container", tag: TAG } } } } } as SystemConfigInput;
  const byKey: Readonly<Record<string, () => SystemConfigInput>> = {
    accountId: () => ({ accountId: HARNESS_ACCOUNTS[environment] }),
    "edge.hostedZone": () => ({ edge: { hostedZone: zone(system, environment) } }) as SystemConfigInput,
    "edge.hostedZone.zoneId": () => ({ edge: { hostedZone: zone(system, environment) } }) as SystemConfigInput,
    "compute.loadBalancer.tls.certificateArn": () => ({ compute: { loadBalancer: { tls: { certificateArn: certificate(region, environment) } } } }) as SystemConfigInput,
    "workloads.imageTag": () => ({ workloads: { imageTag: TAG } }) as SystemConfigInput,
    // The CI runners' subnet, reaching the private API endpoint over a VPN.
    "eks.endpoint.privateAccessCidrs": () => ({ eks: { endpoint: { privateAccessCidrs: ["192.168.100.0/24"] } } }) as SystemConfigInput,
    "workloads.ingress.certificateArn": () => ({ workloads: { ingress: { certificateArn: certificate(region, environment) } } }) as SystemConfigInput,
  };
  return byKey[key]?.();
}

/** The problems synth reports for `system` planned in `inputs`' environments with those inputs. */
function problemsOf(system: string, inputs: Readonly<Record<string, SystemConfigInput>>): readonly ConfigError[] {
  try {
    planSystems({ systems: [system], environments: Object.keys(inputs).filter((e) => e !== "all") }, { [system]: inputs }, HARNESS_PLAN);
    return [];
  } catch (e) {
    if (e instanceof ConfigErrors) return e.errors;
    throw e;
  }
}

const derived = new Map<string, Readonly<Record<string, SystemConfigInput>>>();

/**
 * A system's required inputs in every environment, derived from what synth asks for: each
 * environment is planned, and every missing value synth names gets its stand-in, until none is
 * missing. Environments whose names collide (Joblet's secret names are fixed) then each get
 * their own account, as synth's fix says. Anything else synth reports is a defect of the
 * preset, and fails here with synth's own message. `user` is a user's own layers for the
 * system (`all` and per environment), which the stand-ins complete: a region the user moves
 * the system to gets its certificates there.
 */
function inputsOf(system: string, user: Readonly<Record<string, SystemConfigInput>> = {}): Readonly<Record<string, SystemConfigInput>> {
  const cacheKey = `${system} ${JSON.stringify(user)}`;
  const known = derived.get(cacheKey);
  if (known) return known;
  const definition = HARNESS_SYSTEMS[system];
  if (!definition) throw new Error(`the harness knows no system ${system}; add it to __tests__/harness/systems.ts`);
  const under = (environment: string, layer: SystemConfigInput) => ({ ...(user.all ? { all: user.all } : {}), [environment]: deepMerge<SystemConfigInput>(layer, user[environment] ?? {}) });
  const inputs: Record<string, SystemConfigInput> = {};
  for (const environment of ENVIRONMENT_NAMES) {
    const region = user[environment]?.region ?? user.all?.region ?? definition.preset(environment).region ?? "us-east-1";
    let layer: SystemConfigInput = {};
    for (let round = 0; ; round++) {
      const problems = problemsOf(system, under(environment, layer));
      if (problems.length === 0) break;
      const fills = problems.map((p) => standIn(p.key, system, environment, region));
      if (round >= 3 || fills.some((f) => f === undefined)) {
        throw new Error(`${system}/${environment} does not synthesize with the harness's stand-ins for required inputs:\n${problems.map((p) => p.message).join("\n")}`);
      }
      layer = deepMerge<SystemConfigInput>(layer, ...(fills as SystemConfigInput[]));
    }
    inputs[environment] = layer;
  }
  const together = (layers: Record<string, SystemConfigInput>) => ({ ...(user.all ? { all: user.all } : {}), ...Object.fromEntries(ENVIRONMENT_NAMES.map((e) => [e, deepMerge<SystemConfigInput>(layers[e], user[e] ?? {})])) });
  if (problemsOf(system, together(inputs)).length > 0) {
    for (const environment of ENVIRONMENT_NAMES) inputs[environment] = { ...inputs[environment], accountId: HARNESS_ACCOUNTS[environment] };
  }
  derived.set(cacheKey, inputs);
  return inputs;
}

/** One system's required inputs in one environment. */
export function harnessInputs(system: string, environment: string): SystemConfigInput {
  return inputsOf(system)[environment] ?? {};
}

/** The harness inputs of every system and environment, as an overrides file would give them. */
export function harnessOverrides(systems: readonly string[], environments: readonly string[]): Overrides {
  return Object.fromEntries(systems.map((s) => [s, Object.fromEntries(environments.map((e) => [e, harnessInputs(s, e)]))]));
}

/** `overrides` over the harness inputs of the selection: a test's own values win. */
export function withHarnessInputs(selection: { systems: readonly string[]; environments: readonly string[] }, overrides: Overrides = {}): Overrides {
  const inputs = harnessOverrides(selection.systems, selection.environments);
  const merged: Record<string, Record<string, SystemConfigInput>> = {};
  for (const system of new Set([...Object.keys(inputs), ...Object.keys(overrides)])) {
    const byEnv: Record<string, SystemConfigInput> = { ...(overrides[system] ?? {}) };
    for (const [env, layer] of Object.entries(inputs[system] ?? {})) {
      byEnv[env] = deepMerge<SystemConfigInput>(layer, overrides[system]?.[env] ?? {});
    }
    merged[system] = byEnv;
  }
  return merged;
}

/**
 * A user's overrides completed as a user would complete them: for each system, the
 * harness's stand-ins for the required inputs those overrides still leave missing (derived
 * under them, so a system moved to another region gets its certificates there), under the
 * user's own values.
 */
export function completedByHarness(overrides: Overrides): Overrides {
  return Object.fromEntries(
    Object.entries(overrides).map(([system, user]) => {
      const inputs = inputsOf(system, user);
      return [system, { ...user, ...Object.fromEntries(Object.entries(inputs).map(([e, layer]) => [e, deepMerge<SystemConfigInput>(layer, user[e] ?? {})])) }];
    }),
  );
}
