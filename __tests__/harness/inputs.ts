import { deepMerge } from "../../src/lib/deep-merge";
import { Overrides } from "../../src/config/overrides";
import { SystemConfigInput } from "../../src/config/system-config";
import { PlanOptions } from "../../src/app";

/**
 * The values only a user knows (README: Configure, required inputs), as the test suite
 * supplies them: the one module every test that synthesizes staging or prod, `npm run
 * golden` and the terraform rungs take them from. None is a placeholder that synth would
 * refuse (documentation accounts, reserved domains, all-zero ids), and none is real: no
 * account, zone or certificate of these ids exists, and nothing here is ever applied.
 */

/** The day the harness reads AWS's support calendars on: the project's "today". */
export const HARNESS_TODAY = new Date("2026-11-30T12:00:00Z");

/** Plan options of every harness synth: the fixed clock. */
export const HARNESS_PLAN: PlanOptions = { today: HARNESS_TODAY };

/** The test accounts, one per environment (Joblet's fixed secret names need separate accounts). */
export const HARNESS_ACCOUNTS = { dev: "638204917352", staging: "402815731649", prod: "517392846021" } as const;

const REGIONS: Readonly<Record<string, string>> = { algoitny: "ap-northeast-2" };
const TAG = "1.0.0-harness";

function certificate(system: string, environment: "staging" | "prod"): string {
  const region = REGIONS[system] ?? "us-east-1";
  const id = environment === "prod" ? "5f0c2a4e-8d1b-4c7a-9e3f-2b6d8a1c4e70" : "7a3e9c1b-2d4f-4b8e-a6c0-9f1e3d5b7c28";
  return `arn:aws:acm:${region}:${HARNESS_ACCOUNTS[environment]}:certificate/${id}`;
}

function zone(system: string, environment: "staging" | "prod"): { name: string; zoneId: string } {
  const name = environment === "prod" ? `${system}.harness-inputs.net` : `staging.${system}.harness-inputs.net`;
  return { name, zoneId: `Z0HARNESS${system.toUpperCase()}${environment === "prod" ? "PRD" : "STG"}` };
}

/** One system's required inputs in one environment. */
export function harnessInputs(system: string, environment: string): SystemConfigInput {
  if (environment === "dev") return system === "joblet" ? { accountId: HARNESS_ACCOUNTS.dev } : {};
  if (environment !== "staging" && environment !== "prod") return {};
  const env = environment;
  const base: SystemConfigInput = { accountId: HARNESS_ACCOUNTS[env] };
  switch (system) {
    case "algoitny":
      return {
        ...base,
        compute: {
          loadBalancer: { tls: { certificateArn: certificate(system, env) } },
          services: { api: { app: { type: "container", tag: TAG } }, worker: { app: { type: "container", tag: TAG } } },
        },
      } as SystemConfigInput;
    case "muejam":
    case "duewin":
      return {
        ...base,
        edge: { hostedZone: zone(system, env) },
        compute: { loadBalancer: { tls: { certificateArn: certificate(system, env) } }, services: { app: { app: { type: "container", tag: TAG } } } },
      } as SystemConfigInput;
    case "ode":
      return { ...base, workloads: { imageTag: TAG, ingress: { certificateArn: certificate(system, env) } } } as SystemConfigInput;
    default:
      return base;
  }
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
