import { Construct } from "constructs";
import { Fn, ITerraformDependable } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster as AwsEksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { EksSettings } from "./settings";
import { partitionOf } from "../../lib/regions";
import { Naming } from "../../lib/naming";
import { ServiceRole } from "../iam/service-role";
import { ManagedSecurityGroup } from "../networking/security-group";
import { ManagedNodeGroup } from "./node-group";
import { ContainerLogs } from "./container-logs";

/**
 * Add-ons the nodes need to become Ready (pod networking, service routing, pod
 * identity): they are created before the node groups. Every other add-on (coredns,
 * metrics-server) runs as pods, so it waits for the nodes.
 */
export const ADDONS_BEFORE_NODES: readonly string[] = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"];

/** The AWS managed policies of the node role: join the cluster, run the VPC CNI, pull from ECR. */
export const NODE_MANAGED_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"] as const;

export interface EksClusterProps {
  /** Names everything `<project>-<environment>-...`; the cluster is `<prefix>-cluster`. */
  readonly naming: Naming;
  readonly region: string;
  readonly vpcId: string;
  /** The private subnets: the control plane's network interfaces and every node go there. */
  readonly subnetIds: readonly string[];
  /** The cluster's settings, parsed by `EksConfigSchema` and checked by `checkEksConfig`. */
  readonly settings: EksSettings;
  /**
   * Terraform's `prevent_destroy` on the cluster: a change that would replace it (its service
   * CIDR, the creator's admin permissions, its name) is refused at plan, not carried out by
   * deleting every node and workload. @default true
   */
  readonly deletionProtection?: boolean;
}

/**
 * An EKS cluster built the way terraform-aws-eks builds one, secure by default:
 *
 * - Kubernetes Secrets envelope-encrypted with a customer KMS key (rotated yearly);
 * - the API endpoint private, and public only from the listed CIDRs;
 * - control-plane logs in a log group created first, with a finite retention (EKS would
 *   otherwise create it with none);
 * - access entries (`API_AND_CONFIG_MAP`) for the admins named in config;
 * - an IAM OIDC provider for IRSA, with no thumbprint lookup (AWS trusts the EKS OIDC
 *   endpoints' CA itself);
 * - managed node groups in the private subnets, IMDSv2-only with encrypted gp3 volumes;
 * - core add-ons managed by EKS, created before or after the nodes as they require;
 * - the pods' logs shipped to CloudWatch Logs ({@link ContainerLogs}), into log groups created
 *   first, with a retention and a KMS key, unless `containerLogs.enabled` is false.
 *
 * Nodes carry the cluster's primary security group (all traffic between the control
 * plane and nodes) and a shared node group `<prefix>-eks-nodes`, which other layers
 * allow traffic from (the database opens its port to it).
 */
export class EksCluster extends Construct {
  public readonly cluster: AwsEksCluster;
  public readonly clusterName: string;
  public readonly secretsKey: KmsKey;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly clusterRole: ServiceRole;
  public readonly nodeRole: ServiceRole;
  /** The additional security group of the control plane's network interfaces. */
  public readonly clusterSecurityGroup: ManagedSecurityGroup;
  /** The security group every node carries besides the cluster's primary one. */
  public readonly nodeSecurityGroup: ManagedSecurityGroup;
  public readonly oidcProvider: IamOpenidConnectProvider;
  public readonly nodeGroups: Readonly<Record<string, ManagedNodeGroup>>;
  public readonly addons: Readonly<Record<string, EksAddon>>;
  /** The pods' log shipping (`containerLogs`), unless turned off. */
  public readonly containerLogs?: ContainerLogs;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const { naming, settings } = props;
    const partition = partitionOf(props.region);
    this.clusterName = naming.name("eksCluster", "cluster");

    this.secretsKey = this.addSecretsKey(naming, settings);
    this.logGroup = this.addLogGroup(settings);
    this.clusterRole = this.addClusterRole(naming, partition);
    [this.clusterSecurityGroup, this.nodeSecurityGroup] = this.addSecurityGroups(props);
    this.cluster = this.addCluster(props);
    this.oidcProvider = this.addOidcProvider();
    this.addAdminAccess(settings.adminPrincipalArns, partition);
    this.nodeRole = this.addNodeRole(naming, partition);

    const addonEntries = Object.entries(settings.addons).filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== null);
    const addons: Record<string, EksAddon> = {};
    this.addAddons(addons, addonEntries.filter(([n]) => ADDONS_BEFORE_NODES.includes(n)), []);
    const beforeNodes = Object.values(addons);
    this.nodeGroups = this.addNodeGroups(props, beforeNodes);
    const nodes = Object.values(this.nodeGroups).map((g) => g.nodeGroup);
    this.addAddons(addons, addonEntries.filter(([n]) => !ADDONS_BEFORE_NODES.includes(n)), nodes);
    this.addons = addons;
    if (settings.containerLogs.enabled) {
      // Fluent Bit and the CloudWatch agent run as pods on every node: after the node groups.
      this.containerLogs = new ContainerLogs(this, "container_logs", {
        naming,
        clusterName: this.clusterName,
        clusterRef: this.cluster.name,
        region: props.region,
        partition,
        accountId: naming.accountId ?? this.accountId,
        settings,
        dependsOn: nodes,
      });
    }
  }

  private addSecretsKey(naming: Naming, settings: EksSettings): KmsKey {
    const key = new KmsKey(this, "secrets_key", {
      description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${this.clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: settings.kmsKeyDeletionWindowInDays,
      tags: { Name: `${naming.prefix}-eks-secrets` },
    });
    new KmsAlias(this, "secrets_key_alias", {
      name: `alias/${naming.name("kmsAlias", "eks-secrets")}`,
      targetKeyId: key.keyId,
    });
    return key;
  }

  private addLogGroup(settings: EksSettings): CloudwatchLogGroup {
    // EKS writes to /aws/eks/<cluster>/cluster; creating it first gives it a retention.
    return new CloudwatchLogGroup(this, "log_group", {
      name: `/aws/eks/${this.clusterName}/cluster`,
      retentionInDays: settings.logRetentionInDays,
    });
  }

  private addClusterRole(naming: Naming, partition: string): ServiceRole {
    const role = new ServiceRole(this, "cluster_role", {
      roleName: naming.name("iamRole", "eks-cluster"),
      service: "eks.amazonaws.com",
      partition,
      description: `EKS control plane of ${this.clusterName}`,
      managedPolicies: ["AmazonEKSClusterPolicy"],
    });
    role.addToPolicy({
      Sid: "SecretsEnvelopeEncryption",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
      Resource: [this.secretsKey.arn],
    });
    return role;
  }

  /** The control plane's additional group and the nodes' shared group; returns [cluster, node]. */
  private addSecurityGroups(props: EksClusterProps): [ManagedSecurityGroup, ManagedSecurityGroup] {
    const { naming, settings } = props;
    const clusterSecurityGroup = new ManagedSecurityGroup(this, "cluster_sg", {
      groupName: naming.name("securityGroup", "eks-cluster"),
      vpcId: props.vpcId,
      description: `EKS control plane of ${this.clusterName} (additional to the primary group of the cluster)`,
    });
    const nodeSecurityGroup = new ManagedSecurityGroup(this, "node_sg", {
      groupName: naming.name("securityGroup", "eks-nodes"),
      vpcId: props.vpcId,
      description: `Nodes of EKS cluster ${this.clusterName}; other layers allow traffic from this group`,
    });
    clusterSecurityGroup.allowFrom(nodeSecurityGroup, 443, "Nodes to the Kubernetes API");
    if (settings.endpoint.privateAccess && settings.endpoint.privateAccessCidrs.length > 0) {
      clusterSecurityGroup.allowFrom(
        { name: "private_access", cidrBlocks: settings.endpoint.privateAccessCidrs },
        443,
        "Kubernetes API through the private endpoint",
      );
    }
    return [clusterSecurityGroup, nodeSecurityGroup];
  }

  private addCluster(props: EksClusterProps): AwsEksCluster {
    const { settings } = props;
    const clusterDependencies: ITerraformDependable[] = [this.logGroup, ...this.clusterRole.managedPolicyAttachments];
    if (this.clusterRole.inlinePolicy) clusterDependencies.push(this.clusterRole.inlinePolicy);
    return new AwsEksCluster(this, "cluster", {
      name: this.clusterName,
      version: settings.version,
      roleArn: this.clusterRole.arn,
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        securityGroupIds: [this.clusterSecurityGroup.id],
        endpointPrivateAccess: settings.endpoint.privateAccess,
        // The configuration resolves the environment's default; unset here means private.
        endpointPublicAccess: settings.endpoint.publicAccess,
        publicAccessCidrs: settings.endpoint.publicAccess ? [...settings.endpoint.publicAccessCidrs] : undefined,
      },
      accessConfig: {
        authenticationMode: settings.authenticationMode,
        bootstrapClusterCreatorAdminPermissions: settings.bootstrapClusterCreatorAdminPermissions,
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: this.secretsKey.arn } },
      enabledClusterLogTypes: [...settings.logTypes],
      kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: settings.serviceIpv4Cidr },
      upgradePolicy: { supportType: settings.supportType },
      tags: { Name: this.clusterName },
      dependsOn: clusterDependencies,
      // EKS Auto Mode is not used. DescribeCluster may still answer its settings as disabled,
      // which provider 5.x then plans to remove, an update EKS refuses ("The type for cluster
      // update was not provided"): every later apply of the stack would fail.
      // The control plane keeps the subnets it was created in: EKS accepts new cluster subnets
      // only in the AZs it was created in, so an AZ added to the network reaches the node groups
      // alone (refused, the update would fail the apply after the node groups were replaced).
      lifecycle: {
        ignoreChanges: ["compute_config", "storage_config", "vpc_config[0].subnet_ids"],
        preventDestroy: props.deletionProtection ?? true,
      },
    });
  }

  private addOidcProvider(): IamOpenidConnectProvider {
    // IRSA: service accounts assume IAM roles through the cluster's OIDC issuer.
    return new IamOpenidConnectProvider(this, "oidc_provider", {
      url: this.oidcIssuerUrl,
      clientIdList: ["sts.amazonaws.com"],
      tags: { Name: `${this.clusterName}-irsa` },
    });
  }

  private addAdminAccess(adminPrincipalArns: readonly string[], partition: string): void {
    for (const arn of adminPrincipalArns) {
      const key = `admin_${principalKey(arn)}`;
      const entry = new EksAccessEntry(this, key, {
        clusterName: this.cluster.name,
        principalArn: arn,
        type: "STANDARD",
      });
      new EksAccessPolicyAssociation(this, `${key}_cluster_admin`, {
        clusterName: this.cluster.name,
        principalArn: arn,
        policyArn: `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
        accessScope: { type: "cluster" },
        dependsOn: [entry],
      });
    }
  }

  private addNodeRole(naming: Naming, partition: string): ServiceRole {
    return new ServiceRole(this, "node_role", {
      roleName: naming.name("iamRole", "eks-nodes"),
      service: "ec2.amazonaws.com",
      partition,
      description: `Nodes of EKS cluster ${this.clusterName}`,
      managedPolicies: [...NODE_MANAGED_POLICIES],
    });
  }

  /** Adds each add-on to `addons`, depending on `dependsOn` (none when empty). */
  private addAddons(
    addons: Record<string, EksAddon>,
    entries: [string, NonNullable<EksSettings["addons"][string]>][],
    dependsOn: ITerraformDependable[],
  ): void {
    for (const [name, config] of entries) {
      addons[name] = new EksAddon(this, `addon_${name}`, {
        clusterName: this.cluster.name,
        addonName: name,
        addonVersion: config.version,
        configurationValues: config.configurationValues ? JSON.stringify(config.configurationValues) : undefined,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
      });
    }
  }

  private addNodeGroups(props: EksClusterProps, beforeNodes: EksAddon[]): Record<string, ManagedNodeGroup> {
    const nodeGroups: Record<string, ManagedNodeGroup> = {};
    for (const [name, group] of Object.entries(props.settings.nodeGroups)) {
      nodeGroups[name] = new ManagedNodeGroup(this, `nodes_${name}`, {
        naming: props.naming,
        name,
        clusterName: this.cluster.name,
        kubernetesVersion: this.cluster.version,
        nodeRoleArn: this.nodeRole.arn,
        subnetIds: props.subnetIds,
        securityGroupIds: [this.clusterPrimarySecurityGroupId, this.nodeSecurityGroup.id],
        settings: group,
        dependsOn: [...this.nodeRole.managedPolicyAttachments, ...beforeNodes],
      });
    }
    return nodeGroups;
  }

  /** The cluster's OIDC issuer URL (`https://oidc.eks.<region>.amazonaws.com/id/<id>`). */
  public get oidcIssuerUrl(): string {
    return this.cluster.identity.get(0).oidc.get(0).issuer;
  }

  /** The security group EKS creates for the cluster: on the control plane and on every node. */
  public get clusterPrimarySecurityGroupId(): string {
    return this.cluster.vpcConfig.clusterSecurityGroupId;
  }

  /** The base64 CA certificate of the API server. */
  public get certificateAuthorityData(): string {
    return this.cluster.certificateAuthority.get(0).data;
  }

  /** The account id, read from the cluster's ARN (no lookup). */
  public get accountId(): string {
    return Fn.element(Fn.split(":", this.cluster.arn), 4);
  }
}

/** A construct id for an IAM principal: its name, e.g. `role/platform/admin` -> `platform_admin`. */
function principalKey(arn: string): string {
  const resource = arn.split(":").slice(5).join(":");
  return resource.split("/").slice(1).join("_").replace(/[^A-Za-z0-9_-]/g, "_");
}
