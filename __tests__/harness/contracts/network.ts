import { SystemModel } from "./model";

type Json = Record<string, unknown>;

/** Where a principal's traffic leaves from, or a target's port listens. */
export interface Endpoint {
  readonly securityGroups: string[];
  readonly subnets: string[];
}

interface Rule {
  sg: string;
  direction: "ingress" | "egress";
  protocol: string;
  from: number;
  to: number;
  cidr?: string;
  ref?: string;
  /** A managed prefix list (e.g. CloudFront's origin-facing servers). */
  prefixList?: string;
}

function ipv4(cidr: string): [number, number] {
  const [ip, len] = cidr.split("/");
  const n = ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
  return [n, Number(len ?? 32)];
}

/** Whether `outer` contains `inner` (IPv4 CIDRs). */
export function cidrContains(outer: string, inner: string): boolean {
  const [o, ol] = ipv4(outer);
  const [i, il] = ipv4(inner);
  if (il < ol) return false;
  const size = 2 ** (32 - ol);
  return Math.floor(o / size) === Math.floor(i / size);
}

function rulesOf(model: SystemModel): Rule[] {
  const rules: Rule[] = [];
  const add = (sg: string, direction: Rule["direction"], c: Json) => {
    const protocol = String(c.ip_protocol ?? c.protocol ?? "-1");
    const all = protocol === "-1" || protocol === "all";
    const cidrs = [...((c.cidr_blocks as string[]) ?? []), ...(c.cidr_ipv4 ? [String(c.cidr_ipv4)] : [])];
    const refs = [...((c.security_groups as string[]) ?? []), ...(c.referenced_security_group_id ? [String(c.referenced_security_group_id)] : []), ...(c.source_security_group_id ? [String(c.source_security_group_id)] : [])];
    const base = { sg, direction, protocol: all ? "-1" : protocol, from: all ? 0 : Number(c.from_port ?? 0), to: all ? 65535 : Number(c.to_port ?? 65535) };
    cidrs.forEach((cidr) => rules.push({ ...base, cidr }));
    refs.forEach((ref) => rules.push({ ...base, ref }));
    const prefixLists = [...((c.prefix_list_ids as string[]) ?? []), ...(c.prefix_list_id ? [String(c.prefix_list_id)] : [])];
    prefixLists.forEach((prefixList) => rules.push({ ...base, prefixList }));
    if (c.self === true) rules.push({ ...base, ref: sg });
  };
  for (const r of model.ofType("aws_vpc_security_group_ingress_rule")) add(String(r.config.security_group_id), "ingress", r.config);
  for (const r of model.ofType("aws_vpc_security_group_egress_rule")) add(String(r.config.security_group_id), "egress", r.config);
  for (const r of model.ofType("aws_security_group_rule")) add(String(r.config.security_group_id), r.config.type === "egress" ? "egress" : "ingress", r.config);
  for (const r of model.ofType("aws_security_group")) {
    const id = `security_group-${r.stack}/${r.name}`;
    for (const c of (r.config.ingress as Json[]) ?? []) add(id, "ingress", c);
    for (const c of (r.config.egress as Json[]) ?? []) add(id, "egress", c);
  }
  return rules;
}

function subnetCidr(model: SystemModel, id: string): string | undefined {
  const s = model.ofType("aws_subnet").find((r) => `subnet-${r.stack}/${r.name}` === id);
  return s ? String(s.config.cidr_block) : undefined;
}

function portMatches(rule: Rule, port: number): boolean {
  return (rule.protocol === "-1" || rule.protocol === "tcp" || rule.protocol === "6") && rule.from <= port && port <= rule.to;
}

function peerMatches(rule: Rule, peerGroups: string[], peerCidrs: (string | undefined)[]): boolean {
  if (rule.prefixList) return false;
  if (rule.ref) return peerGroups.includes(rule.ref);
  return peerCidrs.length > 0 && peerCidrs.every((c) => c !== undefined && cidrContains(rule.cidr!, c));
}

/** The NACL verdict for traffic on a port to or from a subnet: the first matching rule by number decides. */
function naclAllows(model: SystemModel, subnet: string, direction: "ingress" | "egress", port: number): boolean {
  const acl = model.ofType("aws_network_acl").find((a) => ((a.config.subnet_ids as string[]) ?? []).includes(subnet));
  if (!acl) return true; // The default NACL allows everything.
  const aclId = `network_acl-${acl.stack}/${acl.name}`;
  const entries: Json[] = [
    ...((acl.config[direction] as Json[]) ?? []).map((e): Json => ({ ...e, rule_number: e.rule_no, rule_action: e.action })),
    ...model.ofType("aws_network_acl_rule").filter((r) => r.config.network_acl_id === aclId && (r.config.egress === true) === (direction === "egress")).map((r) => r.config),
  ].sort((a, b) => Number(a.rule_number) - Number(b.rule_number));
  for (const e of entries) {
    const proto = String(e.protocol);
    const all = proto === "-1" || proto === "all";
    if (all || ((proto === "tcp" || proto === "6") && Number(e.from_port) <= port && port <= Number(e.to_port))) return e.rule_action === "allow";
  }
  return false;
}

/**
 * What is missing for a TCP connection from `source` to `target` on `port`: an egress rule on
 * a source group and an ingress rule on a target group (a security group reference, or a CIDR
 * covering every subnet of the other side), and network ACLs that let it through.
 */
export function missingPath(model: SystemModel, source: Endpoint, target: Endpoint, port: number): string[] {
  const rules = rulesOf(model);
  const srcCidrs = source.subnets.map((s) => subnetCidr(model, s));
  const dstCidrs = target.subnets.map((s) => subnetCidr(model, s));
  const missing: string[] = [];
  const egress = rules.some((r) => r.direction === "egress" && source.securityGroups.includes(r.sg) && portMatches(r, port) && peerMatches(r, target.securityGroups, dstCidrs));
  if (!egress) missing.push(`no egress rule on ${source.securityGroups.join(", ") || "(no security group)"} to port ${port} of ${target.securityGroups.join(", ")}`);
  const ingress = rules.some((r) => r.direction === "ingress" && target.securityGroups.includes(r.sg) && portMatches(r, port) && peerMatches(r, source.securityGroups, srcCidrs));
  if (!ingress) missing.push(`no ingress rule on ${target.securityGroups.join(", ") || "(no security group)"} for port ${port} from ${source.securityGroups.join(", ")}`);
  for (const s of source.subnets) if (!naclAllows(model, s, "egress", port)) missing.push(`the network ACL of ${s} blocks egress to port ${port}`);
  for (const s of target.subnets) if (!naclAllows(model, s, "ingress", port)) missing.push(`the network ACL of ${s} blocks ingress on port ${port}`);
  return missing;
}

/**
 * What is missing for clients to reach a load balancer's listener `port`: an ingress rule of one
 * of its security groups on the port, from whichever peer (the configuration says who the
 * clients are: CIDRs, a prefix list, a group), and its subnets' network ACLs letting it in.
 */
export function missingListenerPath(model: SystemModel, lb: Endpoint, port: number): string[] {
  const missing: string[] = [];
  if (!rulesOf(model).some((r) => r.direction === "ingress" && lb.securityGroups.includes(r.sg) && portMatches(r, port))) {
    missing.push(`no ingress rule on ${lb.securityGroups.join(", ")} for port ${port}`);
  }
  for (const s of lb.subnets) if (!naclAllows(model, s, "ingress", port)) missing.push(`the network ACL of ${s} blocks ingress on port ${port}`);
  return missing;
}

function defaultRoute(model: SystemModel, subnet: string): Json | undefined {
  const assoc = model.ofType("aws_route_table_association").find((a) => a.config.subnet_id === subnet);
  const table = assoc ? String(assoc.config.route_table_id) : undefined;
  if (!table) return undefined;
  const routes = [
    ...model.ofType("aws_route").filter((r) => r.config.route_table_id === table).map((r) => r.config),
    ...model.ofType("aws_route_table").filter((r) => `route_table-${r.stack}/${r.name}` === table).flatMap((r) => (r.config.route as Json[]) ?? []),
  ];
  return routes.find((r) => r.destination_cidr_block === "0.0.0.0/0");
}

/**
 * What is missing for AWS API calls (HTTPS) from a principal's subnets: a default route to a
 * NAT gateway that sits in a subnet routed to an internet gateway, or VPC endpoints of every
 * service it calls; and an egress rule for 443.
 */
export function missingApiPath(model: SystemModel, source: Endpoint, services: string[]): string[] {
  const missing: string[] = [];
  const rules = rulesOf(model);
  const endpoints = model.ofType("aws_vpc_endpoint").map((e) => String(e.config.service_name).split(".").pop()!);
  const viaEndpoints = services.every((s) => endpoints.includes(s));
  if (!viaEndpoints) {
    for (const subnet of source.subnets) {
      const route = defaultRoute(model, subnet);
      const nat = route?.nat_gateway_id ? model.ofType("aws_nat_gateway").find((n) => `nat_gateway-${n.stack}/${n.name}` === route.nat_gateway_id) : undefined;
      const natRoute = nat ? defaultRoute(model, String(nat.config.subnet_id)) : undefined;
      const igw = natRoute?.gateway_id && model.ofType("aws_internet_gateway").some((g) => `internet_gateway-${g.stack}/${g.name}` === natRoute.gateway_id);
      if (!igw) missing.push(`subnet ${subnet} has no route to AWS APIs (0.0.0.0/0 -> NAT gateway in a subnet routed to an internet gateway) and no VPC endpoints for ${services.join(", ")}`);
    }
  }
  const https = rules.some((r) => r.direction === "egress" && source.securityGroups.includes(r.sg) && portMatches(r, 443) && (r.cidr === "0.0.0.0/0" || viaEndpoints));
  if (!https) missing.push(`no egress rule on ${source.securityGroups.join(", ")} for HTTPS (443) to AWS APIs`);
  return missing;
}
