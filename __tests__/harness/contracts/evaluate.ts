import { Flow, PrincipalContract, Refresh, SecretRef, SystemContract, principalName, secretRefName } from "../../../src/contracts";
import { Finding } from "./finding";
import { IamCheck, PolicyDocument, describeProblems, list, policyProblems, simulate, statements, wildcardMatch } from "./iam";
import { ModelResource, SystemModel } from "./model";
import { Endpoint, missingApiPath, missingListenerPath, missingPath } from "./network";
import { AWS_MANAGED_POLICIES } from "./managed-policies";
import { isPlaceholderCertificate } from "../../../src/lib/placeholders";
import { ADDON_NAMESPACES } from "../../../src/constructs/eks/container-logs";

type Json = Record<string, unknown>;

/** A principal found in the stacks: its role, its network placement, what its boot script or pod spec says. */
interface ResolvedPrincipal {
  readonly name: string;
  readonly roleName?: string;
  readonly network: Endpoint;
  readonly bootScripts: string[];
  readonly containers: Json[];
}

interface Grantable {
  readonly action: string;
  readonly resource: string;
}

const ltId = (r: ModelResource) => `launch_template-${r.stack}/${r.name}`;

/** The security groups a launch template gives its instances: its own, and its network interfaces'. */
function launchTemplateGroups(lt: ModelResource): string[] {
  return [...((lt.config.vpc_security_group_ids as string[]) ?? []), ...((lt.config.network_interfaces as Json[]) ?? []).flatMap((n) => (n.security_groups as string[]) ?? [])];
}

/** Whether `arn` (a stand-in, as the model resolves one) is the ARN of target group `tg`. */
function isArnOf(tg: ModelResource, arn: unknown): boolean {
  return String(arn).includes(`targetgroup/${String(tg.config.name)}/`);
}

function roleArn(name: string, accountId: string): string {
  return `arn:aws:iam::${accountId}:role/${name}`;
}

/**
 * Proves a system's contract against its synthesized stacks (see docs/contracts.md): IAM
 * (identity and resource policies, in iam-simulate), every policy against AWS's service
 * authorization reference, network paths, existence, credential refresh, and least privilege.
 */
export async function evaluateContract(model: SystemModel, contract: SystemContract): Promise<Finding[]> {
  return new Evaluator(model, contract).run();
}

class Evaluator {
  private readonly findings: Finding[] = [];
  private readonly r: string;

  constructor(
    private readonly model: SystemModel,
    private readonly contract: SystemContract,
  ) {
    this.r = model.region;
  }

  async run(): Promise<Finding[]> {
    await this.validateEveryPolicy();
    const roles: string[] = [];
    for (const pc of this.contract.principals) {
      const role = await this.principal(pc);
      if (role) roles.push(role);
    }
    this.everyRunningRoleHasAContract(roles);
    this.loadBalancerPaths();
    this.existence();
    return this.findings;
  }

  private add(f: Finding): void {
    this.findings.push(f);
  }

  private external(kind: string, name: string): boolean {
    return (this.contract.external ?? []).some((e) => e.kind === kind && e.name === name);
  }

  // ---- every policy of every stack, against iam-data ----

  private async validateEveryPolicy(): Promise<void> {
    const docs: { where: string; doc: unknown; kind: "identity" | "resource" | "trust" }[] = [];
    const push = (r: ModelResource, attr: string, kind: "identity" | "resource" | "trust") => {
      const v = r.config[attr];
      if (typeof v === "string" && v.startsWith("<unresolved")) {
        this.add({ class: "existence", principal: "system", what: "policy", resource: `${r.address}.${attr}`, missing: "the policy names a resource that no stack creates (its reference does not resolve)", fix: "create the resource, or remove it from the policy" });
      }
      if (typeof v === "string" && v.trim().startsWith("{")) docs.push({ where: `${r.address}.${attr}`, doc: JSON.parse(v), kind });
    };
    for (const r of this.model.resources) {
      if (r.type === "aws_iam_role_policy" || r.type === "aws_iam_policy") push(r, "policy", "identity");
      if (r.type === "aws_iam_role") push(r, "assume_role_policy", "trust");
      if (["aws_kms_key", "aws_s3_bucket_policy", "aws_sns_topic_policy", "aws_ecr_repository_policy", "aws_secretsmanager_secret_policy", "aws_kms_key_policy", "aws_sqs_queue_policy"].includes(r.type)) {
        push(r, "policy", "resource");
      }
    }
    for (const { where, doc, kind } of docs) {
      for (const problem of await policyProblems(doc as PolicyDocument, kind)) {
        this.add({ class: "policy", principal: "system", what: problem, resource: where, missing: "a valid action, resource type or condition key", fix: "correct the policy statement (AWS service authorization reference)" });
      }
    }
  }

  // ---- principals ----

  private resolve(pc: PrincipalContract): ResolvedPrincipal | undefined {
    const p = pc.principal;
    const name = principalName(p);
    const m = this.model;
    if (p.kind === "instance") {
      const lts = m.ofType("aws_launch_template").filter((r) => r.path[0] === p.service && r.stack.endsWith("-compute"));
      if (!lts.length) {
        this.add({ class: "existence", principal: name, what: "run", resource: `compute service ${p.service}`, missing: "no launch template of the service exists", fix: `add compute.services.${p.service} to the preset, or remove it from the contract` });
        return undefined;
      }
      const profileRef = (lts[0].config.iam_instance_profile as Json | undefined) ?? {};
      const profile = m.ofType("aws_iam_instance_profile").find((ip) => `arn:aws:iam::${this.model.accountId}:instance-profile/${ip.config.name}` === profileRef.arn || ip.config.name === profileRef.name);
      const groups = lts.flatMap(launchTemplateGroups);
      const subnets = m.ofType("aws_autoscaling_group").filter((a) => a.path[0] === p.service).flatMap((a) => (a.config.vpc_zone_identifier as string[]) ?? []);
      const bootScripts = lts.map((lt) => (typeof lt.config.user_data === "string" ? Buffer.from(lt.config.user_data, "base64").toString("utf8") : ""));
      return { name, roleName: profile ? String(profile.config.role) : undefined, network: { securityGroups: [...new Set(groups)], subnets: [...new Set(subnets)] }, bootScripts, containers: [] };
    }
    const nodeGroups = m.ofType("aws_eks_node_group");
    const nodeRole = nodeGroups.length ? m.ofType("aws_iam_role").find((r) => roleArn(String(r.config.name), this.model.accountId) === nodeGroups[0].config.node_role_arn) : undefined;
    const nodeLts = m.ofType("aws_launch_template").filter((lt) => nodeGroups.some((ng) => (ng.config.launch_template as Json | undefined)?.id === ltId(lt)));
    const nodeNetwork: Endpoint = {
      securityGroups: [...new Set(nodeLts.flatMap((lt) => (lt.config.vpc_security_group_ids as string[]) ?? []))],
      subnets: [...new Set(nodeGroups.flatMap((ng) => (ng.config.subnet_ids as string[]) ?? []))],
    };
    if (p.kind === "service-account") {
      const association = this.podIdentityAssociations().find((a) => a.namespace === p.namespace && a.serviceAccount === p.name);
      const role = association ? m.ofType("aws_iam_role").find((r) => roleArn(String(r.config.name), this.model.accountId) === association.roleArn) : undefined;
      if (!role) {
        this.add({ class: "iam", principal: name, what: "any AWS call", resource: `service account ${p.namespace}/${p.name}`, missing: "no EKS Pod Identity association gives it a role", fix: "associate a role with the service account" });
        return undefined;
      }
      return { name, roleName: String(role.config.name), network: nodeNetwork, bootScripts: [], containers: [] };
    }
    if (p.kind === "eks-node") {
      if (!nodeGroups.length) {
        this.add({ class: "existence", principal: name, what: "run", resource: "EKS node groups", missing: "no node group exists", fix: "configure eks.nodeGroups" });
        return undefined;
      }
      return { name, roleName: nodeRole ? String(nodeRole.config.name) : undefined, network: nodeNetwork, bootScripts: [], containers: [] };
    }
    const deployment = m.ofType("kubernetes_deployment_v1").find((d) => d.path.includes(p.app) && d.path.at(-1) === "deployment");
    if (!deployment) {
      this.add({ class: "existence", principal: name, what: "run", resource: `workload ${p.app}`, missing: "no Deployment of the app exists", fix: `add workloads.apps.${p.app}` });
      return undefined;
    }
    const podSpec = (((deployment.config.spec as Json).template as Json).spec as Json) ?? {};
    const namespace = String((deployment.config.metadata as Json).namespace);
    const account = String(podSpec.service_account_name ?? "default");
    const association = this.podIdentityAssociations().find((a) => a.namespace === namespace && a.serviceAccount === account);
    const sa = m.ofType("kubernetes_service_account_v1").find((s) => (s.config.metadata as Json).name === account);
    const irsa = ((sa?.config.metadata as Json | undefined)?.annotations as Json | undefined)?.["eks.amazonaws.com/role-arn"];
    const arn = association?.roleArn ?? irsa;
    const role = arn ? m.ofType("aws_iam_role").find((r) => roleArn(String(r.config.name), this.model.accountId) === arn) : undefined;
    if (!role && pc.flows.some((f) => needsIam(f))) {
      this.add({ class: "iam", principal: name, what: "any AWS call", resource: `service account ${namespace}/${account}`, missing: "the pod has no AWS identity: no EKS Pod Identity association or IRSA role annotation for its service account", fix: `give service account ${account} a role (aws_eks_pod_identity_association) that grants the app's flows` });
    }
    return { name, roleName: role ? String(role.config.name) : undefined, network: nodeNetwork, bootScripts: [], containers: (podSpec.container as Json[]) ?? [] };
  }

  /**
   * Every EKS Pod Identity binding of the stacks: the `aws_eks_pod_identity_association`
   * resources, and the `pod_identity_association` blocks of add-ons (whose namespace the
   * add-on decides: ADDON_NAMESPACES).
   */
  private podIdentityAssociations(): { namespace: string; serviceAccount: string; roleArn: unknown; via: string }[] {
    const m = this.model;
    const own = m.ofType("aws_eks_pod_identity_association").map((a) => ({
      namespace: String(a.config.namespace),
      serviceAccount: String(a.config.service_account),
      roleArn: a.config.role_arn,
      via: `pod identity of ${a.config.namespace}/${a.config.service_account}`,
    }));
    const ofAddons = m.ofType("aws_eks_addon").flatMap((addon) =>
      ([addon.config.pod_identity_association ?? []].flat() as Json[]).map((b) => {
        const namespace = ADDON_NAMESPACES[String(addon.config.addon_name)] ?? `<namespace of add-on ${addon.config.addon_name}>`;
        return { namespace, serviceAccount: String(b.service_account), roleArn: b.role_arn, via: `pod identity of ${namespace}/${b.service_account} (add-on ${addon.config.addon_name})` };
      }),
    );
    return [...own, ...ofAddons];
  }

  private identityPolicies(roleName: string): { policies: { name: string; policy: PolicyDocument }[]; own: { name: string; policy: PolicyDocument }[]; managed: string[] } {
    const own = this.model
      .ofType("aws_iam_role_policy")
      .filter((p) => p.config.role === roleName && !String(p.config.policy).startsWith("<unresolved"))
      .map((p) => ({ name: p.address, policy: JSON.parse(String(p.config.policy)) as PolicyDocument }));
    const managed: string[] = [];
    const attached: { name: string; policy: PolicyDocument }[] = [];
    const role = this.model.ofType("aws_iam_role").find((r) => r.config.name === roleName);
    for (const block of [role?.config.inline_policy ?? []].flat() as Json[]) {
      if (typeof block.policy === "string" && block.policy.startsWith("{")) own.push({ name: `${role!.address} inline ${block.name}`, policy: JSON.parse(block.policy) as PolicyDocument });
    }
    const arns = [
      ...this.model.ofType("aws_iam_role_policy_attachment").filter((x) => x.config.role === roleName).map((a) => String(a.config.policy_arn)),
      ...((role?.config.managed_policy_arns as string[] | undefined) ?? []),
    ];
    for (const arn of arns) {
      const project = this.model.ofType("aws_iam_policy").find((p) => `arn:aws:iam::${this.model.accountId}:policy${p.config.path ?? "/"}${p.config.name}` === arn);
      if (project) own.push({ name: project.address, policy: JSON.parse(String(project.config.policy)) as PolicyDocument });
      else {
        const managedName = arn.split("/").pop()!;
        managed.push(managedName);
        const doc = AWS_MANAGED_POLICIES[managedName];
        if (doc) attached.push({ name: managedName, policy: doc });
      }
    }
    return { policies: [...own, ...attached], own, managed };
  }

  /** Roles that run the system's software (instance profiles, pod identities, node groups) each belong to a contract principal. */
  private everyRunningRoleHasAContract(covered: string[]): void {
    const m = this.model;
    const byArn = (arn: unknown) => m.ofType("aws_iam_role").find((r) => roleArn(String(r.config.name), this.model.accountId) === arn);
    const running = [
      ...m.ofType("aws_iam_instance_profile").map((p) => ({ role: String(p.config.role), via: `instance profile ${p.config.name}` })),
      ...this.podIdentityAssociations().map((a) => ({ role: String(byArn(a.roleArn)?.config.name), via: a.via })),
      ...m.ofType("aws_eks_node_group").map((g) => ({ role: String(byArn(g.config.node_role_arn)?.config.name), via: `node group ${g.config.node_group_name ?? g.config.node_group_name_prefix}` })),
    ];
    for (const { role, via } of running.filter((x) => !covered.includes(x.role))) {
      this.add({ class: "least-privilege", principal: `role ${role}`, what: "run the system's software", resource: via, missing: "no contract principal declares what it needs, so none of its grants is proven needed", fix: "add the principal and its flows to the system's contract" });
    }
  }

  private async principal(pc: PrincipalContract): Promise<string | undefined> {
    const resolved = this.resolve(pc);
    if (!resolved) return undefined;
    const needs: IamCheck[] = [];
    const tolerated: Grantable[] = [];
    const apiServices = new Set<string>();
    for (const flow of pc.flows) this.flow(resolved, pc, flow, needs, tolerated);
    for (const flow of pc.flows.filter((f): f is Extract<Flow, { kind: "describe" }> => f.kind === "describe")) {
      for (const { action, problem } of await describeProblems(flow.actions)) {
        this.add({ class: "policy", principal: resolved.name, what: action, resource: "*", missing: problem, fix: "correct the action's name, or declare what it does in the flow of the resource it reads or writes (bucket, table, logs, ...)" });
      }
    }
    needs.forEach((n) => apiServices.add(n.action.split(":")[0]));

    if (resolved.roleName) {
      const { policies, own, managed } = this.identityPolicies(resolved.roleName);
      const arn = roleArn(resolved.roleName, this.model.accountId);
      for (const check of needs) {
        const reason = await simulate(arn, policies, check);
        if (reason) {
          this.add({ class: "iam", principal: resolved.name, what: check.action, resource: check.resource, missing: `${reason} (needed to ${check.because})`, fix: fixFor(check) });
        }
      }
      const declared = (pc.managedPolicies ?? []).map((m) => m.name);
      for (const m of managed.filter((x) => !declared.includes(x))) {
        this.add({ class: "least-privilege", principal: resolved.name, what: `AWS managed policy ${m}`, resource: `role ${resolved.roleName}`, missing: "no contract entry says why the principal holds it", fix: `detach it, or declare it in the contract's managedPolicies with the reason` });
      }
      for (const { name, policy } of pc.publishedPolicy ? [] : own) {
        for (const st of statements(policy).filter((s) => s.Effect === "Allow")) {
          for (const action of list(st.Action)) {
            for (const resource of list(st.Resource)) {
              const needed = [...needs, ...tolerated].some((n) => wildcardMatch(action, n.action, true) && wildcardMatch(resource, n.resource));
              if (!needed) {
                this.add({ class: "least-privilege", principal: resolved.name, what: action, resource, missing: `granted by ${name} (${st.Sid ?? "statement"}) but no contract flow needs it`, fix: "remove the grant, or add the flow that needs it to the contract" });
              }
            }
          }
        }
      }
    } else if (needs.length && pc.principal.kind !== "pod") {
      this.add({ class: "iam", principal: resolved.name, what: "any AWS call", resource: "its role", missing: "no IAM role found for the principal", fix: "attach an instance profile or node role" });
    }
    if (apiServices.size) {
      for (const m of missingApiPath(this.model, resolved.network, [...apiServices].map(endpointService))) {
        this.add({ class: "network", principal: resolved.name, what: "HTTPS 443", resource: "AWS APIs", missing: m, fix: "route the subnet through a NAT gateway, or add VPC endpoints, and allow egress 443" });
      }
    }
    return resolved.roleName;
  }

  // ---- flows ----

  private flow(p: ResolvedPrincipal, pc: PrincipalContract, flow: Flow, needs: IamCheck[], tolerated: Grantable[]): void {
    switch (flow.kind) {
      case "image-pull":
        return this.imagePullFlow(p, flow, needs, tolerated);
      case "secret-read":
      case "secret-write":
        return this.secretFlow(p, flow, needs, tolerated);
      case "bucket":
        return this.bucketFlow(p, flow, needs, tolerated);
      case "table":
        return this.tableFlow(p, flow, needs, tolerated);
      case "queue":
        return this.queueFlow(p, flow, needs, tolerated);
      case "logs":
        return this.logsFlow(p, flow, needs, tolerated);
      case "metrics":
        return this.metricsFlow(flow, needs);
      case "describe":
        return this.describeFlow(flow, needs);
      case "database":
        return this.databaseFlow(p, pc, flow, needs);
      case "cache":
        return this.cacheFlow(p, pc, flow, needs);
    }
  }

  private imagePullFlow(p: ResolvedPrincipal, flow: Extract<Flow, { kind: "image-pull" }>, needs: IamCheck[], tolerated: Grantable[]): void {
    const r = this.r;
    const a = this.model.accountId;
    const repo = this.model.ofType("aws_ecr_repository").find((x) => x.config.name === flow.repository);
    if (!repo && !this.external("repository", flow.repository)) {
      this.add({ class: "existence", principal: p.name, what: "pull image", resource: `repository ${flow.repository}`, missing: "no stack creates the repository and the contract does not declare it external", fix: "add it to registry.repositories" });
      return;
    }
    const arn = `arn:aws:ecr:${r}:${a}:repository/${flow.repository}`;
    const policy = this.policyOf("aws_ecr_repository_policy", (c) => c.repository === flow.repository);
    needs.push({ action: "ecr:GetAuthorizationToken", resource: "*", because: `log in to ECR to pull ${flow.repository}` });
    for (const action of ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]) needs.push({ action, resource: arn, resourcePolicy: policy, because: `pull ${flow.repository}` });
    tolerated.push({ action: "ecr:BatchCheckLayerAvailability", resource: arn });
  }

  private secretFlow(p: ResolvedPrincipal, flow: Extract<Flow, { kind: "secret-read" | "secret-write" }>, needs: IamCheck[], tolerated: Grantable[]): void {
    const r = this.r;
    const ref: SecretRef = flow.kind === "secret-read" ? flow.secret : { name: flow.secret };
    const secret = this.secret(p.name, ref);
    if (!secret) return;
    if (flow.kind === "secret-read") {
      needs.push({ action: "secretsmanager:GetSecretValue", resource: secret.arn, resourcePolicy: secret.policy, because: `read ${secretRefName(ref)}` });
      tolerated.push({ action: "secretsmanager:DescribeSecret", resource: secret.arn });
      this.refresh(p, flow.secret, secret, flow.refresh, needs);
    } else {
      needs.push({ action: "secretsmanager:PutSecretValue", resource: secret.arn, resourcePolicy: secret.policy, because: `write ${flow.secret}` });
      if (flow.alsoCreates) {
        for (const action of ["secretsmanager:CreateSecret", "secretsmanager:UpdateSecret", "secretsmanager:TagResource"]) {
          needs.push({ action, resource: secret.arn, resourcePolicy: secret.policy, because: `create and tag ${flow.secret} when missing` });
        }
      }
    }
    if (secret.key) {
      const via = { "kms:ViaService": `secretsmanager.${r}.amazonaws.com` };
      const action = flow.kind === "secret-read" ? "kms:Decrypt" : "kms:GenerateDataKey";
      needs.push({ action, resource: secret.key.arn, context: via, resourcePolicy: secret.key.policy, isKmsKey: true, because: `${flow.kind === "secret-read" ? "decrypt" : "encrypt"} ${secretRefName(ref)} (its customer managed key)` });
      tolerated.push({ action: "kms:DescribeKey", resource: secret.key.arn }, { action: "kms:Decrypt", resource: secret.key.arn });
    }
  }

  private bucketFlow(p: ResolvedPrincipal, flow: Extract<Flow, { kind: "bucket" }>, needs: IamCheck[], tolerated: Grantable[]): void {
    const r = this.r;
    const bucket = this.model.ofType("aws_s3_bucket").find((b) => b.path.at(-1) === "bucket" && (b.path.at(-2) === flow.bucket || b.path.at(-2) === `s3_${flow.bucket}`));
    if (!bucket) {
      this.add({ class: "existence", principal: p.name, what: `${flow.access} objects`, resource: `bucket ${flow.bucket}`, missing: "no stack creates the bucket", fix: `add storage.buckets.${flow.bucket}` });
      return;
    }
    const name = String(bucket.config.bucket);
    const arn = `arn:aws:s3:::${name}`;
    const policy = this.policyOf("aws_s3_bucket_policy", (c) => c.bucket === name);
    const object = `${arn}/stand-in-object`;
    needs.push({ action: "s3:GetObject", resource: object, resourcePolicy: policy, because: `read ${flow.bucket}` }, { action: "s3:ListBucket", resource: arn, resourcePolicy: policy, because: `list ${flow.bucket}` });
    tolerated.push({ action: "s3:GetBucketLocation", resource: arn });
    if (flow.access === "read_write") {
      tolerated.push({ action: "s3:AbortMultipartUpload", resource: object }, { action: "s3:ListMultipartUploadParts", resource: object });
      needs.push({ action: "s3:PutObject", resource: object, resourcePolicy: policy, because: `write ${flow.bucket}` }, { action: "s3:DeleteObject", resource: object, resourcePolicy: policy, because: `delete from ${flow.bucket}` });
    }
    const sse = this.model.ofType("aws_s3_bucket_server_side_encryption_configuration").find((c) => c.config.bucket === name);
    const rules = [sse?.config.rule ?? []].flat() as Json[];
    const keyArn = rules.map((rule) => (rule.apply_server_side_encryption_by_default as Json | undefined)?.kms_master_key_id).find((k): k is string => typeof k === "string");
    const key = keyArn ? this.kmsKey(keyArn) : undefined;
    if (key) {
      const via = { "kms:ViaService": `s3.${r}.amazonaws.com` };
      needs.push({ action: "kms:Decrypt", resource: key.arn, context: via, resourcePolicy: key.policy, isKmsKey: true, because: `read ${flow.bucket} (SSE-KMS)` });
      if (flow.access === "read_write") needs.push({ action: "kms:GenerateDataKey", resource: key.arn, context: via, resourcePolicy: key.policy, isKmsKey: true, because: `write ${flow.bucket} (SSE-KMS)` });
    }
  }

  private tableFlow(p: ResolvedPrincipal, flow: Extract<Flow, { kind: "table" }>, needs: IamCheck[], tolerated: Grantable[]): void {
    const r = this.r;
    const a = this.model.accountId;
    const table = this.model.ofType("aws_dynamodb_table").find((t) => t.config.name === flow.table);
    if (!table) {
      this.add({ class: "existence", principal: p.name, what: `${flow.access} items`, resource: `table ${flow.table}`, missing: "no stack creates the table", fix: "add it to storage.tables" });
      return;
    }
    const arn = `arn:aws:dynamodb:${r}:${a}:table/${flow.table}`;
    const reads = ["dynamodb:GetItem", "dynamodb:Query"];
    const writes = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"];
    for (const action of [...reads, ...(flow.access === "read_write" ? writes : [])]) needs.push({ action, resource: arn, because: `${flow.access} ${flow.table}` });
    for (const action of ["dynamodb:BatchGetItem", "dynamodb:Scan", "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive", "dynamodb:ConditionCheckItem", ...(flow.access === "read_write" ? ["dynamodb:BatchWriteItem"] : [])]) {
      tolerated.push({ action, resource: arn }, { action, resource: `${arn}/index/stand-in` });
    }
    tolerated.push({ action: "dynamodb:Query", resource: `${arn}/index/stand-in` });
  }

  private queueFlow(p: ResolvedPrincipal, flow: Extract<Flow, { kind: "queue" }>, needs: IamCheck[], tolerated: Grantable[]): void {
    const queue = this.model.ofType("aws_sqs_queue").find((q) => q.config.name === flow.queue);
    if (!queue) {
      this.add({ class: "existence", principal: p.name, what: `${flow.access} messages`, resource: `queue ${flow.queue}`, missing: "no stack creates the queue", fix: "add it to storage.queues" });
      return;
    }
    const arn = `arn:aws:sqs:${this.r}:${this.model.accountId}:${flow.queue}`;
    const policy = this.policyOf("aws_sqs_queue_policy", (c) => c.queue_url === `https://sqs.${this.r}.amazonaws.com/${this.model.accountId}/${flow.queue}`);
    needs.push({ action: "sqs:SendMessage", resource: arn, resourcePolicy: policy, because: `send to ${flow.queue}` });
    if (flow.access === "consume") {
      for (const action of ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"]) needs.push({ action, resource: arn, resourcePolicy: policy, because: `consume ${flow.queue}` });
    }
    if (flow.listsQueues) needs.push({ action: "sqs:ListQueues", resource: "*", because: "list the queues when it connects" });
    for (const action of ["sqs:GetQueueUrl", "sqs:GetQueueAttributes"]) tolerated.push({ action, resource: arn });
    if (!flow.listsQueues) tolerated.push({ action: "sqs:ListQueues", resource: "*" });
  }

  private logsFlow(p: ResolvedPrincipal, flow: Extract<Flow, { kind: "logs" }>, needs: IamCheck[], tolerated: Grantable[]): void {
    const r = this.r;
    const a = this.model.accountId;
    if (flow.logGroup.endsWith("/*")) {
      // Groups the software creates under a prefix: a stand-in group under it.
      const arn = `arn:aws:logs:${r}:${a}:log-group:${flow.logGroup.slice(0, -1)}stand-in`;
      needs.push(
        { action: "logs:CreateLogGroup", resource: arn, because: `create log groups under ${flow.logGroup}` },
        { action: "logs:CreateLogStream", resource: `${arn}:log-stream:stand-in`, because: `create streams under ${flow.logGroup}` },
        { action: "logs:PutLogEvents", resource: `${arn}:log-stream:stand-in`, because: `write under ${flow.logGroup}` },
        { action: "logs:DeleteLogStream", resource: `${arn}:log-stream:stand-in`, because: `delete the streams it wrote under ${flow.logGroup}` },
      );
      for (const action of ["logs:PutRetentionPolicy", "logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents"]) tolerated.push({ action, resource: arn }, { action, resource: `${arn}:log-stream:stand-in` });
      return;
    }
    const group = this.model.ofType("aws_cloudwatch_log_group").find((g) => g.config.name === flow.logGroup);
    if (!group && !this.external("log-group", flow.logGroup)) {
      this.add({ class: "existence", principal: p.name, what: "write logs", resource: `log group ${flow.logGroup}`, missing: "no stack creates the log group", fix: "create it with its retention in the service's stack" });
      return;
    }
    const arn = `arn:aws:logs:${r}:${a}:log-group:${flow.logGroup}`;
    needs.push({ action: "logs:CreateLogStream", resource: `${arn}:log-stream:stand-in`, because: `create streams in ${flow.logGroup}` }, { action: "logs:PutLogEvents", resource: `${arn}:log-stream:stand-in`, because: `write ${flow.logGroup}` });
    tolerated.push({ action: "logs:DescribeLogStreams", resource: arn }, { action: "logs:DescribeLogStreams", resource: `${arn}:*` }, { action: "logs:CreateLogStream", resource: arn }, { action: "logs:PutLogEvents", resource: arn });
  }

  private metricsFlow(flow: Extract<Flow, { kind: "metrics" }>, needs: IamCheck[]): void {
    needs.push({ action: "cloudwatch:PutMetricData", resource: "*", context: { "cloudwatch:namespace": flow.namespace }, because: `publish metrics in ${flow.namespace}` });
    if (flow.readsBack) needs.push({ action: "cloudwatch:GetMetricStatistics", resource: "*", because: `read its metrics in ${flow.namespace} back` });
  }

  private describeFlow(flow: Extract<Flow, { kind: "describe" }>, needs: IamCheck[]): void {
    for (const action of flow.actions) needs.push({ action, resource: "*", because: flow.why ?? `call ${action}` });
  }

  private databaseFlow(p: ResolvedPrincipal, pc: PrincipalContract, flow: Extract<Flow, { kind: "database" }>, needs: IamCheck[]): void {
    const r = this.r;
    const a = this.model.accountId;
    const db = this.model.ofType("aws_db_instance")[0];
    if (!db) {
      this.add({ class: "existence", principal: p.name, what: "connect", resource: "the database", missing: "no stack creates a database", fix: "configure rds" });
      return;
    }
    const port = Number(db.config.port);
    const group = this.model.ofType("aws_db_subnet_group").find((g) => g.config.name === db.config.db_subnet_group_name);
    this.path(p, { securityGroups: (db.config.vpc_security_group_ids as string[]) ?? [], subnets: (group?.config.subnet_ids as string[]) ?? [] }, port, "the database");
    if (flow.auth.kind === "password") {
      const readsMaster = pc.flows.some((f) => f.kind === "secret-read" && "databaseMaster" in f.secret);
      if (db.config.manage_master_user_password !== true) this.add({ class: "auth", principal: p.name, what: `connect :${port}`, resource: "the database", missing: "the database has no password kept by RDS in Secrets Manager", fix: "set manage_master_user_password" });
      if (!readsMaster) this.add({ class: "auth", principal: p.name, what: `connect :${port}`, resource: "the database", missing: "the contract authenticates with the master password but never reads the master secret", fix: "add a secret-read of { databaseMaster: true } to the contract" });
    } else {
      if (db.config.iam_database_authentication_enabled !== true) this.add({ class: "auth", principal: p.name, what: `connect :${port}`, resource: "the database", missing: "IAM database authentication is off", fix: "set rds.iamAuthentication" });
      needs.push({ action: "rds-db:connect", resource: `arn:aws:rds-db:${r}:${a}:dbuser:db-${String(db.config.identifier).toUpperCase()}/${flow.auth.user}`, because: `connect to the database as ${flow.auth.user}` });
    }
  }

  private cacheFlow(p: ResolvedPrincipal, pc: PrincipalContract, flow: Extract<Flow, { kind: "cache" }>, needs: IamCheck[]): void {
    const r = this.r;
    const a = this.model.accountId;
    const rg = this.model.ofType("aws_elasticache_replication_group")[0];
    if (!rg) {
      this.add({ class: "existence", principal: p.name, what: "connect :6379", resource: `the cache${flow.why ? ` (${flow.why})` : ""}`, missing: "no stack creates the cache", fix: "configure redis for the system" });
      return;
    }
    const port = Number(rg.config.port ?? 6379);
    const group = this.model.ofType("aws_elasticache_subnet_group").find((g) => g.config.name === rg.config.subnet_group_name);
    this.path(p, { securityGroups: (rg.config.security_group_ids as string[]) ?? [], subnets: (group?.config.subnet_ids as string[]) ?? [] }, port, "the cache");
    const user = this.model.ofType("aws_elasticache_user").find((u) => u.path.at(-1) === `user_${flow.user}`);
    if (!user) {
      this.add({ class: "existence", principal: p.name, what: `connect :${port}`, resource: `cache user ${flow.user}`, missing: "the cache has no such user", fix: `add redis.users.${flow.user}` });
      return;
    }
    const mode = String((user.config.authentication_mode as Json | undefined)?.type ?? "");
    if (mode !== flow.auth) this.add({ class: "auth", principal: p.name, what: `AUTH as ${user.config.user_name}`, resource: "the cache", missing: `the user authenticates with ${mode || "nothing"}, the app with ${flow.auth}`, fix: "align the contract with the cache user's authentication mode" });
    const groups = this.model.ofType("aws_elasticache_user_group").filter((g) => ((g.config.user_ids as string[]) ?? []).includes(String(user.config.user_id)));
    if (!groups.some((g) => ((rg.config.user_group_ids as string[]) ?? []).includes(String(g.config.user_group_id)))) {
      this.add({ class: "auth", principal: p.name, what: `AUTH as ${user.config.user_name}`, resource: "the cache", missing: "the user is in no user group of the replication group", fix: "add the user to the cache's user group" });
    }
    const tls = rg.config.transit_encryption_enabled === true || rg.config.transit_encryption_enabled === "true";
    if (flow.auth === "password" && mode === "password") {
      if (!tls) this.add({ class: "auth", principal: p.name, what: "password AUTH", resource: "the cache", missing: "without in-transit encryption the password crosses the network in clear text", fix: "enable transit encryption" });
      this.passwordReachesApp(p, pc, user);
    }
    if (flow.auth === "iam") {
      if (!tls) this.add({ class: "auth", principal: p.name, what: "IAM AUTH", resource: "the cache", missing: "IAM authentication needs in-transit encryption", fix: "enable transit encryption" });
      for (const resource of [`arn:aws:elasticache:${r}:${a}:replicationgroup:${rg.config.replication_group_id}`, `arn:aws:elasticache:${r}:${a}:user:${user.config.user_id}`]) {
        needs.push({ action: "elasticache:Connect", resource, because: `authenticate to the cache as ${user.config.user_name}` });
      }
    }
  }

  /**
   * A password user's password must reach the app: some secret's value (written by a stack)
   * holds it, in a TLS (`rediss://`) URL; the contract reads that secret, and an instance's boot
   * script reads it into the app's environment.
   */
  private passwordReachesApp(p: ResolvedPrincipal, pc: PrincipalContract, user: ModelResource): void {
    const userName = String(user.config.user_name);
    const passwords = ((user.config.authentication_mode as Json | undefined)?.passwords as unknown[] | undefined) ?? [];
    const password = passwords.find((x): x is string => typeof x === "string" && !x.startsWith("<unresolved"));
    if (!password) {
      this.add({ class: "auth", principal: p.name, what: `AUTH as ${userName}`, resource: "the cache", missing: "the password user has no password Terraform knows, so none can be handed to the app", fix: "let the cache construct generate it (redis.users.<user>.authentication: \"password\" with urlSecret)" });
      return;
    }
    const secrets = this.model.ofType("aws_secretsmanager_secret");
    const carriers = this.model
      .ofType("aws_secretsmanager_secret_version")
      .map((v) => ({ value: String(v.config.secret_string_wo ?? v.config.secret_string ?? ""), secret: secrets.find((x) => `arn:aws:secretsmanager:${this.r}:${this.model.accountId}:secret:${x.config.name}-AbCdEf` === v.config.secret_id) }))
      .filter((v) => v.value.includes(password));
    if (!carriers.length) {
      this.add({ class: "auth", principal: p.name, what: `AUTH as ${userName}`, resource: "the cache", missing: "no secret value written by a stack holds the user's password, so the app can't learn it", fix: "set redis.users.<user>.urlSecret to a secret of secrets.entries the app reads" });
      return;
    }
    const schemes = (value: string) => [...value.matchAll(/([A-Za-z][A-Za-z0-9+.-]*):\/\//g)].map((m) => m[1]);
    for (const c of carriers.filter((x) => !schemes(x.value).length || schemes(x.value).some((scheme) => scheme !== "rediss"))) {
      this.add({ class: "auth", principal: p.name, what: `AUTH as ${userName}`, resource: `secret ${c.secret?.config.name ?? "(unknown)"}`, missing: "the URL holding the password is not rediss:// (TLS)", fix: "write a rediss:// URL" });
    }
    const names = carriers.map((c) => c.secret?.config.name).filter((n): n is string => typeof n === "string");
    const label = names.join(" or ") || "the secret holding the password";
    if (!pc.flows.some((f) => f.kind === "secret-read" && "name" in f.secret && names.includes(f.secret.name))) {
      this.add({ class: "auth", principal: p.name, what: `AUTH as ${userName}`, resource: `secret ${label}`, missing: "the user's password is in this secret, but the contract never reads it", fix: `add a secret-read of ${label} to the principal's flows, and the secret to the app's secrets` });
    }
    if (pc.principal.kind === "instance" && !p.bootScripts.some((script) => names.some((n) => script.includes(`--secret-id '${n}'`)))) {
      this.add({ class: "auth", principal: p.name, what: `AUTH as ${userName}`, resource: `secret ${label}`, missing: "the user's password is in this secret, but the boot script never reads it into the app's environment", fix: `add ${label} to compute.services.${pc.principal.service}.app.secrets` });
    }
  }

  private path(p: ResolvedPrincipal, target: Endpoint, port: number, label: string): void {
    for (const m of missingPath(this.model, p.network, target, port)) {
      this.add({ class: "network", principal: p.name, what: `TCP ${port}`, resource: label, missing: m, fix: `${label === "the database" ? "rds" : "redis"}.connections.allowFrom(<the principal's security group>, ${port}) writes both rules` });
    }
  }

  private policyOf(type: string, match: (c: Json) => boolean): PolicyDocument | undefined {
    const r = this.model.ofType(type).find((x) => match(x.config));
    return r ? (JSON.parse(String(r.config.policy)) as PolicyDocument) : undefined;
  }

  private kmsKey(ref: string): { arn: string; policy?: PolicyDocument } | undefined {
    const key = this.model.ofType("aws_kms_key").find((k) => `arn:aws:kms:${this.r}:${this.model.accountId}:key/${k.stack}-${k.name}` === ref || `${k.stack}-${k.name}` === ref);
    if (!key) return undefined;
    const arn = `arn:aws:kms:${this.r}:${this.model.accountId}:key/${key.stack}-${key.name}`;
    const inline = key.config.policy;
    const separate = this.model.ofType("aws_kms_key_policy").find((p) => p.config.key_id === arn || p.config.key_id === `${key.stack}-${key.name}`);
    const text = inline ?? separate?.config.policy;
    return { arn, policy: typeof text === "string" ? (JSON.parse(text) as PolicyDocument) : undefined };
  }

  private secret(principal: string, ref: SecretRef): { arn: string; name: string; key?: { arn: string; policy?: PolicyDocument }; policy?: PolicyDocument; rotating: boolean } | undefined {
    if ("databaseMaster" in ref) {
      const db = this.model.ofType("aws_db_instance").find((d) => d.config.manage_master_user_password === true);
      if (!db) {
        this.add({ class: "existence", principal, what: "read", resource: "the database's master secret", missing: "no database keeps its master password in Secrets Manager", fix: "configure rds (manage_master_user_password)" });
        return undefined;
      }
      const kmsRef = db.config.master_user_secret_kms_key_id;
      const name = `rds!db-${db.config.identifier}`;
      return { arn: `arn:aws:secretsmanager:${this.r}:${this.model.accountId}:secret:${name}-AbCdEf`, name, key: typeof kmsRef === "string" ? this.kmsKey(kmsRef) : undefined, rotating: true };
    }
    const s = this.model.ofType("aws_secretsmanager_secret").find((x) => x.config.name === ref.name);
    if (!s) {
      if (this.external("secret", ref.name)) return { arn: `arn:aws:secretsmanager:${this.r}:${this.model.accountId}:secret:${ref.name}-AbCdEf`, name: ref.name, rotating: false };
      this.add({ class: "existence", principal, what: "read or write", resource: `secret ${ref.name}`, missing: "no stack creates the secret and the contract does not declare it external", fix: "add it to secrets.entries" });
      return undefined;
    }
    const arn = `arn:aws:secretsmanager:${this.r}:${this.model.accountId}:secret:${ref.name}-AbCdEf`;
    const kmsRef = s.config.kms_key_id;
    const rotating = this.model.ofType("aws_secretsmanager_secret_rotation").some((x) => x.config.secret_id === arn);
    return { arn, name: ref.name, key: typeof kmsRef === "string" ? this.kmsKey(kmsRef) : undefined, policy: this.policyOf("aws_secretsmanager_secret_policy", (c) => c.secret_arn === arn), rotating };
  }

  /** A rotating secret must be re-read: the app gets its ARN in the contract's variable. */
  private refresh(p: ResolvedPrincipal, ref: SecretRef, secret: { arn: string; name: string; rotating: boolean }, refresh: Refresh, needs: IamCheck[]): void {
    if (secret.rotating && refresh.kind === "at-boot") {
      this.add({ class: "stale-credential", principal: p.name, what: "read once at boot", resource: secretRefName(ref), missing: "the secret rotates (RDS rotates a managed master password every 7 days), so a value read once goes stale", fix: "declare refresh: onRotation(\"<ENV>\") and give the app the secret's ARN so it re-reads it" });
      return;
    }
    if (refresh.kind === "restart-on-rotation") {
      const name = refresh.parameter;
      const parameter = this.model.ofType("aws_ssm_parameter").find((x) => x.config.name === name);
      if (!parameter) {
        this.add({ class: "existence", principal: p.name, what: "find the secret through", resource: `SSM parameter ${name}`, missing: "no stack creates the parameter", fix: "publish the secret's ARN in the parameter from the stack that creates the secret" });
        return;
      }
      if (!String(parameter.config.value).includes(secret.arn)) {
        this.add({ class: "existence", principal: p.name, what: "find the secret through", resource: `SSM parameter ${name}`, missing: `its value does not hold the ARN of ${secretRefName(ref)}`, fix: "put the secret's ARN in the parameter's value" });
      }
      needs.push({ action: "ssm:GetParameter", resource: `arn:aws:ssm:${this.r}:${this.model.accountId}:parameter/${name.replace(/^\//, "")}`, because: `find ${secretRefName(ref)} through ${name}` });
      const script = p.bootScripts.find((s) => s.includes(`--name '${name}'`) && s.includes("AWSCURRENT") && /systemctl enable --now \S+\.timer/.test(s));
      if (!script) {
        this.add({ class: "stale-credential", principal: p.name, what: "restart on rotation", resource: secretRefName(ref), missing: `the boot script does not read ${name}, compare the secret's AWSCURRENT version and enable a timer that restarts the app`, fix: "read the secret's current version at each start, and restart the app from a systemd timer when AWSCURRENT moves" });
      }
      return;
    }
    if (refresh.kind !== "on-rotation") return;
    const env = refresh.env;
    const inScript = p.bootScripts.some((s) => s.split("\n").some((line) => line.includes(env) && (line.includes(secret.arn) || line.includes(secret.name))));
    const inPod = p.containers.some((c) => ((c.env as Json[]) ?? []).some((e) => e.name === env && (e.value === secret.arn || e.value === secret.name)));
    if (!inScript && !inPod) {
      this.add({ class: "stale-credential", principal: p.name, what: `re-read on rotation via ${env}`, resource: secretRefName(ref), missing: `neither its boot script nor its pod spec gives the app ${env} with the secret's ARN; a value copied once goes stale at the next rotation`, fix: `pass ${env}=<secret ARN> to the app (compute: app.environment; workloads: env) and let it read the secret when it connects` });
    }
  }

  // ---- load balancers: clients reach each listener, the load balancer reaches its targets ----

  /**
   * For each TCP listener of a load balancer with security groups that forwards to target
   * groups (by its default action, weighted or not, or by its rules): some ingress rule of the
   * load balancer's groups admits the listener port (whichever clients the configuration names:
   * CIDRs, a prefix list such as CloudFront's, a group), and the network ACLs of its subnets let
   * it in; every instance target group it forwards to has a group of instances registered
   * (`target_group_arns`, or an `aws_autoscaling_attachment`); and the load balancer reaches them
   * on the target port, and on the health check's port where that is another. A load balancer
   * without security groups (an NLB created without) is left alone, and so are `ip` and `lambda`
   * target groups, which the stacks register nothing in (the EKS load balancer controller does).
   */
  private loadBalancerPaths(): void {
    const m = this.model;
    for (const listener of m.ofType("aws_lb_listener")) {
      const lb = m.ofType("aws_lb").find((l) => String(listener.config.load_balancer_arn).includes(`/${String(l.config.name)}/`));
      const lbGroups = (lb?.config.security_groups as string[] | undefined) ?? [];
      if (!lb || lbGroups.length === 0 || !["TCP", "TLS", "HTTP", "HTTPS"].includes(String(listener.config.protocol ?? "HTTP"))) continue;
      const who = `load balancer ${String(lb.config.name)}`;
      const port = Number(listener.config.port);
      const from: Endpoint = { securityGroups: lbGroups, subnets: (lb.config.subnets as string[] | undefined) ?? [] };
      const targetGroups = this.targetGroupsOf(listener);
      // A listener that only redirects (HTTP to HTTPS) serves nobody where its port stays closed.
      if (targetGroups.length > 0) {
        for (const missing of missingListenerPath(m, from, port)) {
          this.add({ class: "network", principal: "clients", what: `TCP ${port}`, resource: `${who} (${listener.address})`, missing, fix: "admit the clients on the listener port in the load balancer's security group (compute.loadBalancer.ingressCidrs), and in its subnets' network ACLs" });
        }
      }
      for (const tg of targetGroups.filter((t) => (t.config.target_type ?? "instance") === "instance")) {
        const where = `target group ${String(tg.config.name)}`;
        const groups = this.groupsRegisteredIn(tg);
        if (groups.length === 0) this.add({ class: "existence", principal: who, what: `forward to ${where}`, resource: where, missing: "no auto scaling group registers instances in it", fix: "register the service's group in the target group (target_group_arns)" });
        const tgPort = Number(tg.config.port);
        const healthPort = String((tg.config.health_check as Json | undefined)?.port ?? "traffic-port");
        const ports = healthPort === "traffic-port" || Number(healthPort) === tgPort ? [{ port: tgPort, what: "traffic and health checks" }] : [{ port: tgPort, what: "traffic" }, { port: Number(healthPort), what: "health checks" }];
        for (const group of groups) {
          for (const { port: p, what } of ports) {
            for (const missing of missingPath(m, from, this.instancesOf(group), p)) {
              this.add({ class: "network", principal: who, what: `TCP ${p} (${what})`, resource: `${where}, group ${String(group.config.name)}`, missing, fix: "open the instances' security group to the load balancer's on that port (AppService: group.allowFrom(<the load balancer>, port)), and the load balancer's egress to it" });
            }
          }
        }
      }
    }
  }

  /** The target groups a listener forwards to, by its default action and its rules. */
  private targetGroupsOf(listener: ModelResource): ModelResource[] {
    const listenerArn = this.model.resolveValue(listener.stack, `\${aws_lb_listener.${listener.name}.arn}`);
    const actions = [
      ...((listener.config.default_action as Json[] | undefined) ?? []),
      ...this.model.ofType("aws_lb_listener_rule").filter((r) => r.config.listener_arn === listenerArn).flatMap((r) => (r.config.action as Json[] | undefined) ?? []),
    ];
    const arns = actions.flatMap((a) => [
      ...(a.target_group_arn ? [String(a.target_group_arn)] : []),
      ...(((a.forward as Json | undefined)?.target_group as Json[] | undefined) ?? []).map((t) => String(t.arn)),
    ]);
    return this.model.ofType("aws_lb_target_group").filter((tg) => arns.some((arn) => isArnOf(tg, arn)));
  }

  /** The auto scaling groups registered in a target group: by their `target_group_arns`, or by an `aws_autoscaling_attachment`. */
  private groupsRegisteredIn(tg: ModelResource): ModelResource[] {
    const isTg = (arn: unknown) => isArnOf(tg, arn);
    const attached = this.model.ofType("aws_autoscaling_attachment").filter((a) => isTg(a.config.lb_target_group_arn)).map((a) => String(a.config.autoscaling_group_name));
    return this.model.ofType("aws_autoscaling_group").filter((g) => ((g.config.target_group_arns as string[] | undefined) ?? []).some(isTg) || attached.includes(String(g.config.name)));
  }

  /** Where an auto scaling group's instances are: its launch template's security groups, its subnets. */
  private instancesOf(group: ModelResource): Endpoint {
    const spec = group.config.launch_template as Json | undefined;
    const mixed = ((group.config.mixed_instances_policy as Json | undefined)?.launch_template as Json | undefined)?.launch_template_specification as Json | undefined;
    const id = String(spec?.id ?? mixed?.launch_template_id);
    const lt = this.model.ofType("aws_launch_template").find((r) => ltId(r) === id);
    return { securityGroups: lt ? launchTemplateGroups(lt) : [], subnets: (group.config.vpc_zone_identifier as string[] | undefined) ?? [] };
  }

  // ---- existence of everything the stacks name ----

  private existence(): void {
    this.bootScriptReferencesExist();
    this.podReferencesExist();
    this.metricFiltersRead();
    this.alarmsSeeData();
    this.certificatesExist();
    this.eventRulesFire();
  }

  /** Names that exist: what the stacks create, with what the contract declares external (`externalKind`). */
  private existing(type: string, name: (config: Json) => unknown, externalKind?: string): Set<string> {
    return new Set([
      ...this.model.ofType(type).map((r) => String(name(r.config))),
      ...(externalKind ? (this.contract.external ?? []).filter((e) => e.kind === externalKind).map((e) => e.name) : []),
    ]);
  }

  private missing(principal: string, what: string, resource: string, fix: string): void {
    this.add({ class: "existence", principal, what, resource, missing: "nothing creates it and the contract does not declare it external", fix });
  }

  /** What each launch template's boot script reads (secrets), pulls (repositories) and logs to (log groups). */
  private bootScriptReferencesExist(): void {
    const secretNames = this.existing("aws_secretsmanager_secret", (c) => c.name, "secret");
    const repos = this.existing("aws_ecr_repository", (c) => c.name, "repository");
    const logGroups = this.existing("aws_cloudwatch_log_group", (c) => c.name);
    for (const lt of this.model.ofType("aws_launch_template")) {
      if (typeof lt.config.user_data !== "string") continue;
      const script = Buffer.from(lt.config.user_data, "base64").toString("utf8");
      const who = `instance ${lt.path[0]}`;
      for (const [, id] of script.matchAll(/--secret-id '([^']+)'/g)) if (!secretNames.has(id) && !id.startsWith("arn:")) this.missing(who, "boot script reads secret", id, "add the secret to secrets.entries");
      for (const [, repo] of script.matchAll(/"\$REGISTRY\/"'([^']+)'/g)) if (!repos.has(repo)) this.missing(who, "boot script pulls image", repo, "add the repository to registry.repositories");
      for (const [, group] of script.matchAll(/(?:LOG_GROUP='|"log_group_name": ")([^'"]+)/g)) if (!logGroups.has(group)) this.missing(who, "boot script logs to", group, "create the log group in the service's stack");
    }
  }

  /** What each Deployment's containers pull (ECR repositories) and read (Kubernetes Secrets). */
  private podReferencesExist(): void {
    const repos = this.existing("aws_ecr_repository", (c) => c.name, "repository");
    const k8sSecrets = this.existing("kubernetes_secret_v1", (c) => (c.metadata as Json).name, "kubernetes-secret");
    for (const d of this.model.ofType("kubernetes_deployment_v1")) {
      const spec = ((d.config.spec as Json).template as Json).spec as Json;
      const who = `pod ${d.path.at(-2)}`;
      for (const c of (spec.container as Json[]) ?? []) {
        const image = String(c.image);
        const repo = /\.dkr\.ecr\.[^/]+\.amazonaws\.com\/([^:@]+)/.exec(image)?.[1];
        if (repo && !repos.has(repo)) this.missing(who, "pulls image", repo, "add the repository to registry.repositories");
        for (const e of (c.env as Json[]) ?? []) {
          const ref = ((e.value_from as Json | undefined)?.secret_key_ref as Json | undefined)?.name;
          if (ref && !k8sSecrets.has(String(ref))) this.missing(who, `reads env ${e.name} from Kubernetes Secret`, String(ref), "create the Secret in the workloads stack, or declare it external with who creates it");
        }
      }
    }
  }

  /** Each metric filter reads a log group that exists, and one on Secrets Manager calls counts only the system's secrets. */
  private metricFiltersRead(): void {
    const logGroups = this.existing("aws_cloudwatch_log_group", (c) => c.name);
    for (const f of this.model.ofType("aws_cloudwatch_log_metric_filter")) {
      if (!logGroups.has(String(f.config.log_group_name))) this.missing("system", "metric filter reads", String(f.config.log_group_name), "create the log group");
      const pattern = String(f.config.pattern);
      if (/secretsmanager\.amazonaws\.com/.test(pattern) && !/requestParameters\.secretId/.test(pattern)) {
        this.add({ class: "existence", principal: "system", what: `metric filter ${f.config.name}`, resource: "the system's secrets", missing: "the pattern counts every Secrets Manager call in the account, not only the system's secrets", fix: "add ($.requestParameters.secretId = \"<prefix>*\") to the pattern" });
      }
    }
  }

  /** Each alarm watches a metric something publishes: an AWS namespace of a resource the system has, a metric filter's, or a contract's metrics flow. */
  private alarmsSeeData(): void {
    const m = this.model;
    const published = new Set([
      ...m.ofType("aws_cloudwatch_log_metric_filter").map((f) => { const t = ([f.config.metric_transformation].flat()[0] ?? {}) as Json; return `${t.namespace}/${t.name}`; }),
    ]);
    const flowsMetrics = this.contract.principals.flatMap((p) => p.flows).filter((f): f is Extract<Flow, { kind: "metrics" }> => f.kind === "metrics");
    const has = (type: string) => m.ofType(type).length > 0;
    const awsNamespaces: Record<string, () => boolean> = {
      "AWS/EC2": () => has("aws_autoscaling_group") || has("aws_instance"),
      "AWS/AutoScaling": () => has("aws_autoscaling_group"),
      "AWS/ApplicationELB": () => has("aws_lb"),
      "AWS/NetworkELB": () => has("aws_lb"),
      "AWS/RDS": () => has("aws_db_instance"),
      "AWS/ElastiCache": () => has("aws_elasticache_replication_group"),
      "AWS/Route53": () => has("aws_route53_health_check"),
      "AWS/CertificateManager": () => has("aws_acm_certificate"),
      "AWS/CloudFront": () => has("aws_cloudfront_distribution"),
    };
    const asgNames = this.existing("aws_autoscaling_group", (c) => c.name);
    for (const alarm of m.ofType("aws_cloudwatch_metric_alarm")) {
      const ns = alarm.config.namespace as string | undefined;
      const metric = alarm.config.metric_name as string | undefined;
      if (!ns || !metric) continue;
      const name = String(alarm.config.alarm_name);
      if (ns.startsWith("AWS/")) {
        const check = awsNamespaces[ns];
        if (check && !check()) this.add({ class: "existence", principal: "system", what: `alarm ${name}`, resource: `${ns} ${metric}`, missing: `no resource of the system publishes ${ns} metrics`, fix: "alarm on a metric the system's resources publish" });
        const asg = (alarm.config.dimensions as Json | undefined)?.AutoScalingGroupName;
        if (asg !== undefined && !asgNames.has(String(asg))) this.add({ class: "existence", principal: "system", what: `alarm ${name}`, resource: `AutoScalingGroupName ${asg}`, missing: "no such auto scaling group", fix: "point the dimension at the group" });
        continue;
      }
      const byFlow = flowsMetrics.some((f) => f.namespace === ns && (!f.metrics || f.metrics.includes(metric)));
      if (!published.has(`${ns}/${metric}`) && !byFlow) {
        this.add({ class: "existence", principal: "system", what: `alarm ${name}`, resource: `${ns} ${metric}`, missing: "no metric filter and no contract metrics flow publishes this metric, so the alarm never sees data", fix: "publish the metric (a metric filter, or a principal's metrics flow) or alarm on one that is published" });
      }
    }
  }

  /** Each certificate a listener or distribution uses is one of the stacks', or a real ARN given by the user (not a placeholder). */
  private certificatesExist(): void {
    const m = this.model;
    const certificates = new Set([
      ...m.ofType("aws_acm_certificate").map((c) => `arn:aws:acm:${c.config.provider === "aws.us_east_1" ? "us-east-1" : this.r}:${this.model.accountId}:certificate/${c.stack}-${c.name}`),
      ...(this.contract.external ?? []).filter((e) => e.kind === "certificate").map((e) => e.name),
    ]);
    const certificateUses = [
      ...m.ofType("aws_lb_listener").map((l) => ({ who: `listener ${l.address}`, arn: l.config.certificate_arn })),
      ...m.ofType("aws_lb_listener_certificate").map((l) => ({ who: `listener certificate ${l.address}`, arn: l.config.certificate_arn })),
      ...m.ofType("aws_cloudfront_distribution").map((d) => ({ who: `distribution ${d.address}`, arn: (d.config.viewer_certificate as Json | undefined)?.acm_certificate_arn })),
    ].filter((u): u is { who: string; arn: string } => typeof u.arn === "string");
    for (const use of certificateUses) {
      // An ARN that is not one of the stacks' certificates is the user's input
      // (compute.loadBalancer.tls.certificateArn): it exists outside the stacks, unless it is
      // a placeholder. (A reference to a certificate no stack creates would not even validate.)
      const literal = !certificates.has(use.arn);
      if (literal && isPlaceholderCertificate(use.arn)) {
        this.add({ class: "existence", principal: "system", what: use.who, resource: `certificate ${use.arn}`, missing: literal ? "a placeholder ARN: no such certificate exists, and the HTTPS listener fails at apply" : "no stack creates the certificate", fix: "set compute.loadBalancer.tls.certificateArn to your certificate, or issue one with DNS validation in your zone" });
      }
    }
  }

  /** An event rule on ACM events has ACM certificates to watch. */
  private eventRulesFire(): void {
    const m = this.model;
    const has = (type: string) => m.ofType(type).length > 0;
    for (const rule of m.ofType("aws_cloudwatch_event_rule")) {
      const pattern = typeof rule.config.event_pattern === "string" ? (JSON.parse(rule.config.event_pattern) as Json) : undefined;
      const sources = (pattern?.source as string[] | undefined) ?? [];
      if (sources.includes("aws.acm") && !has("aws_acm_certificate")) {
        this.add({ class: "existence", principal: "system", what: `event rule ${rule.config.name}`, resource: "ACM certificates", missing: "the rule watches ACM, but the system has no ACM certificate: its certificates live elsewhere, so the rule never fires", fix: "watch the certificates where they live (a metric the principal holding them publishes, with an alarm)" });
      }
    }
  }
}

function needsIam(f: Flow): boolean {
  return f.kind !== "database" || f.auth.kind === "iam";
}

/** The VPC endpoint service name of an IAM service prefix. */
function endpointService(prefix: string): string {
  return ({ "rds-db": "rds", cloudwatch: "monitoring", elasticache: "elasticache" } as Record<string, string>)[prefix] ?? prefix;
}

function fixFor(check: IamCheck): string {
  if (check.isKmsKey) return `grant ${check.action} on the key to the principal (key.grantEncryptDecrypt(role)), with kms:ViaService for the calling service; and let the key policy allow it (the account root, or the role)`;
  if (check.resourcePolicy) return `grant ${check.action} on ${check.resource} (grantRead/grantWrite) and let the resource policy allow the principal`;
  return `grant ${check.action} on ${check.resource} to the principal's role`;
}
