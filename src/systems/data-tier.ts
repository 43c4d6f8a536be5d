import { TerraformStack } from "cdktf";
import { AuditStack } from "../stacks/audit-stack";
import { StackContext } from "../stacks/aws-stack";
import { AppPeer, DataStack } from "../stacks/data-stack";
import { NetworkStack } from "../stacks/network-stack";
import { StorageStack } from "../stacks/storage-stack";
import { Construct } from "constructs";

/** What the compute tier hands the data tier: its security groups and role names. */
export interface AppTier {
  readonly peers?: readonly AppPeer[];
  readonly roleNames?: readonly string[];
}

/**
 * The storage, data and audit stacks a system's configuration asks for, in dependency
 * order: `storage` when it has buckets, tables, repositories or secrets; `data` when it
 * has `rds` or `redis`; `audit` when it has `audit`.
 */
export function dataTierStacks(scope: Construct, context: StackContext, network: NetworkStack, app: AppTier = {}): TerraformStack[] {
  const { config } = context;
  const stacks: TerraformStack[] = [];
  const hasStorage =
    Object.keys(config.storage.buckets).length > 0 ||
    Object.keys(config.storage.tables).length > 0 ||
    Object.keys(config.registry.repositories).length > 0 ||
    config.secrets !== undefined;
  if (hasStorage) stacks.push(new StorageStack(scope, context));
  if (config.rds || config.redis) {
    stacks.push(new DataStack(scope, context, { network: network.network, appPeers: app.peers, appRoleNames: app.roleNames }));
  }
  if (config.audit) stacks.push(new AuditStack(scope, context));
  return stacks;
}
