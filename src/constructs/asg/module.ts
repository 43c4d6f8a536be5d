import { defineModule } from "../module";
import { ComputeConfigSchema } from "./settings";

/** The `compute` module (see ../module.ts). */
export const computeModule = defineModule({
  key: "compute",
  settings: ComputeConfigSchema.prefault({}).describe("The compute tier: load balancer and auto scaling groups (see src/constructs/asg/settings.ts and src/constructs/alb/settings.ts). Default: none."),
  names: (compute) =>
    Object.entries(compute.services).flatMap(([name, service]) =>
      service.targetGroup.name ? [{ kind: "target group", name: service.targetGroup.name, key: `services.${name}.targetGroup.name`, scope: "account-region" as const }] : [],
    ),
});
