import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { PolicyStatement } from "../../lib/iam";
import { logGroupsEncryptWithKey, logsWrite } from "../../lib/grants";
import { Naming } from "../../lib/naming";
import { ServiceRole } from "../iam/service-role";
import { EncryptionKey } from "../kms";
import { POD_IDENTITY_SERVICE, POD_IDENTITY_TRUST_ACTIONS } from "./pod-identity-role";
import { CONTAINER_LOGS_ADDON, EksSettings } from "./settings";

/**
 * Where the `amazon-cloudwatch-observability` add-on runs, and as whom: its Fluent Bit
 * DaemonSet and its CloudWatch agent both use this service account (the add-on's chart,
 * aws-observability/helm-charts, `cloudwatch-agent.serviceAccountName`).
 */
export const CONTAINER_LOGS_NAMESPACE = "amazon-cloudwatch";
export const CONTAINER_LOGS_SERVICE_ACCOUNT = "cloudwatch-agent";

/**
 * The namespace each EKS add-on binds its `pod_identity_association` service accounts in:
 * the association block names only the service account, the add-on decides the namespace.
 */
export const ADDON_NAMESPACES: Readonly<Record<string, string>> = { [CONTAINER_LOGS_ADDON]: CONTAINER_LOGS_NAMESPACE };

/**
 * The log groups the add-on writes, under `/aws/containerinsights/<cluster>/`: Fluent Bit
 * writes every container's stdout and stderr to `application`, kubelet, containerd, aws-node
 * and kube-proxy to `dataplane`, the nodes' journal (kernel, messages, secure) to `host`; the
 * CloudWatch agent writes Container Insights' performance events to `performance`.
 */
export const CONTAINER_LOG_GROUPS = ["application", "dataplane", "host", "performance"] as const;

/** `/aws/containerinsights/<cluster>/<group>`, the name the add-on writes to. */
export function containerLogGroupName(clusterName: string, group: (typeof CONTAINER_LOG_GROUPS)[number]): string {
  return `/aws/containerinsights/${clusterName}/${group}`;
}

/**
 * The add-on's configuration. Fluent Bit ships the container logs. The CloudWatch agent cannot
 * run without a pipeline (it fails to start with none), so it keeps Container Insights' metrics,
 * in their classic form (`enhanced_container_insights: false`: metrics per cluster, node, pod,
 * namespace and service, not per container and per observation); Application Signals is left
 * out, so the agent neither takes traces nor asks X-Ray anything, and its operator's
 * auto-monitoring is off: it injects no instrumentation into the apps' pods. The chart fills in
 * the cluster's name and region.
 */
export const CONTAINER_LOGS_CONFIGURATION = {
  agent: { config: { logs: { metrics_collected: { kubernetes: { enhanced_container_insights: false } } } } },
  containerLogs: { enabled: true },
} as const;

export interface ContainerLogsProps {
  readonly naming: Naming;
  /** The cluster's name as configured, for the log groups' names. */
  readonly clusterName: string;
  /** The cluster's name as a reference, so the add-on waits for the cluster. */
  readonly clusterRef: string;
  readonly region: string;
  readonly partition: string;
  /** The account, for the key policy: the configured one, or read from the cluster's ARN. */
  readonly accountId: string;
  readonly settings: EksSettings;
  /** What must run before the add-on's pods can: the node groups. */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * The pods' logs, shipped to CloudWatch Logs by the AWS-managed `amazon-cloudwatch-observability`
 * add-on, the way AWS installs it (Fluent Bit and the CloudWatch agent on every node), with
 * what the add-on would otherwise do wrong:
 *
 * - its log groups are created by Terraform *before* the add-on, each with a retention and
 *   encrypted with a customer managed key of their own, whose policy lets CloudWatch Logs use it
 *   for exactly these groups; left to itself, Fluent Bit would create them with no retention;
 * - its identity is an EKS Pod Identity role for `amazon-cloudwatch/cloudwatch-agent`, bound by the
 *   add-on's own `pod_identity_association`, allowed to create streams and put events in these
 *   groups only (no `CreateLogGroup`: what it writes lands in groups Terraform owns), and to read
 *   the EC2 tags and volumes Container Insights labels its metrics with; not
 *   `CloudWatchAgentServerPolicy`, which lets it create any log group and more;
 * - the add-on waits for the node groups, like every add-on that runs as pods.
 */
export class ContainerLogs extends Construct {
  public readonly key: EncryptionKey;
  public readonly logGroups: Readonly<Record<(typeof CONTAINER_LOG_GROUPS)[number], CloudwatchLogGroup>>;
  public readonly role: ServiceRole;
  public readonly addon: EksAddon;

  constructor(scope: Construct, id: string, props: ContainerLogsProps) {
    super(scope, id);
    const { naming, settings, partition, region, accountId } = props;
    const names = CONTAINER_LOG_GROUPS.map((g) => containerLogGroupName(props.clusterName, g));
    const groupArns = names.map((n) => `arn:${partition}:logs:${region}:${accountId}:log-group:${n}`);

    this.key = new EncryptionKey(this, "key", {
      alias: naming.name("kmsAlias", "eks-container-logs"),
      description: `CloudWatch Logs encryption of the container log groups of EKS cluster ${props.clusterName}`,
      deletionWindowInDays: settings.kmsKeyDeletionWindowInDays,
      // Like the secrets key: no prevent_destroy, so `containerLogs.enabled: false` removes it
      // with its groups; a deleted key stays recoverable for its deletion window.
      preventDestroy: false,
      servicePolicy: { accountId, partition, statements: [logGroupsEncryptWithKey("CloudWatchLogsEncryptsTheContainerLogGroups", region, groupArns)] },
    });

    this.logGroups = Object.fromEntries(
      CONTAINER_LOG_GROUPS.map((group, i) => [
        group,
        new CloudwatchLogGroup(this, `log_group_${group}`, {
          name: names[i],
          retentionInDays: settings.containerLogs.retentionInDays,
          kmsKeyId: this.key.arn,
          // CloudWatch Logs checks the key policy when the group is created with the key.
          dependsOn: [this.key.key],
        }),
      ]),
    ) as Record<(typeof CONTAINER_LOG_GROUPS)[number], CloudwatchLogGroup>;

    this.role = new ServiceRole(this, "role", {
      roleName: naming.name("iamRole", "eks-container-logs"),
      service: POD_IDENTITY_SERVICE,
      trustActions: POD_IDENTITY_TRUST_ACTIONS,
      partition,
      description: `Fluent Bit and the CloudWatch agent of EKS cluster ${props.clusterName} (${CONTAINER_LOGS_NAMESPACE}/${CONTAINER_LOGS_SERVICE_ACCOUNT})`,
    });
    this.role.addToPolicy(...logsWrite("WriteContainerLogGroups", Object.values(this.logGroups).map((g) => g.arn)), ...nodeMetadataStatements());

    const groups = Object.values(this.logGroups);
    this.addon = new EksAddon(this, "addon", {
      clusterName: props.clusterRef,
      addonName: CONTAINER_LOGS_ADDON,
      addonVersion: settings.containerLogs.addonVersion,
      configurationValues: JSON.stringify(CONTAINER_LOGS_CONFIGURATION),
      podIdentityAssociation: [{ roleArn: this.role.arn, serviceAccount: CONTAINER_LOGS_SERVICE_ACCOUNT }],
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      // The groups exist (with their retention and key) before Fluent Bit writes a line, the
      // role may write them before its pods start, and there are nodes to run them on.
      dependsOn: [...props.dependsOn, ...groups, ...(this.role.inlinePolicy ? [this.role.inlinePolicy] : [])],
    });
  }
}

/**
 * The EC2 reads of Container Insights' receiver in the CloudWatch agent: the instance's tags
 * (its Auto Scaling group) and its volumes (the EBS volume behind each disk metric). Both
 * actions take no resource but `*`.
 */
export const NODE_METADATA_ACTIONS = ["ec2:DescribeTags", "ec2:DescribeVolumes"] as const;

function nodeMetadataStatements(): PolicyStatement[] {
  return [{ Sid: "ReadNodeMetadata", Effect: "Allow", Action: [...NODE_METADATA_ACTIONS], Resource: "*" }];
}
