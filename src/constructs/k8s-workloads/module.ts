import { defineModule } from "../module";
import { WorkloadsConfigSchema } from "./settings";

/** The `workloads` module (see ../module.ts). */
export const workloadsModule = defineModule({
  key: "workloads",
  settings: WorkloadsConfigSchema.optional().describe("The Kubernetes workloads on the EKS cluster; needs `eks`. See docs/eks.md. Default: none."),
});
