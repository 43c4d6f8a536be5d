import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { hasEdgeStack } from "../config/edge-config";
import { ApplicationLoadBalancer } from "../constructs/alb/application-load-balancer";
import { AppService } from "../constructs/asg/app-service";
import { kmsDecryptVia } from "../lib/grants";
import { AuditStack } from "../stacks/audit-stack";
import { StackContext } from "../stacks/aws-stack";
import { ComputeStack, computeStacks } from "../stacks/compute-stack";
import { AppPeer, DataStack } from "../stacks/data-stack";
import { EdgeStack } from "../stacks/edge-stack";
import { EksStack } from "../stacks/eks-stack";
import { NetworkStack } from "../stacks/network-stack";
import { StorageStack } from "../stacks/storage-stack";
import { WorkloadsStack } from "../stacks/workloads-stack";

/** What the application tier hands the data tier: who may connect, and which roles to grant. */
export interface AppTier {
  readonly peers: readonly AppPeer[];
  readonly roleNames: readonly string[];
}

/**
 * A system's stacks, built from its configuration in dependency order:
 * network -> storage -> (services) -> compute -> edge -> eks -> data -> audit -> workloads.
 * A layer exists only when the configuration asks for it: `storage` for buckets, tables,
 * repositories or secrets; `compute` for services; `edge` for a distribution, load-balancer
 * records or a hosted zone to create (`edge`); `eks` and `workloads` for `eks` and
 * `workloads`; `data` for `rds` or `redis`; `audit` for `audit`.
 *
 * The data tier admits the compute tier's security groups and the EKS nodes on the
 * database and Redis ports, and grants the compute tier's instance roles the database
 * secret, plus any `extra` clients a caller adds.
 */
export function composeSystem(scope: Construct, context: StackContext, extra: Partial<AppTier> = {}): {
  network: NetworkStack;
  stacks: TerraformStack[];
} {
  const { config } = context;
  const network = new NetworkStack(scope, context);
  const stacks: TerraformStack[] = [network];

  const hasStorage =
    Object.keys(config.storage.buckets).length > 0 ||
    Object.keys(config.storage.tables).length > 0 ||
    Object.keys(config.registry.repositories).length > 0 ||
    config.secrets !== undefined;
  const storage = hasStorage ? new StorageStack(scope, context) : undefined;
  if (storage) stacks.push(storage);

  const compute = computeStacks(scope, context, network.network);
  stacks.push(...compute);
  // The storage key encrypts the system's secrets: its services may decrypt through Secrets Manager.
  const storageKey = storage?.key;
  if (storageKey) {
    for (const service of services(compute)) {
      service[1].role.addToPolicy(...kmsDecryptVia("DecryptStorageSecrets", [storageKey.arn], `secretsmanager.${config.region}.amazonaws.com`));
    }
  }
  if (hasEdgeStack(config.edge)) {
    // The edge reads the ALB (DNS name, zone id) wherever it lives: compute or services stack.
    const lb = compute.find((s): s is ComputeStack => s instanceof ComputeStack)?.loadBalancer;
    stacks.push(new EdgeStack(scope, context, { loadBalancer: lb instanceof ApplicationLoadBalancer ? lb : undefined }));
  }
  const eks = config.eks ? new EksStack(scope, context, network.network) : undefined;
  if (eks) stacks.push(eks);
  const app = appTierOf(compute, {
    peers: [...(eks ? [{ name: "eks_nodes", securityGroupId: eks.eks.nodeSecurityGroup.id }] : []), ...(extra.peers ?? [])],
    roleNames: extra.roleNames,
  });

  if (config.rds || config.redis) {
    stacks.push(new DataStack(scope, context, { network: network.network, appPeers: app.peers, appRoleNames: app.roleNames }));
  }
  if (config.audit) stacks.push(new AuditStack(scope, context));
  if (eks && config.workloads) {
    stacks.push(new WorkloadsStack(scope, context, eks.eks, { webAclArn: eks.ingressWebAcl?.arn, accessLogBucket: eks.ingressAccessLogs?.name }));
  }
  return { network, stacks };
}

/** The compute tier's services as data-tier clients: their security groups and instance roles. */
function appTierOf(compute: readonly TerraformStack[], extra: Partial<AppTier>): AppTier {
  return {
    // Named by service, so the data tier's rules read `..._ingress_3306_from_api`.
    peers: [...services(compute).map(([name, s]) => ({ name, securityGroupId: s.securityGroup.id })), ...(extra.peers ?? [])],
    roleNames: [...services(compute).map(([, s]) => s.role.roleName), ...(extra.roleNames ?? [])],
  };
}

/** The compute tier's services, by name. */
function services(compute: readonly TerraformStack[]): [string, AppService][] {
  return compute.filter((s): s is ComputeStack => s instanceof ComputeStack).flatMap((s) => Object.entries(s.services));
}
