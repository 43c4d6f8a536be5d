import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { hasEdgeStack } from "../constructs/edge/settings";
import { ApplicationLoadBalancer } from "../constructs/alb/application-load-balancer";
import { AppService } from "../constructs/asg/app-service";
import { StackContext } from "../stacks/aws-stack";
import { ComputeStack, computeStacks } from "../stacks/compute-stack";
import { AppPeer, DataClient, DataStack } from "../stacks/data-stack";
import { EdgeStack } from "../stacks/edge-stack";
import { EksStack } from "../stacks/eks-stack";
import { moduleStacks } from "../stacks/module-stack";
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

  const storage = StorageStack.isNeeded(config) ? new StorageStack(scope, context) : undefined;
  if (storage) stacks.push(storage);

  // The services' grants name storage resources; each is granted through the resource itself.
  const compute = computeStacks(scope, context, network.network, storage?.resources);
  stacks.push(...compute);
  if (hasEdgeStack(config.edge)) {
    // The edge reads the ALB (DNS name, zone id) wherever it lives: compute or services stack.
    const lb = compute.find((s): s is ComputeStack => s instanceof ComputeStack)?.loadBalancer;
    stacks.push(new EdgeStack(scope, context, { loadBalancer: lb instanceof ApplicationLoadBalancer ? lb : undefined }));
  }
  const eks = config.eks ? new EksStack(scope, context, network.network, storage?.buckets) : undefined;
  if (eks) stacks.push(eks);
  const app = appTierOf(compute, {
    peers: [...(eks ? [{ name: "eks_nodes", securityGroupId: eks.eks.nodeSecurityGroup.id }] : []), ...(extra.peers ?? [])],
    roleNames: extra.roleNames,
  });

  // The pods' roles use what their app's `aws` settings ask for.
  const podClients = Object.entries(eks?.podRoles ?? {}).map(([name, role]) => {
    const aws = config.workloads!.apps[name].aws!;
    return { roleName: role.roleName, database: aws.database, redis: aws.redis };
  });
  const data =
    DataStack.isNeeded(config)
      ? new DataStack(scope, context, {
          network: network.network,
          appPeers: app.peers,
          appRoleNames: extra.roleNames,
          clients: [...computeClients(compute), ...podClients.filter((c) => c.database || c.redis)],
          secrets: storage?.secrets,
        })
      : undefined;
  if (data) stacks.push(data);
  // The modules with a layer of their own (audit): after the data tier, before the workloads.
  stacks.push(...moduleStacks(scope, context, { secrets: storage?.secrets }));
  if (eks && config.workloads) {
    stacks.push(
      new WorkloadsStack(scope, context, eks.eks, {
        buckets: storage?.buckets,
        data,
        ingressWebAclArn: eks.ingressWebAcl?.arn,
        ingressAccessLogBucket: eks.ingressAccessLogs?.name,
      }),
    );
  }
  return { network, stacks };
}

/** The compute tier's services as data-tier clients: their security groups and instance roles. */
function appTierOf(compute: readonly TerraformStack[], extra: Partial<AppTier>): AppTier {
  return {
    // Named by service, so the data tier's rules read `..._ingress_3306_from_api`.
    peers: [...services(compute).map(([name, s]) => ({ name, securityGroupId: s.securityGroup.id })), ...(extra.peers ?? [])],
    roleNames: [...(extra.roleNames ?? [])],
  };
}

/**
 * The compute tier's instance roles as data-tier clients: Redis as the `app` user for every
 * service (the document's apps share it), the database for a container app that asks for
 * it (`app.database`), through the published connection parameter its boot script reads.
 */
function computeClients(compute: readonly TerraformStack[]): DataClient[] {
  return services(compute).map(([, s]) => {
    const database = s.service.app.type === "container" && s.service.app.database;
    return { roleName: s.role.roleName, database, redis: true, connection: database };
  });
}

/** The compute tier's services, by name. */
function services(compute: readonly TerraformStack[]): [string, AppService][] {
  return compute.filter((s): s is ComputeStack => s instanceof ComputeStack).flatMap((s) => Object.entries(s.services));
}
