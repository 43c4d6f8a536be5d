import { EnvironmentName } from "../config/environments";

/**
 * The hosted zone of the presets' custom names. No real domain exists in this repository,
 * so:
 * - dev has none: CloudFront serves its `*.cloudfront.net` name with its default
 *   certificate, and nothing is created in Route 53;
 * - staging and prod use placeholder zones under `example.com` (reserved for documentation
 *   by RFC 2606): `<system>.example.com` in prod, `<environment>.<system>.example.com` in
 *   staging, each created by the edge stack. They synthesize and plan the whole shape a
 *   real domain gets (zone, certificate validation records, alias records), synth warns
 *   until they are replaced, and setting `accountId` makes them a config error. Before
 *   applying, set `edge.hostedZone` (with the `zoneId` of a zone you already have) and the
 *   edge names to your own domain (docs/edge.md).
 */
export function presetEdgeZone(system: string, environment: EnvironmentName): string | undefined {
  if (environment === "dev") return undefined;
  return environment === "prod" ? `${system}.example.com` : `${environment}.${system}.example.com`;
}
