import { EnvironmentName } from "../config/environments";

/**
 * TLS of the presets' ALBs. No certificate exists in this repository, and nothing applied
 * to staging or prod may depend on a made-up value, so:
 * - dev explicitly opts out of TLS: a plain HTTP listener on 80, and synth warns;
 * - staging and prod turn TLS on without a certificate: `compute.loadBalancer.tls.certificateArn`
 *   is a required input (an issued ACM certificate in the ALB's region), and synth lists it
 *   with every other missing value until it is set.
 */
export function presetAlbTls(environment: EnvironmentName): { enabled: boolean } {
  return { enabled: environment !== "dev" };
}
