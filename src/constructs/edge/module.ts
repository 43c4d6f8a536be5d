import { defineModule } from "../module";
import { EdgeConfigSchema, staticAssetsBucketName } from "./settings";

/** The `edge` module (see ../module.ts). */
export const edgeModule = defineModule({
  key: "edge",
  settings: EdgeConfigSchema.nullable().optional().describe("CloudFront, Route 53 and ACM (the `edge` stack, after compute); see docs/edge.md. `null` removes a preset's. Default: none."),
  names: (edge, naming) => {
    const given = edge.cdn?.staticAssets?.bucketName;
    return given ? [{ kind: "S3 bucket", name: staticAssetsBucketName(naming, given), key: "cdn.staticAssets.bucketName", scope: "global" as const }] : [];
  },
});
