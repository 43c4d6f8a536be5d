import { Json, PlanJson, PlanResourceChange } from "../../scripts/replan/plan-json";
import { classify, exitCode, lineDiff, markProtected, renderMarkdown, Review, summarize, withoutPreventDestroy } from "../../scripts/replan/review";
import { SchemaBlock, Schemas } from "../../scripts/replan/schema";
import { asSharingModule, forwardedOutput, planOfModule, rootConfiguration, shareProviders, stateOfModules, verdictOfModule } from "../../scripts/replan/modules";
import { buildTogether, evaluateSimple, StateBuilder } from "../../scripts/replan/state";
import { verdictOf } from "../../scripts/replan/replan";

const AWS = "registry.terraform.io/hashicorp/aws";

/** A provider schema cut down to what the plan below uses. */
const schemas: Schemas = {
  provider_schemas: {
    [AWS]: {
      resource_schemas: {
        aws_vpc: {
          version: 1,
          block: { attributes: { id: { type: "string", computed: true }, arn: { type: "string", computed: true }, cidr_block: { type: "string" }, dhcp_options_id: { type: "string", computed: true } } },
        },
        aws_subnet: { version: 1, block: { attributes: { id: { type: "string", computed: true }, vpc_id: { type: "string" }, cidr_block: { type: "string" } } } },
        aws_db_instance: {
          version: 2,
          block: {
            attributes: {
              id: { type: "string", computed: true },
              password: { type: "string", sensitive: true },
              password_wo: { type: "string", sensitive: true, write_only: true },
              port: { type: "number", computed: true },
              master_user_secret: { type: ["list", ["object", { secret_arn: "string", kms_key_id: "string" }]], computed: true },
              tags_all: { type: ["map", "string"], computed: true },
              name_tag: { type: "string" },
            },
          },
        },
      },
    },
  },
};

const plan: PlanJson = {
  format_version: "1.2",
  terraform_version: "1.11.4",
  planned_values: { outputs: { vpc_id: { sensitive: false }, fixed: { sensitive: false, type: "number", value: 3306 }, ids: { sensitive: false } } },
  resource_changes: [
    change("aws_vpc", "main", { cidr_block: "10.0.0.0/16" }, { id: true, arn: true, dhcp_options_id: true }),
    change("aws_subnet", "a", { cidr_block: "10.0.1.0/24" }, { id: true, vpc_id: true }),
    change("aws_subnet", "b", { cidr_block: "10.0.2.0/24" }, { id: true, vpc_id: true }),
    {
      ...change("aws_db_instance", "db", { password: "x", password_wo: null, name_tag: null }, { id: true, port: true, master_user_secret: true, tags_all: true, name_tag: true }),
      change: {
        actions: ["create"],
        before: null,
        after: { password: "x", password_wo: null },
        after_unknown: { id: true, port: true, master_user_secret: true, tags_all: true, name_tag: true },
        after_sensitive: { password: true, master_user_secret: [] },
      },
    },
  ],
  configuration: {
    root_module: {
      resources: [
        { address: "aws_vpc.main", mode: "managed", type: "aws_vpc", name: "main", provider_config_key: "aws", expressions: {} },
        ...["a", "b"].map((n) => ({
          address: `aws_subnet.${n}`,
          mode: "managed" as const,
          type: "aws_subnet",
          name: n,
          provider_config_key: "aws",
          expressions: { vpc_id: { constant_value: "${aws_vpc.main.id}" } },
        })),
        {
          address: "aws_db_instance.db",
          mode: "managed",
          type: "aws_db_instance",
          name: "db",
          provider_config_key: "aws",
          expressions: { name_tag: { constant_value: "db-in-${aws_vpc.main.id}-port-${aws_db_instance.db.port}" } },
        },
      ],
      outputs: {
        vpc_id: { expression: { constant_value: "${aws_vpc.main.id}" } },
        ids: { expression: { constant_value: ["${aws_subnet.a.id}", "${aws_subnet.b.id}"] } },
        secret: { expression: { constant_value: "${aws_db_instance.db.master_user_secret[0].secret_arn}" } },
        fixed: { expression: { constant_value: 3306 } },
      },
    },
  },
};

function change(type: string, name: string, after: Record<string, unknown>, unknown: Record<string, unknown>) {
  return {
    address: `${type}.${name}`,
    mode: "managed" as const,
    type,
    name,
    provider_name: AWS,
    change: { actions: ["create"], before: null, after: after as never, after_unknown: unknown as never, after_sensitive: {} },
  };
}

describe("StateBuilder (a deployed state from a saved plan)", () => {
  const state = new StateBuilder(plan, schemas).build();
  const attrs = (type: string, name: string) => state.resources.find((r) => r.type === type && r.name === name)!.instances[0];

  it("writes format version 4 with each type's schema_version and provider", () => {
    expect(state.version).toBe(4);
    expect(attrs("aws_db_instance", "db").schema_version).toBe(2);
    expect(attrs("aws_vpc", "main").schema_version).toBe(1);
    expect(state.resources[0].provider).toBe(`provider["${AWS}"]`);
  });

  it("fills a reference from the configuration, so a subnet's vpc_id is the VPC's id", () => {
    const vpcId = attrs("aws_vpc", "main").attributes.id as string;
    expect(vpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(attrs("aws_subnet", "a").attributes.vpc_id).toBe(vpcId);
    expect(attrs("aws_subnet", "b").attributes.vpc_id).toBe(vpcId);
  });

  it("gives each resource a distinct stand-in id", () => {
    expect(attrs("aws_subnet", "a").attributes.id).not.toBe(attrs("aws_subnet", "b").attributes.id);
  });

  it("gives a computed string nothing reads the zero value AWS reports for unset (it can't fail validation)", () => {
    expect(attrs("aws_vpc", "main").attributes.dhcp_options_id).toBe("");
    expect(attrs("aws_vpc", "main").attributes.arn).toMatch(/^arn:aws:vpc:us-east-1:123456789012:vpc\/[0-9a-f]{12}$/);
  });

  it("evaluates string templates of references, numbers as text", () => {
    expect(attrs("aws_db_instance", "db").attributes.name_tag).toBe(`db-in-${attrs("aws_vpc", "main").attributes.id}-port-0`);
  });

  it("keeps write-only attributes null and records sensitive attributes", () => {
    expect(attrs("aws_db_instance", "db").attributes.password_wo).toBeNull();
    expect(attrs("aws_db_instance", "db").sensitive_attributes).toEqual([[{ type: "get_attr", value: "password" }]]);
  });

  it("sizes a computed list the configuration indexes to one element, leaves others empty", () => {
    const secret = attrs("aws_db_instance", "db").attributes.master_user_secret as { secret_arn: string }[];
    expect(secret).toHaveLength(1);
    expect(secret[0].secret_arn).toMatch(/^arn:aws:/);
    expect(attrs("aws_db_instance", "db").attributes.tags_all).toEqual({});
  });

  it("writes outputs with exact types: the schema's for an attribute, a tuple for a list literal", () => {
    expect(state.outputs.vpc_id).toEqual({ value: attrs("aws_vpc", "main").attributes.id, type: "string" });
    expect(state.outputs.fixed).toEqual({ value: 3306, type: "number" });
    expect(state.outputs.ids.type).toEqual(["tuple", ["string", "string"]]);
    expect(state.outputs.ids.value).toEqual([attrs("aws_subnet", "a").attributes.id, attrs("aws_subnet", "b").attributes.id]);
  });
});

describe("evaluateSimple", () => {
  const lookup = (ref: string) => ({ "a.b.id": "x-1", "a.b.n": 5, "a.b.list": ["p", "q"] })[ref];
  it("resolves a lone reference to its value, of any type", () => {
    expect(evaluateSimple("${a.b.list}", lookup)).toEqual(["p", "q"]);
  });
  it("leaves what needs functions to terraform console", () => {
    expect(evaluateSimple('${jsonencode({"a" = a.b.id})}', lookup)).toBeUndefined();
    expect(evaluateSimple("${upper(a.b.id)}", lookup)).toBeUndefined();
  });
  it("un-escapes $${ in a template", () => {
    expect(evaluateSimple("$${literal}-${a.b.n}", lookup)).toBe("${literal}-5");
  });
});

describe("verdictOf (classifying a plan from its JSON messages, not its exit code)", () => {
  const msg = (o: unknown) => JSON.stringify(o);
  it("counts a plan that only moves a resource as a change", () => {
    const out = [msg({ type: "planned_change", change: { action: "move", resource: { addr: "aws_db_instance.new" } } })].join("\n");
    expect(verdictOf(out)).toEqual({ changes: ["move aws_db_instance.new"], outputChanges: [], noChanges: false });
  });
  it("reports output changes, and no changes when every output is a no-op", () => {
    expect(verdictOf(msg({ type: "outputs", outputs: { a: { action: "update" }, b: { action: "noop" } } })).outputChanges).toEqual(["update output.a"]);
    expect(verdictOf(msg({ type: "outputs", outputs: { b: { action: "noop" } } })).noChanges).toBe(true);
  });
});

describe("review classification and report", () => {
  const replanJson: PlanJson = {
    format_version: "1.2",
    terraform_version: "1.11.4",
    resource_changes: [
      {
        address: "aws_nat_gateway.nat_a",
        mode: "managed",
        type: "aws_nat_gateway",
        name: "nat_a",
        provider_name: AWS,
        change: { actions: ["delete", "create"], before: { subnet_id: "subnet-1" }, after: { subnet_id: "subnet-2" }, after_unknown: { id: true }, replace_paths: [["subnet_id"]] },
      },
      {
        address: "aws_db_instance.db",
        mode: "managed",
        type: "aws_db_instance",
        name: "db",
        provider_name: AWS,
        change: { actions: ["update"], before: { engine_version: "8.0" }, after: { engine_version: "8.4" } },
      },
      {
        address: "aws_route.private_nat",
        mode: "managed",
        type: "aws_route",
        name: "private_nat",
        provider_name: AWS,
        change: { actions: ["update"], before: { nat_gateway_id: "nat-1", id: "r-1" }, after: { id: "r-1" }, after_unknown: { nat_gateway_id: true } },
      },
      {
        address: "aws_s3_bucket.logs",
        mode: "managed",
        type: "aws_s3_bucket",
        name: "logs",
        provider_name: AWS,
        change: { actions: ["delete"], before: { bucket: "logs" }, after: null },
      },
      {
        address: "aws_lb_target_group.same_name",
        mode: "managed",
        type: "aws_lb_target_group",
        name: "same_name",
        provider_name: AWS,
        change: { actions: ["create", "delete"], before: { name: "acme-prod-app", port: 8000 }, after: { name: "acme-prod-app", port: 8080 }, after_unknown: { arn: true }, replace_paths: [["port"]] },
      },
      {
        address: "aws_lb_target_group.new_name",
        mode: "managed",
        type: "aws_lb_target_group",
        name: "new_name",
        provider_name: AWS,
        change: { actions: ["create", "delete"], before: { name: "acme-prod-app", port: 8000 }, after: { name: "acme-prod-app-8080", port: 8080 }, after_unknown: { arn: true }, replace_paths: [["name"], ["port"]] },
      },
      {
        address: "aws_launch_template.app",
        mode: "managed",
        type: "aws_launch_template",
        name: "app",
        provider_name: AWS,
        change: {
          actions: ["update"],
          before: { user_data: Buffer.from("#!/bin/sh\nexport PORT=3000\nstart\n").toString("base64") },
          after: { user_data: Buffer.from("#!/bin/sh\nexport PORT=8080\nstart\n").toString("base64") },
        },
      },
    ],
  };
  const changes = classify(replanJson);

  it("names the attribute that forces a replacement", () => {
    expect(changes.find((c) => c.address === "aws_nat_gateway.nat_a")).toMatchObject({ action: "replace", forcedBy: ["subnet_id"] });
  });

  it("lists an attribute that follows a replaced resource as updated", () => {
    expect(changes.find((c) => c.address === "aws_route.private_nat")).toMatchObject({ action: "update", attributes: ["nat_gateway_id"], notes: [] });
  });

  it("shows a major engine upgrade for what it is", () => {
    const db = changes.find((c) => c.address === "aws_db_instance.db")!;
    expect(db).toMatchObject({ action: "update", attributes: ["engine_version"], stateful: "database" });
    expect(db.notes[0]).toMatch(/major engine upgrade 8.0 -> 8.4: .*snapshot first, apply it with rds\.applyImmediately true, then remove that/);
  });

  it("says a replacement created first under its old name will be refused, and not when the name changes with it", () => {
    const kept = changes.find((c) => c.address === "aws_lb_target_group.same_name")!;
    expect(kept.notes).toContain('the new one is created before the old one is deleted, under the same name "acme-prod-app", which AWS refuses: give it a new name with this change (targetGroup.name)');
    expect(changes.find((c) => c.address === "aws_lb_target_group.new_name")!.notes.join("\n")).not.toMatch(/same name/);
    expect(changes.find((c) => c.address === "aws_nat_gateway.nat_a")!.notes.join("\n")).not.toMatch(/same name/);
  });

  /** A planned change of `<type>.x`. */
  const planned = (change: PlanResourceChange["change"]) => (type: string): PlanResourceChange => ({ address: `${type}.x`, mode: "managed", type, name: "x", provider_name: AWS, change });

  it("blocks on a replaced resource whose name, address or contents others depend on, not on a replaced NAT gateway", () => {
    const replaced = planned({ actions: ["delete", "create"], before: { name: "old" }, after: { name: "new" }, after_unknown: {}, replace_paths: [["name"]] });
    const identities = ["aws_lb", "aws_cloudfront_distribution", "aws_eip", "aws_sqs_queue", "aws_sns_topic", "aws_cloudwatch_log_group"];
    const plan: PlanJson = { ...replanJson, resource_changes: [...identities, "aws_nat_gateway"].map(replaced) };
    const review = summarize([{ stack: "s-dev-compute", status: "changed", changes: classify(plan), outputs: [] }]);
    expect(review.blocking.map((c) => `${c.address} (${c.stateful})`)).toEqual([
      "s-dev-compute/aws_cloudfront_distribution.x (CDN distribution)",
      "s-dev-compute/aws_cloudwatch_log_group.x (log group)",
      "s-dev-compute/aws_eip.x (Elastic IP)",
      "s-dev-compute/aws_lb.x (load balancer)",
      "s-dev-compute/aws_sns_topic.x (topic)",
      "s-dev-compute/aws_sqs_queue.x (queue)",
    ]);
    expect(exitCode(review)).toBe(2);
  });

  it("blocks on a stateful resource a removed block forgets (left in AWS, no longer managed), and lists a forgotten route", () => {
    const forgotten = planned({ actions: ["forget"], before: { id: "x" }, after: null, after_unknown: {} });
    const plan: PlanJson = { ...replanJson, resource_changes: ["aws_db_instance", "aws_route"].map(forgotten) };
    const forgets = classify(plan);
    expect(forgets.map((c) => `${c.address} ${c.action}`)).toEqual(["aws_db_instance.x forget", "aws_route.x forget"]);
    const review = summarize([{ stack: "s-prod-data", status: "changed", changes: forgets, outputs: [] }]);
    expect(review.blocking.map((c) => `${c.address} (${c.stateful})`)).toEqual(["s-prod-data/aws_db_instance.x (database)"]);
    expect(exitCode(review)).toBe(2);
    const report = renderMarkdown(review, "base..head");
    expect(report).toContain("- **forgotten (left in AWS, no longer managed)** database `s-prod-data/aws_db_instance.x`");
    expect(report).toContain("| `s-prod-data` | changed | 0 | 0 | 0 | 0 | 2 | 0 | 0 |");
  });

  it("reports the replacement of a prevent_destroy resource as blocking, which terraform would refuse", () => {
    const nat = changes.find((c) => c.address === "aws_nat_gateway.nat_a")!;
    const [marked] = markProtected([nat], new Set(["aws_nat_gateway.nat_a"]));
    expect(marked).toMatchObject({ stateful: "protected resource" });
    expect(marked.notes[0]).toMatch(/^prevent_destroy refuses this plan/);
    expect(summarize([{ stack: "s-prod-network", status: "changed", changes: [marked], outputs: [] }]).blocking.map((c) => c.address)).toEqual(["s-prod-network/aws_nat_gateway.nat_a"]);
    // An update in place of a protected resource, or a replacement of an unprotected one, is not.
    expect(markProtected([nat], new Set())[0]).toBe(nat);
    const route = changes.find((c) => c.address === "aws_route.private_nat")!;
    expect(markProtected([route], new Set([route.address]))[0]).toBe(route);
  });

  it("plans the head without prevent_destroy, keeping the rest of each lifecycle", () => {
    const json = { resource: { aws_lb: { lb: { name: "x", lifecycle: { prevent_destroy: true, ignore_changes: ["tags"] } } }, aws_vpc: { v: { cidr_block: "10.0.0.0/16" } } } };
    expect(withoutPreventDestroy(json)).toEqual({ resource: { aws_lb: { lb: { name: "x", lifecycle: { ignore_changes: ["tags"] } } }, aws_vpc: { v: { cidr_block: "10.0.0.0/16" } } } });
    expect(json.resource.aws_lb.lb.lifecycle.prevent_destroy).toBe(true);
  });

  it("decodes user data into the changed lines", () => {
    const lt = changes.find((c) => c.address === "aws_launch_template.app")!;
    expect(lt.notes[0]).toContain("- export PORT=3000");
    expect(lt.notes[0]).toContain("+ export PORT=8080");
    expect(lt.notes[0]).not.toContain("start");
  });

  it("flags a destroyed stateful resource first, and exits non-zero unless accepted", () => {
    const review: Review = {
      stacks: [{ stack: "s-dev-network", status: "changed", changes, outputs: [{ name: "vpc_id", action: "update", readers: ["s-dev-compute"] }] }],
      blocking: changes.filter((c) => c.address === "aws_s3_bucket.logs").map((c) => ({ ...c, address: `s-dev-network/${c.address}` })),
      accepted: [],
    };
    const md = renderMarkdown(review);
    expect(md.indexOf("Stateful resources replaced, destroyed or forgotten")).toBeGreaterThan(-1);
    expect(md.indexOf("Stateful resources replaced, destroyed or forgotten")).toBeLessThan(md.indexOf("### Summary"));
    expect(md).toContain("**destroyed** bucket `s-dev-network/aws_s3_bucket.logs`");
    expect(md).toContain("`aws_nat_gateway.nat_a` (forced by `subnet_id`)");
    expect(md).toContain("ripples to `s-dev-compute`");
    expect(exitCode(review)).toBe(2);
    expect(exitCode({ ...review, blocking: [], accepted: review.blocking })).toBe(0);
  });

  it("lineDiff lists only the lines that differ", () => {
    expect(lineDiff("a\nb\nc", "a\nB\nc")).toBe("- b\n+ B");
  });
});

describe("StateBuilder's terraform console calls (each starts a provider)", () => {
  const subnetSchemas: Schemas = {
    provider_schemas: {
      [AWS]: {
        resource_schemas: {
          aws_vpc: { version: 1, block: { attributes: { id: { type: "string", computed: true }, cidr_block: { type: "string", computed: true } } } },
          aws_subnet: { version: 1, block: { attributes: { id: { type: "string", computed: true }, vpc_id: { type: "string", computed: true }, cidr_block: { type: "string", computed: true } } } },
        },
      },
    },
  };
  const configured = (type: string, name: string, expressions: Record<string, string>) => ({
    address: `${type}.${name}`,
    mode: "managed" as const,
    type,
    name,
    provider_config_key: "aws",
    expressions: Object.fromEntries(Object.entries(expressions).map(([k, v]) => [k, { constant_value: v }])),
  });
  // Values only the console can evaluate: one reads a local, one reads the first, one is impure,
  // one reads another attribute of the first's resource.
  const consolePlan: PlanJson = {
    format_version: "1.2",
    terraform_version: "1.11.4",
    resource_changes: [
      change("aws_vpc", "main", {}, { id: true, cidr_block: true }),
      change("aws_subnet", "a", {}, { id: true, vpc_id: true }),
      change("aws_subnet", "b", {}, { id: true, cidr_block: true }),
      change("aws_subnet", "c", {}, { id: true, vpc_id: true }),
    ],
    configuration: {
      root_module: {
        resources: [
          configured("aws_vpc", "main", { cidr_block: "${lower(local.cidr)}" }),
          configured("aws_subnet", "a", { vpc_id: "${upper(aws_vpc.main.cidr_block)}" }),
          configured("aws_subnet", "b", { cidr_block: "${uuid()}" }),
          configured("aws_subnet", "c", { vpc_id: "${lower(aws_vpc.main.id)}" }),
        ],
      },
    },
  };

  function build(locals: Record<string, unknown> | undefined) {
    const calls: string[][] = [];
    let uuids = 0;
    const state = new StateBuilder(consolePlan, subnetSchemas, {
      locals: locals as never,
      evaluate: (current, expressions) => {
        calls.push(expressions.map(String));
        const vpc = current.resources.find((r) => r.type === "aws_vpc")!.instances[0].attributes;
        return expressions.map((e) => (e === "${lower(local.cidr)}" ? "10.9.0.0/16" : e === "${uuid()}" ? `uuid-${++uuids}` : e === "${lower(aws_vpc.main.id)}" ? String(vpc.id).toLowerCase() : String(vpc.cidr_block).toUpperCase()));
      },
    }).build();
    const attrs = (type: string, name: string) => state.resources.find((r) => r.type === type && r.name === name)!.instances[0].attributes;
    return { calls, attrs };
  }

  it("asks again only for what reads a value that changed (that attribute, not its resource), through locals too, and an impure value once", () => {
    const { calls, attrs } = build({ cidr: "10.9.0.0/16" });
    expect(calls).toEqual([["${lower(local.cidr)}", "${upper(aws_vpc.main.cidr_block)}", "${uuid()}", "${lower(aws_vpc.main.id)}"], ["${upper(aws_vpc.main.cidr_block)}"]]);
    expect(attrs("aws_subnet", "a").vpc_id).toBe("10.9.0.0/16".toUpperCase());
    expect(attrs("aws_subnet", "b").cidr_block).toBe("uuid-1");
  });

  it("asks again for what reads a local when the locals are unknown (a hand-written configuration)", () => {
    const { calls } = build(undefined);
    expect(calls[1]).toContain("${lower(local.cidr)}");
  });

  it("builds many stacks with one console call per round (the stacks of a combined root), each as it would alone", () => {
    const { calls: alone } = build({ cidr: "10.9.0.0/16" });
    const builders = new Map(["s1", "s2"].map((stack) => [stack, new StateBuilder(consolePlan, subnetSchemas, { locals: { cidr: "10.9.0.0/16" } })]));
    const rounds: string[][][] = [];
    buildTogether(builders, (asks) => {
      rounds.push([...asks.values()].map((expressions) => expressions.map(String)));
      return new Map(
        [...asks].map(([stack, expressions]) => {
          const vpc = builders.get(stack)!.state().resources.find((r) => r.type === "aws_vpc")!.instances[0].attributes;
          return [stack, expressions.map((e) => (e === "${lower(local.cidr)}" ? "10.9.0.0/16" : e === "${uuid()}" ? `uuid-${stack}` : e === "${lower(aws_vpc.main.id)}" ? String(vpc.id).toLowerCase() : String(vpc.cidr_block).toUpperCase()))];
        }),
      );
    });
    expect(rounds).toEqual(alone.map((asked) => [asked, asked]));
    const subnet = (stack: string) => builders.get(stack)!.state().resources.find((r) => r.name === "a")!.instances[0].attributes.vpc_id;
    expect([subnet("s1"), subnet("s2")]).toEqual(["10.9.0.0/16".toUpperCase(), "10.9.0.0/16".toUpperCase()]);
  });
});

describe("a combined root's plan, state and verdict, per stack (scripts/replan/modules.ts)", () => {
  /** The plan of a root whose child modules `stacks` each hold `plan` (as terraform show -json writes it). */
  function combined(stacks: string[]): PlanJson {
    const inModule = (stack: string) => <T extends { address: string }>(r: T) => ({ ...r, address: `module.${stack}.${r.address}`, module_address: `module.${stack}` });
    const outputs = (stack: string, o: Record<string, unknown> = {}) => Object.fromEntries(Object.entries(o).map(([k, v]) => [forwardedOutput(stack, k), v]));
    return {
      format_version: plan.format_version,
      terraform_version: plan.terraform_version,
      planned_values: { outputs: Object.assign({}, ...stacks.map((s) => outputs(s, plan.planned_values?.outputs))) },
      resource_changes: stacks.flatMap((s) => plan.resource_changes!.map(inModule(s))),
      output_changes: {},
      prior_state: { values: { root_module: { child_modules: stacks.map((s) => ({ address: `module.${s}`, resources: [] })) } } },
      configuration: {
        root_module: {
          module_calls: Object.fromEntries(
            stacks.map((s) => [s, { module: { ...plan.configuration!.root_module, resources: plan.configuration!.root_module!.resources!.map((r) => ({ ...r, provider_config_key: `module.${s}:${r.provider_config_key}` })) } }]),
          ),
        },
      },
    };
  }

  it("cuts out of the combined plan the plan each stack has alone, so its state is the one it would have alone", () => {
    const both = combined(["web-dev-network", "web-dev-network-b"]);
    const alone = new StateBuilder(plan, schemas).build();
    for (const stack of ["web-dev-network", "web-dev-network-b"]) {
      const own = planOfModule(both, stack);
      expect(own.resource_changes).toEqual(plan.resource_changes);
      expect(own.configuration?.root_module?.resources).toEqual(plan.configuration?.root_module?.resources);
      expect(new StateBuilder(own, schemas).build()).toEqual(alone);
    }
  });

  it("merges the stacks' states into the root's: resources and providers inside their module, outputs forwarded", () => {
    const alone = new StateBuilder(plan, schemas).build();
    const merged = stateOfModules(new Map([["a", alone], ["b", alone]]), "1.11.4");
    expect(merged.resources.filter((r) => r.module === "module.a")).toHaveLength(alone.resources.length);
    expect(merged.resources.find((r) => r.module === "module.b" && r.type === "aws_vpc")?.provider).toBe(`module.b.provider["${AWS}"]`);
    expect(merged.outputs[forwardedOutput("b", "vpc_id")]).toEqual(alone.outputs.vpc_id);
    expect(rootConfiguration(new Map([["b", { output: { vpc_id: {}, secret: { sensitive: true } } }]]))).toEqual({
      module: { b: { source: "./stacks/b" } },
      output: { [forwardedOutput("b", "vpc_id")]: { value: "${module.b.vpc_id}" }, [forwardedOutput("b", "secret")]: { value: "${module.b.secret}", sensitive: true } },
    });
  });

  it("gives each stack only its own changes, under its own addresses", () => {
    const root = { changes: ["update module.a.aws_vpc.main", 'delete module.a.aws_s3_object.o["a key"]', "update module.a-b.aws_vpc.main"], outputChanges: [`update output.${forwardedOutput("a", "vpc_id")}`], noChanges: false };
    expect(verdictOfModule(root, "a")).toEqual({ changes: ["update aws_vpc.main", 'delete aws_s3_object.o["a key"]'], outputChanges: ["update output.vpc_id"], noChanges: false });
    expect(verdictOfModule(root, "a-b")).toEqual({ changes: ["update aws_vpc.main"], outputChanges: [], noChanges: false });
    expect(verdictOfModule(root, "c")).toEqual({ changes: [], outputChanges: [], noChanges: true });
  });

  describe("shared provider configurations", () => {
    const web = { aws: [{ region: "eu-west-1", default_tags: [{ tags: { Project: "web" } }] }, { alias: "us_east_1", region: "us-east-1", default_tags: [{ tags: { Project: "web" } }] }] };
    const api = { aws: [{ region: "eu-west-1", default_tags: [{ tags: { Project: "api" } }] }] };
    const shared = shareProviders(
      new Map<string, Record<string, Record<string, Json>[]>>([
        ["web-network", web],
        ["web-edge", web],
        ["api-network", api],
        ["own-region", { aws: [{ region: "${var.region}" }] }],
      ]),
    );

    it("declares each distinct configuration once in the root, and passes it to every stack that has it", () => {
      expect(shared.provider).toEqual({
        aws: [
          { region: "eu-west-1", default_tags: [{ tags: { Project: "web" } }], alias: "shared_1" },
          { region: "us-east-1", default_tags: [{ tags: { Project: "web" } }], alias: "shared_2" },
          { region: "eu-west-1", default_tags: [{ tags: { Project: "api" } }], alias: "shared_3" },
        ],
      });
      expect(Object.fromEntries(shared.keys.get("web-edge")!)).toEqual({ aws: "aws.shared_1", "aws.us_east_1": "aws.shared_2" });
      expect(Object.fromEntries(shared.keys.get("api-network")!)).toEqual({ aws: "aws.shared_3" });
      // A configuration that reads the stack's own values stays in the stack.
      expect(shared.keys.has("own-region")).toBe(false);
      const root = rootConfiguration(new Map([["web-edge", {}], ["own-region", {}]]), shared);
      expect(root.provider).toEqual(shared.provider);
      expect(root.module).toEqual({
        "web-edge": { source: "./stacks/web-edge", providers: { aws: "aws.shared_1", "aws.us_east_1": "aws.shared_2" } },
        "own-region": { source: "./stacks/own-region" },
      });
    });

    it("makes a sharing stack a module without provider blocks, its aliases passed in", () => {
      const json = { provider: web, terraform: { required_providers: { aws: { source: "aws", version: "5.100.0" } }, backend: { s3: {} } }, resource: {} };
      expect(asSharingModule(json, shared.keys.get("web-edge")!)).toEqual({
        terraform: { required_providers: { aws: { source: "aws", version: "5.100.0", configuration_aliases: ["aws.us_east_1"] } }, backend: { s3: {} } },
        resource: {},
      });
    });

    it("cuts the stack's plan with its own provider keys, and puts its resources under the root's configurations in the state", () => {
      const keys = new Map([["aws", "aws.shared_3"]]);
      const both = combined(["web-dev-network"]);
      const passed = { ...both, configuration: { root_module: { module_calls: { "web-dev-network": { module: { ...plan.configuration!.root_module, resources: plan.configuration!.root_module!.resources!.map((r) => ({ ...r, provider_config_key: "aws.shared_3" })) } } } } } };
      const own = planOfModule(passed, "web-dev-network", keys);
      expect(own.configuration?.root_module?.resources).toEqual(plan.configuration?.root_module?.resources);
      const alone = new StateBuilder(own, schemas).build();
      const merged = stateOfModules(new Map([["web-dev-network", alone]]), "1.11.4", { provider: {}, keys: new Map([["web-dev-network", keys]]) });
      expect(new Set(merged.resources.map((r) => r.provider))).toEqual(new Set([`provider["${AWS}"].shared_3`]));
    });
  });
});

describe("values inside nested blocks", () => {
  const nested: Record<string, { nesting_mode: string; block: SchemaBlock }> = { ebs: { nesting_mode: "list", block: { attributes: { kms_key_id: { type: "string", optional: true }, iops: { type: "number", optional: true }, encrypted: { type: "bool", optional: true }, ids: { type: ["list", "string"], optional: true } } } } };
  const blockSchemas: Schemas = {
    provider_schemas: {
      [AWS]: {
        resource_schemas: {
          // The legacy SDK's implicit id: optional and computed.
          aws_launch_template: { version: 0, block: { attributes: { id: { type: "string", optional: true, computed: true } }, block_types: nested } },
          aws_framework_thing: { version: 0, block: { attributes: { id: { type: "string", computed: true } }, block_types: nested } },
          aws_kms_key: { version: 0, block: { attributes: { id: { type: "string", optional: true, computed: true }, arn: { type: "string", computed: true } } } },
          aws_eks_cluster: {
            version: 0,
            block: {
              attributes: { id: { type: "string", optional: true, computed: true } },
              block_types: {
                encryption_config: {
                  nesting_mode: "list",
                  block: { attributes: { resources: { type: ["set", "string"], required: true } }, block_types: { provider: { nesting_mode: "list", block: { attributes: { key_arn: { type: "string", required: true } } } } } },
                },
                vpc_config: { nesting_mode: "list", block: { attributes: { security_group_ids: { type: ["set", "string"], optional: true } } } },
              },
            },
          },
        },
      },
    },
  };
  const ebs = [{ kms_key_id: null, iops: null, encrypted: null, ids: null }];
  const blockPlan: PlanJson = {
    format_version: "1.2",
    terraform_version: "1.11.4",
    resource_changes: [
      change("aws_launch_template", "lt", { ebs }, { id: true }),
      change("aws_framework_thing", "f", { ebs }, { id: true }),
      change("aws_kms_key", "k", {}, { id: true, arn: true }),
      change("aws_eks_cluster", "c", { encryption_config: [{ resources: ["secrets"], provider: [{}] }], vpc_config: [{}] }, { id: true, encryption_config: [{ provider: [{ key_arn: true }] }], vpc_config: [{ security_group_ids: true }] }),
    ],
    configuration: {
      root_module: {
        resources: [
          {
            address: "aws_eks_cluster.c",
            mode: "managed",
            type: "aws_eks_cluster",
            name: "c",
            provider_config_key: "aws",
            expressions: {
              encryption_config: [{ resources: { constant_value: ["secrets"] }, provider: [{ key_arn: { constant_value: "${aws_kms_key.k.arn}" } }] }],
              vpc_config: [{ security_group_ids: { constant_value: ["${aws_kms_key.k.id}"] } }],
            },
          },
        ],
      },
    },
  };
  const state = new StateBuilder(blockPlan, blockSchemas).build();
  const attributes = (type: string) => state.resources.find((r) => r.type === type)!.instances[0].attributes;

  it("stores the legacy SDK's zero values for unset attributes in nested blocks, as it does after apply", () => {
    expect(attributes("aws_launch_template").ebs).toEqual([{ kms_key_id: "", iops: 0, encrypted: false, ids: [] }]);
  });

  it("keeps them null for a plugin-framework resource", () => {
    expect(attributes("aws_framework_thing").ebs).toEqual(ebs);
  });

  it("fills unknown values blocks deep from their own expressions, templates in lists too", () => {
    const key = attributes("aws_kms_key");
    const cluster = attributes("aws_eks_cluster") as { encryption_config: { provider: { key_arn: string }[] }[]; vpc_config: { security_group_ids: string[] }[] };
    expect(cluster.encryption_config[0].provider[0].key_arn).toBe(key.arn);
    expect(cluster.vpc_config[0].security_group_ids).toEqual([key.id]);
  });
});
