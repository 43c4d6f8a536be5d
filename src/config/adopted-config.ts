import { z } from "zod";

/**
 * Values of resources adopted from an existing Terraform configuration (docs/adopt.md) that
 * the stacks must keep because AWS can't change them in place: a security group's name and
 * description, a launch template's, an auto scaling group's or an IAM role's name. By stack
 * layer (`network`, `compute`...), then resource address, then attribute:
 *
 * ```json
 * { "compute": { "aws_security_group.alb_sg_group": { "name": "muejam-prod-alb-sg", "description": "Security group for the ALB" } } }
 * ```
 *
 * Each value replaces the synthesized one as-is (a Terraform override of that attribute);
 * nothing else is derived from it. Settings the project models (CIDRs, the target group's
 * name) belong in their own keys, not here. @default {}
 */
const LAYER = /^[a-z][a-z0-9-]*$/;
const ADDRESS = /^aws_[a-z0-9_]+\.[A-Za-z0-9_-]+$/;
const ATTRIBUTE = /^[a-z][a-z0-9_]*$/;

export const AdoptedConfigSchema = z
  .record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown())))
  .superRefine((adopted, ctx) => {
    for (const [layer, resources] of Object.entries(adopted)) {
      if (!LAYER.test(layer)) ctx.addIssue({ code: "custom", path: [layer], message: "must be a stack layer such as network or compute" });
      for (const [address, attributes] of Object.entries(resources)) {
        if (!ADDRESS.test(address)) ctx.addIssue({ code: "custom", path: [layer, address], message: "must be a resource address such as aws_security_group.alb_sg_group" });
        for (const attribute of Object.keys(attributes)) {
          if (!ATTRIBUTE.test(attribute)) ctx.addIssue({ code: "custom", path: [layer, address, attribute], message: "must be a top-level attribute name such as name" });
        }
      }
    }
  })
  .default({});

export type AdoptedConfig = z.infer<typeof AdoptedConfigSchema>;
