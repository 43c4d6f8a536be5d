import { TerraformResource, TerraformStack } from "cdktf";

/** The resources of `stack`, by their address in its configuration (`aws_s3_bucket.s3_documents_bucket`). */
export function resourcesByAddress(stack: TerraformStack): Map<string, TerraformResource> {
  return new Map(
    stack.node
      .findAll()
      .filter((c): c is TerraformResource => c instanceof TerraformResource)
      .map((r) => [`${r.terraformResourceType}.${stack.getLogicalId(r)}`, r]),
  );
}
