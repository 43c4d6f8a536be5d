import { createHash } from "crypto";
import { FAKE_ATTRIBUTES } from "../../__tests__/harness/fake-values";
import { CtyType } from "./schema";
import { Json } from "./plan-json";

/**
 * Deterministic, well-formed stand-ins for values known only after apply, by cty type and
 * attribute name. Each is distinct per resource address and attribute path (a subnet's id
 * differs from its neighbour's), stable from run to run, and shaped to pass the provider's
 * validation where another resource consumes it (ARNs, an https OIDC issuer, a DNS record type).
 */

const ACCOUNT = "123456789012";

/** Short, stable hex of the inputs. */
export function digest(...parts: string[]): string {
  return createHash("sha1").update(parts.join("\u0000")).digest("hex");
}

/** Resource id prefixes AWS uses, where the provider or a reader checks them. */
const ID_PREFIXES: Record<string, string> = {
  aws_vpc: "vpc",
  aws_subnet: "subnet",
  aws_security_group: "sg",
  aws_internet_gateway: "igw",
  aws_nat_gateway: "nat",
  aws_eip: "eipalloc",
  aws_route_table: "rtb",
  aws_network_acl: "acl",
  aws_vpc_endpoint: "vpce",
  aws_launch_template: "lt",
  aws_flow_log: "fl",
  aws_vpc_security_group_ingress_rule: "sgr",
  aws_vpc_security_group_egress_rule: "sgr",
  aws_route53_zone: "Z",
};

export interface StandInContext {
  readonly resourceType: string;
  readonly address: string;
  /** Attribute path from the resource's root, indexes omitted (`identity.oidc.issuer`). */
  readonly path: string;
  /** Paths (as above) of computed lists the configuration indexes (`x[0]`): they get one element. */
  readonly indexedLists: ReadonlySet<string>;
  /** Paths (as above, `<address>:<path>`) the configuration or its outputs read. */
  readonly referenced: ReadonlySet<string>;
  readonly region: string;
}

/** A stand-in of type `type` for the value at `ctx.path`. */
export function standIn(type: CtyType | unknown, ctx: StandInContext): Json {
  if (type === "string") return standInString(ctx);
  // Zero, as AWS reports an unset number (a PAY_PER_REQUEST table's read_capacity): 1 would fail validation.
  if (type === "number") return 0;
  if (type === "bool") return false;
  if (type === "dynamic") return null;
  if (Array.isArray(type)) {
    const [kind, inner] = type as [string, unknown];
    switch (kind) {
      case "list":
      case "set":
        return ctx.indexedLists.has(`${ctx.address}:${ctx.path}`) ? [standIn(inner, ctx)] : [];
      case "map":
        return {};
      case "tuple":
        return (inner as unknown[]).map((t, i) => standIn(t, { ...ctx, path: `${ctx.path}.${i}` }));
      case "object":
        return Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).map(([name, t]) => [name, standIn(t, { ...ctx, path: ctx.path ? `${ctx.path}.${name}` : name })]),
        );
    }
  }
  return null;
}

/**
 * What AWS reports for a value the configuration leaves unset, where another value would
 * force a replacement when the same resource is planned by a configuration that sets it
 * (an adopted target group: `protocol_version` forces a new one).
 */
const AWS_DEFAULTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  aws_lb_target_group: { protocol_version: "HTTP1" },
};

function standInString(ctx: StandInContext): string {
  const attribute = ctx.path.split(".").pop() ?? ctx.path;
  const hash = digest(ctx.address, ctx.path);
  const awsDefault = AWS_DEFAULTS[ctx.resourceType]?.[ctx.path];
  if (awsDefault !== undefined) return awsDefault;
  const known = FAKE_ATTRIBUTES[ctx.resourceType]?.[ctx.path];
  if (typeof known === "string") return distinct(known, hash);
  const kind = ctx.resourceType.replace(/^aws_/, "");
  if (attribute === "id") {
    const prefix = ID_PREFIXES[ctx.resourceType];
    if (prefix === "Z") return `Z${hash.slice(0, 20).toUpperCase()}`;
    return `${prefix ?? kind.replace(/_/g, "-")}-${hash.slice(0, 17)}`;
  }
  // A DNS record type passes validation wherever it lands, even read through a local the plan JSON
  // omits (an ACM certificate's domain_validation_options, read by the edge stacks' validation records).
  if (/record_type$/.test(attribute) || attribute === "type") return "CNAME";
  // A value nothing reads gets the zero value AWS reports for an unset string (a standard SNS
  // topic's fifo_throughput_scope is ""): a made-up value there can fail the provider's validation.
  if (!ctx.referenced.has(`${ctx.address}:${ctx.path}`) && !attribute.endsWith("arn")) return "";
  if (attribute === "arn" || attribute.endsWith("_arn")) {
    const service = kind.split("_")[0];
    return `arn:aws:${service}:${ctx.region}:${ACCOUNT}:${kind}/${hash.slice(0, 12)}`;
  }
  if (/(^|_)(issuer|url)$/.test(attribute)) return `https://${hash.slice(0, 12)}.${ctx.region}.example.amazonaws.com/id/${hash.slice(12, 28).toUpperCase()}`;
  if (/(endpoint|address|dns_name|domain_name|fqdn)$/.test(attribute)) return `${kind.replace(/_/g, "-")}-${hash.slice(0, 8)}.${ctx.region}.example.amazonaws.com`;
  if (/(owner_id|account_id)$/.test(attribute)) return ACCOUNT;
  if (/(^|_)(zone_id)$/.test(attribute)) return `Z${hash.slice(0, 20).toUpperCase()}`;
  if (/(^|_)(availability_zone)$/.test(attribute)) return `${ctx.region}a`;
  return `${attribute.replace(/_/g, "-")}-${hash.slice(0, 12)}`;
}

/** A table value made unique to its resource: `...-0123456789abcdef0` ids, and `mock` names in ARNs. */
function distinct(value: string, hash: string): string {
  if (value.endsWith("0123456789abcdef0")) return value.replace(/0123456789abcdef0$/, hash.slice(0, 17));
  if (value.startsWith("arn:") && value.includes("mock")) return value.replace("mock", `mock${hash.slice(0, 8)}`);
  return value;
}
