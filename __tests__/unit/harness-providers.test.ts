import { existsSync } from "fs";
import { isMirrored, MIRROR, requiredProviders, UNMIRRORED_PROVIDERS } from "../harness/terraform";

// The harness decides from a stack's required_providers whether its terraform rungs can run offline.
describe("harness: providers of a synthesized stack", () => {
  it("reads full provider addresses from required_providers, as Terraform resolves them", () => {
    expect(
      requiredProviders({
        terraform: {
          required_providers: {
            aws: { source: "aws", version: "5.100.0" },
            kubernetes: { source: "hashicorp/kubernetes", version: "2.38.0" },
            custom: { source: "example.com/acme/custom" },
          },
        },
      }),
    ).toEqual([
      { address: "registry.terraform.io/hashicorp/aws", version: "5.100.0" },
      { address: "registry.terraform.io/hashicorp/kubernetes", version: "2.38.0" },
      { address: "example.com/acme/custom", version: undefined },
    ]);
    expect(requiredProviders({})).toEqual([]);
  });

  it("documents the kubernetes provider as a known gap of the offline mirror", () => {
    expect(UNMIRRORED_PROVIDERS["registry.terraform.io/hashicorp/kubernetes"]).toMatch(/docs\/eks\.md/);
    expect(UNMIRRORED_PROVIDERS).not.toHaveProperty("registry.terraform.io/hashicorp/aws");
  });

  const mirrorPresent = existsSync(`${MIRROR}/registry.terraform.io/hashicorp/aws/5.100.0`);
  (mirrorPresent ? it : it.skip)("finds the pinned aws provider in the mirror, and no other version or provider", () => {
    expect(isMirrored({ address: "registry.terraform.io/hashicorp/aws", version: "5.100.0" })).toBe(true);
    expect(isMirrored({ address: "registry.terraform.io/hashicorp/aws", version: "5.99.0" })).toBe(false);
    expect(isMirrored({ address: "registry.terraform.io/hashicorp/kubernetes", version: "2.38.0" })).toBe(false);
  });
});
