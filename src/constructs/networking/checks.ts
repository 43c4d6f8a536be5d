import { ConfigError, Problems } from "../../lib/errors";
import { parseBlock, planSubnets } from "../../lib/subnet-plan";
import { NetworkConfig } from "./settings";

/**
 * The network settings' meaning: the subnet tiers fit the CIDR across the AZs (only the CIDR's
 * syntax when the AZs are not known to be valid: `placement` undefined), and the EKS cluster
 * names the subnets are tagged for are valid. Keys are relative to the settings.
 */
export function checkNetworkSettings(network: NetworkConfig, placement?: { readonly region: string; readonly azs: readonly string[] }): void {
  const problems = new Problems();
  if (placement) {
    problems.check(() =>
      planSubnets({
        cidr: network.cidr,
        region: placement.region,
        azs: placement.azs,
        tiers: { public: network.publicSubnets, private: network.privateSubnets, isolated: network.isolatedSubnets },
      }),
    );
  } else {
    problems.check(() => parseBlock(network.cidr, "cidr"));
  }
  network.eksClusterNames.forEach((name, i) => {
    if (!/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(name)) {
      problems.add(new ConfigError(`eksClusterNames[${i}]`, name, "is not a valid EKS cluster name", "use 1-100 letters, digits, '-' and '_', starting with a letter or digit"));
    }
  });
  problems.throwIfAny();
}
