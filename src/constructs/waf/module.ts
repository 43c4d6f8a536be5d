import { defineModule } from "../module";
import { checkWafSettings } from "./checks";
import { WafConfigSchema } from "./settings";

/** The `waf` module (see ../module.ts). */
export const wafModule = defineModule({
  key: "waf",
  settings: WafConfigSchema.nullable().prefault({}).describe("The WAFv2 web ACL of every internet-facing ALB, CloudFront distribution and Ingress (see src/constructs/waf/settings.ts, docs/security.md); `null` for none, which synth warns about outside dev. Default: on: a 2000-requests-per-5-minutes rate limit and AWS's Common, KnownBadInputs and AmazonIpReputationList rule groups."),
  check: (waf) => checkWafSettings(waf),
});
