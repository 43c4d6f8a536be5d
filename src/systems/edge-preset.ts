import { EnvironmentName } from "../config/environments";

/**
 * Whether a preset gives the system custom names. No real domain exists in this repository,
 * so:
 * - dev has none: CloudFront serves its `*.cloudfront.net` name with its default
 *   certificate, and nothing is created in Route 53;
 * - staging and prod lay out their names relative to the user's domain (`app`, `static`,
 *   `api`: see resolveRelativeEdgeNames), and `edge.hostedZone` (the domain and the id of
 *   its existing, delegated public hosted zone) is a required input: synth lists it until
 *   it is set (docs/edge.md).
 */
export function presetHasCustomNames(environment: EnvironmentName): boolean {
  return environment !== "dev";
}
