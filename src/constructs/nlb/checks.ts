import { ConfigError } from "../../lib/errors";

/**
 * AWS writes NLB access logs only for TLS listeners: with TCP passthrough they would log
 * nothing. Keys relative to the NLB's settings; config validation and the NLB check alike.
 */
export function checkNlbAccessLogs(tls: { readonly enabled: boolean }, accessLogs: unknown): void {
  if (accessLogs && !tls.enabled) {
    throw new ConfigError("accessLogs", accessLogs, "would log nothing: AWS writes NLB access logs only for TLS listeners, and this NLB passes TLS through over TCP", "set accessLogs to null, or terminate TLS at the NLB (tls.enabled)");
  }
}
