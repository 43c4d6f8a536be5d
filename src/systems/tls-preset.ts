import { placeholderCertificateArn } from "../config/compute-checks";
import { EnvironmentName } from "../config/environments";

/**
 * TLS of the presets' ALBs. No certificate exists in this repository, and the issue allows
 * no silent default, so:
 * - dev explicitly opts out of TLS: a plain HTTP listener on 80, and synth warns;
 * - staging and prod carry the documented placeholder certificate ARN (AWS's documentation
 *   account, all-zero id), so they synthesize and plan, and synth warns that it must be
 *   overridden with `compute.loadBalancer.tls.certificateArn` before apply. Setting
 *   `accountId` makes the placeholder a config error.
 */
export function presetAlbTls(environment: EnvironmentName, region: string): { enabled: false } | { certificateArn: string } {
  return environment === "dev" ? { enabled: false } : { certificateArn: placeholderCertificateArn(region) };
}
