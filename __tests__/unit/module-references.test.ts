import { ModuleReferences } from "../../scripts/replan/module-references";
import { ConfigModule } from "../../scripts/replan/plan-json";

/**
 * A hand-written configuration's expressions, as the plan JSON gives them (references only),
 * turned into templates of the one attribute each passes on (scripts/replan/module-references.ts).
 */
const refs = (...references: string[]) => ({ references });
const resource = (address: string, expressions: Record<string, unknown> = {}) => {
  const [type, name] = address.split(".");
  return { address, mode: "managed" as const, type, name, provider_config_key: "aws", expressions: expressions as never };
};
const root: ConfigModule = {
  outputs: { vpc_id: { expression: refs("module.networking.vpc_id", "module.networking") } },
  module_calls: {
    networking: {
      module: {
        resources: [resource("aws_vpc.main"), resource("aws_subnet.public", { vpc_id: refs("aws_vpc.main.id", "aws_vpc.main") }), resource("aws_eip.nat")],
        outputs: { vpc_id: { expression: refs("aws_vpc.main.id", "aws_vpc.main") }, public_subnet_ids: { expression: refs("aws_subnet.public") } },
      },
    },
    alb: {
      expressions: { vpc_id: refs("module.networking.vpc_id", "module.networking"), subnet_ids: refs("module.networking.public_subnet_ids", "module.networking"), name: refs("local.name") },
      module: { resources: [resource("aws_lb.main"), resource("aws_security_group.alb")] },
    },
  },
};
const instances = ["module.networking.aws_vpc.main", "module.networking.aws_subnet.public[0]", "module.networking.aws_subnet.public[1]", "module.networking.aws_eip.nat[0]", "module.networking.aws_eip.nat[1]", "module.alb.aws_lb.main", "module.alb.aws_security_group.alb"];
const references = new ModuleReferences(root, instances);

describe("ModuleReferences", () => {
  it("lists every resource's configuration by its address with its modules", () => {
    expect([...references.resources().keys()]).toEqual(["module.networking.aws_vpc.main", "module.networking.aws_subnet.public", "module.networking.aws_eip.nat", "module.alb.aws_lb.main", "module.alb.aws_security_group.alb"]);
  });

  it("passes a resource attribute on, in its module, as a single value or a list of one", () => {
    expect(references.template(refs("aws_vpc.main.id", "aws_vpc.main"), "module.networking.aws_subnet.public[1]", false)).toBe("${module.networking.aws_vpc.main.id}");
    expect(references.template(refs("aws_security_group.alb.id", "aws_security_group.alb"), "module.alb.aws_lb.main", true)).toEqual(["${module.alb.aws_security_group.alb.id}"]);
  });

  it("follows a variable to its module call and a module output to its resource", () => {
    expect(references.template(refs("var.vpc_id"), "module.alb.aws_security_group.alb", false)).toBe("${module.networking.aws_vpc.main.id}");
    expect(references.template(refs("module.networking.vpc_id", "module.networking"), "", undefined)).toBe("${module.networking.aws_vpc.main.id}");
  });

  it("reads a counted resource by the owner's count.index, and a splat as every instance's id", () => {
    expect(references.template(refs("aws_eip.nat", "count.index"), "module.networking.aws_subnet.public[1]", false)).toBe("${module.networking.aws_eip.nat[1].id}");
    expect(references.template(refs("var.subnet_ids"), "module.alb.aws_lb.main", true)).toEqual(["${module.networking.aws_subnet.public[0].id}", "${module.networking.aws_subnet.public[1].id}"]);
    expect(references.template(refs("var.subnet_ids"), "module.alb.aws_lb.main", false)).toBeUndefined();
  });

  it("gives up on what is not one attribute passed on: locals, a root variable, each, a whole resource", () => {
    expect(references.template(refs("var.name"), "module.alb.aws_lb.main", false)).toBeUndefined();
    expect(references.template(refs("var.region"), "module.networking.aws_vpc.main", false)).toBeUndefined();
    expect(references.template(refs("aws_vpc.main", "each.key"), "module.networking.aws_subnet.public[0]", false)).toBeUndefined();
    expect(references.template(refs("aws_vpc.main"), "module.networking.aws_subnet.public[0]", false)).toBeUndefined();
  });
});
