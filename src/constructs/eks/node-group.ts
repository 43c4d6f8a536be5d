import { Construct } from "constructs";
import { Fn, ITerraformDependable } from "cdktf";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { NODE_POOL_LABEL, NodeGroupConfig } from "./settings";
import { Naming } from "../../lib/naming";

export interface ManagedNodeGroupProps {
  readonly naming: Naming;
  /** The node group's name in config (`system`, `worker`); the AWS name is `<prefix>-<name>`. */
  readonly name: string;
  /** The cluster's name (a reference, so the group waits for the cluster). */
  readonly clusterName: string;
  /** The cluster's Kubernetes version; nodes follow it. */
  readonly kubernetesVersion: string;
  readonly nodeRoleArn: string;
  /** Where nodes run: the private subnets. */
  readonly subnetIds: readonly string[];
  /** Security groups of every node: the cluster's primary group and the shared node group. */
  readonly securityGroupIds: readonly string[];
  readonly settings: NodeGroupConfig;
  /** What must exist before nodes join (role policies, networking add-ons). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * An EKS managed node group with its own launch template: IMDSv2 only with a hop limit
 * of `settings.metadataHopLimit` (2: pods on the node reach it through one more hop), an
 * encrypted gp3 root volume, no SSH. EKS picks the AMI from `amiType` and writes the
 * bootstrap user data itself. Every node carries the label `node-pool: <name>`.
 *
 * New instance types, AMI type, capacity type or subnets (an AZ added) replace the group: the
 * new group is created, under a name of its own (`<prefix>-<name>-` and a suffix Terraform
 * picks), before the old one is drained and deleted, so the pool's pods always have nodes.
 */
export class ManagedNodeGroup extends Construct {
  public readonly launchTemplate: LaunchTemplate;
  public readonly nodeGroup: EksNodeGroup;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const { naming, name, settings } = props;
    const awsName = naming.name("eksNodeGroupPrefix", name);
    // Bottlerocket keeps the OS on /dev/xvda and containers on /dev/xvdb: size the data volume.
    const deviceName = settings.amiType.startsWith("BOTTLEROCKET") ? "/dev/xvdb" : "/dev/xvda";

    this.launchTemplate = new LaunchTemplate(this, "launch_template", {
      name: naming.name("launchTemplate", "eks", name),
      description: `Nodes of EKS node group ${awsName}`,
      updateDefaultVersion: true,
      vpcSecurityGroupIds: [...props.securityGroupIds],
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: settings.metadataHopLimit,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          deviceName,
          ebs: { volumeSize: settings.diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
        resourceType,
        tags: { Name: awsName, "eks-node-group": awsName },
      })),
      tags: { Name: awsName },
      lifecycle: { createBeforeDestroy: true },
    });

    this.nodeGroup = new EksNodeGroup(this, "node_group", {
      clusterName: props.clusterName,
      nodeGroupNamePrefix: `${awsName}-`,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: [...props.subnetIds],
      version: props.kubernetesVersion,
      amiType: settings.amiType,
      capacityType: settings.capacityType,
      instanceTypes: [...settings.instanceTypes],
      scalingConfig: { minSize: settings.minSize, maxSize: settings.maxSize, desiredSize: settings.desiredSize },
      updateConfig: { maxUnavailable: settings.maxUnavailable },
      labels: { ...settings.labels, [NODE_POOL_LABEL]: name },
      taint: settings.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
      launchTemplate: { id: this.launchTemplate.id, version: Fn.tostring(this.launchTemplate.latestVersion) },
      tags: { Name: awsName },
      dependsOn: [...(props.dependsOn ?? [])],
      lifecycle: { createBeforeDestroy: true },
    });
  }
}
