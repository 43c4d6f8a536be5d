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

/** The value `resource` gives `argument`, as it synthesizes (a token where Terraform computes it). */
export function argumentOf(resource: TerraformResource, argument: string): unknown {
  const body = (resource.toTerraform() as { resource: Record<string, Record<string, Record<string, unknown>>> }).resource[resource.terraformResourceType];
  return Object.values(body)[0]?.[argument];
}
