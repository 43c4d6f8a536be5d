import { defineModule } from "../module";
import { EksConfigSchema } from "./settings";

/** The `eks` module (see ../module.ts). */
export const eksModule = defineModule({
  key: "eks",
  settings: EksConfigSchema.optional().describe("An EKS cluster (`<project>-<environment>-cluster`); see docs/eks.md. Only systems that run on Kubernetes (ode) build it. Default: none."),
});
