import { readFileSync, rmSync } from "fs";
import { join } from "path";
import { checkEksConfig, EksConfigInput, EksConfigSchema } from "../../src/constructs/eks/settings";
import { EksCluster, loadBalancerControllerStatements } from "../../src/constructs/eks";
import { Naming } from "../../src/lib/naming";
import { buildStacks, resourcesOf, StackJson, synthToDisk } from "../harness/synth";
import { synthConstructs } from "../harness/test-stack";

/** A cluster of settings parsed and checked as the config loader does, so each default is the module's. */
function synthCluster(settings: EksConfigInput = {}, environment = "prod", deletionProtection?: boolean): StackJson {
  return synthConstructs((scope) => {
    new EksCluster(scope, "eks", {
      naming: new Naming("acme", "prod"),
      region: "us-east-1",
      vpcId: "vpc-0123456789abcdef0",
      subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
      settings: checkEksConfig(EksConfigSchema.parse(settings), environment),
      deletionProtection,
    });
  });
}

describe("EksCluster", () => {
  const json = synthCluster();
  const cluster = resourcesOf(json, "aws_eks_cluster").eks_cluster;

  it("names the cluster <project>-<environment>-cluster and runs Kubernetes 1.35 by default", () => {
    expect(cluster).toMatchObject({ name: "acme-prod-cluster", version: "1.35", upgrade_policy: { support_type: "EXTENDED" } });
  });

  it("envelope-encrypts Secrets with a rotated customer KMS key the cluster role may use", () => {
    expect(cluster.encryption_config).toEqual({ resources: ["secrets"], provider: { key_arn: "${aws_kms_key.eks_secrets_key.arn}" } });
    expect(resourcesOf(json, "aws_kms_key").eks_secrets_key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(resourcesOf(json, "aws_kms_alias").eks_secrets_key_alias).toMatchObject({ name: "alias/acme-prod-eks-secrets" });
    const policy = resourcesOf(json, "aws_iam_role_policy").eks_cluster_role_policy.policy as string;
    expect(policy).toContain('"Action" = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], "Resource" = [aws_kms_key.eks_secrets_key.arn]');
    expect(cluster.depends_on).toEqual(
      expect.arrayContaining(["aws_iam_role_policy.eks_cluster_role_policy", "aws_iam_role_policy_attachment.eks_cluster_role_AmazonEKSClusterPolicy"]),
    );
  });

  it("sends all five control-plane log types to a log group it creates first, with a finite retention", () => {
    expect(cluster.enabled_cluster_log_types).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(resourcesOf(json, "aws_cloudwatch_log_group").eks_log_group).toEqual(
      expect.objectContaining({ name: "/aws/eks/acme-prod-cluster/cluster", retention_in_days: 90 }),
    );
    expect(cluster.depends_on).toContain("aws_cloudwatch_log_group.eks_log_group");
  });

  it("keeps the API endpoint private outside dev when the settings leave publicAccess unset", () => {
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
  });

  it("puts the control plane in the given subnets, private and public endpoints, with its own security group", () => {
    const publicCluster = resourcesOf(synthCluster({ endpoint: { publicAccess: true } }, "dev"), "aws_eks_cluster").eks_cluster;
    expect(publicCluster.vpc_config).toEqual({
      subnet_ids: ["subnet-a", "subnet-b", "subnet-c"],
      security_group_ids: ["${aws_security_group.eks_cluster_sg_group.id}"],
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ["0.0.0.0/0"],
    });
  });

  it("leaves public_access_cidrs out when the public endpoint is off", () => {
    const privateOnly = resourcesOf(synthCluster({ endpoint: { publicAccess: false } }), "aws_eks_cluster").eks_cluster;
    expect(privateOnly.vpc_config).toMatchObject({ endpoint_public_access: false, endpoint_private_access: true });
    expect(privateOnly.vpc_config).not.toHaveProperty("public_access_cidrs");
  });

  it("ignores the Auto Mode settings it never sets, which EKS may answer as disabled and provider 5.x would then plan (and fail) to remove", () => {
    expect(cluster.lifecycle).toMatchObject({ ignore_changes: expect.arrayContaining(["compute_config", "storage_config"]) });
  });

  it("refuses at plan a change that would replace it, unless deletion protection is off", () => {
    expect(cluster.lifecycle).toMatchObject({ prevent_destroy: true });
    const unprotected = resourcesOf(synthCluster({}, "dev", false), "aws_eks_cluster").eks_cluster;
    expect(unprotected.lifecycle).toMatchObject({ prevent_destroy: false });
  });

  it("keeps the subnets it was created in: EKS refuses control-plane subnets in an AZ added later", () => {
    expect((cluster.lifecycle as { ignore_changes: string[] }).ignore_changes).toContain("vpc_config[0].subnet_ids");
  });

  it("uses access entries alongside the aws-auth ConfigMap, with the creator as admin", () => {
    expect(cluster.access_config).toEqual({ authentication_mode: "API_AND_CONFIG_MAP", bootstrap_cluster_creator_admin_permissions: true });
  });

  it("makes each configured admin principal a cluster admin through an access entry", () => {
    const admins = synthCluster({ adminPrincipalArns: ["arn:aws:iam::123456789012:role/platform/admin"] });
    expect(resourcesOf(admins, "aws_eks_access_entry").eks_admin_platform_admin).toMatchObject({
      cluster_name: "${aws_eks_cluster.eks_cluster.name}",
      principal_arn: "arn:aws:iam::123456789012:role/platform/admin",
      type: "STANDARD",
    });
    expect(resourcesOf(admins, "aws_eks_access_policy_association").eks_admin_platform_admin_cluster_admin).toMatchObject({
      policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      access_scope: { type: "cluster" },
      depends_on: ["aws_eks_access_entry.eks_admin_platform_admin"],
    });
  });

  it("registers the cluster's OIDC issuer for IRSA, with no thumbprint lookup", () => {
    const oidc = resourcesOf(json, "aws_iam_openid_connect_provider").eks_oidc_provider;
    expect(oidc).toMatchObject({ url: "${aws_eks_cluster.eks_cluster.identity[0].oidc[0].issuer}", client_id_list: ["sts.amazonaws.com"] });
    expect(oidc).not.toHaveProperty("thumbprint_list");
    expect(json.data).toBeUndefined();
  });

  it("lets the nodes reach the API, and opens the private endpoint to listed CIDRs only", () => {
    const rules = resourcesOf(synthCluster({ endpoint: { privateAccessCidrs: ["10.50.0.0/16"] } }), "aws_vpc_security_group_ingress_rule");
    expect(rules.eks_cluster_sg_ingress_443_from_node_sg).toMatchObject({
      security_group_id: "${aws_security_group.eks_cluster_sg_group.id}",
      referenced_security_group_id: "${aws_security_group.eks_node_sg_group.id}",
      from_port: 443,
      to_port: 443,
    });
    expect(rules.eks_cluster_sg_ingress_443_from_private_access).toMatchObject({ cidr_ipv4: "10.50.0.0/16", from_port: 443 });
    expect(Object.keys(resourcesOf(json, "aws_vpc_security_group_ingress_rule"))).toEqual(["eks_cluster_sg_ingress_443_from_node_sg"]);
  });

  it("gives nodes a role with the three standard node policies", () => {
    const attachments = resourcesOf(json, "aws_iam_role_policy_attachment");
    for (const policy of ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"]) {
      expect(attachments[`eks_node_role_${policy}`]).toMatchObject({
        role: "${aws_iam_role.eks_node_role_role.name}",
        policy_arn: `arn:aws:iam::aws:policy/${policy}`,
      });
    }
    expect(resourcesOf(json, "aws_iam_role").eks_node_role_role.assume_role_policy).toContain('"Principal" = {"Service" = "ec2.amazonaws.com"}');
  });

  describe("node groups", () => {
    const groups = resourcesOf(json, "aws_eks_node_group");
    const templates = resourcesOf(json, "aws_launch_template");

    it("are keyed by name: a tainted system pool of 2 t3.medium and a worker pool of 3 t3.large", () => {
      expect(Object.keys(groups).sort()).toEqual(["eks_nodes_system_node_group", "eks_nodes_worker_node_group"]);
      expect(groups.eks_nodes_system_node_group).toMatchObject({
        node_group_name_prefix: "acme-prod-system-",
        instance_types: ["t3.medium"],
        scaling_config: { min_size: 2, max_size: 4, desired_size: 2 },
        labels: { "node-pool": "system" },
        taint: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
      });
      expect(groups.eks_nodes_worker_node_group).toMatchObject({
        node_group_name_prefix: "acme-prod-worker-",
        instance_types: ["t3.large"],
        scaling_config: { min_size: 3, max_size: 10, desired_size: 3 },
        labels: { "node-pool": "worker" },
        taint: [],
      });
    });

    it("are replaced by a new group under a name of its own, created before the old one is drained", () => {
      for (const group of Object.values(groups)) {
        expect(group.lifecycle).toEqual({ create_before_destroy: true });
        expect(group).not.toHaveProperty("node_group_name");
      }
    });

    it("run in the cluster's subnets, on its version, as the node role, from their own launch template", () => {
      expect(groups.eks_nodes_worker_node_group).toMatchObject({
        cluster_name: "${aws_eks_cluster.eks_cluster.name}",
        version: "${aws_eks_cluster.eks_cluster.version}",
        node_role_arn: "${aws_iam_role.eks_node_role_role.arn}",
        subnet_ids: ["subnet-a", "subnet-b", "subnet-c"],
        ami_type: "AL2023_x86_64_STANDARD",
        capacity_type: "ON_DEMAND",
        update_config: { max_unavailable: 1 },
        launch_template: {
          id: "${aws_launch_template.eks_nodes_worker_launch_template.id}",
          version: "${tostring(aws_launch_template.eks_nodes_worker_launch_template.latest_version)}",
        },
      });
    });

    it("launch with IMDSv2 only (hop limit 2), encrypted gp3 root volumes, and the cluster and node security groups", () => {
      for (const name of ["system", "worker"]) {
        const template = templates[`eks_nodes_${name}_launch_template`];
        expect(template.metadata_options).toEqual({
          http_endpoint: "enabled",
          http_tokens: "required",
          http_put_response_hop_limit: 2,
          instance_metadata_tags: "disabled",
        });
        expect(template.block_device_mappings).toEqual([
          { device_name: "/dev/xvda", ebs: { volume_size: 50, volume_type: "gp3", encrypted: "true", delete_on_termination: "true" } },
        ]);
        expect(template.vpc_security_group_ids).toEqual([
          "${aws_eks_cluster.eks_cluster.vpc_config[0].cluster_security_group_id}",
          "${aws_security_group.eks_node_sg_group.id}",
        ]);
        expect(template).not.toHaveProperty("image_id");
        expect(template).not.toHaveProperty("key_name");
      }
    });

    it("keep pods away from the instance metadata with a hop limit of 1, when asked", () => {
      const closed = synthCluster({ nodeGroups: { worker: { instanceTypes: ["t3.large"], minSize: 1, maxSize: 2, desiredSize: 1, metadataHopLimit: 1 } } });
      expect(resourcesOf(closed, "aws_launch_template").eks_nodes_worker_launch_template.metadata_options).toMatchObject({ http_put_response_hop_limit: 1 });
    });

    it("size the data volume of Bottlerocket nodes, which keep containers on /dev/xvdb", () => {
      const bottlerocket = synthCluster({
        nodeGroups: { apps: { instanceTypes: ["m7g.large"], amiType: "BOTTLEROCKET_ARM_64", minSize: 1, maxSize: 3, desiredSize: 1, diskSizeGiB: 80 } },
      });
      expect(resourcesOf(bottlerocket, "aws_launch_template").eks_nodes_apps_launch_template.block_device_mappings).toEqual([
        { device_name: "/dev/xvdb", ebs: { volume_size: 80, volume_type: "gp3", encrypted: "true", delete_on_termination: "true" } },
      ]);
    });

    it("wait for the node role's policies and the networking add-ons", () => {
      expect(groups.eks_nodes_system_node_group.depends_on).toEqual([
        "aws_iam_role_policy_attachment.eks_node_role_AmazonEKSWorkerNodePolicy",
        "aws_iam_role_policy_attachment.eks_node_role_AmazonEKS_CNI_Policy",
        "aws_iam_role_policy_attachment.eks_node_role_AmazonEC2ContainerRegistryReadOnly",
        "aws_eks_addon.eks_addon_vpc-cni",
        "aws_eks_addon.eks_addon_kube-proxy",
        "aws_eks_addon.eks_addon_eks-pod-identity-agent",
      ]);
    });
  });

  describe("add-ons", () => {
    it("install vpc-cni, kube-proxy and eks-pod-identity-agent before the nodes, and coredns once nodes exist", () => {
      const addons = resourcesOf(json, "aws_eks_addon");
      // eks_container_logs_addon is eks.containerLogs' (below).
      expect(Object.keys(addons).sort()).toEqual(["eks_addon_coredns", "eks_addon_eks-pod-identity-agent", "eks_addon_kube-proxy", "eks_addon_vpc-cni", "eks_container_logs_addon"]);
      expect(addons["eks_addon_vpc-cni"]).not.toHaveProperty("depends_on");
      expect(addons.eks_addon_coredns.depends_on).toEqual(["aws_eks_node_group.eks_nodes_system_node_group", "aws_eks_node_group.eks_nodes_worker_node_group"]);
      expect(addons.eks_addon_coredns).toMatchObject({ resolve_conflicts_on_create: "OVERWRITE", resolve_conflicts_on_update: "OVERWRITE" });
    });

    it("take a pinned version and configuration values, and leave out an add-on set to null", () => {
      const addons = resourcesOf(
        synthCluster({ addons: { coredns: { version: "v1.11.1-eksbuild.9", configurationValues: { replicaCount: 3 } }, "kube-proxy": null, "eks-pod-identity-agent": {} } }),
        "aws_eks_addon",
      );
      expect(addons.eks_addon_coredns).toMatchObject({ addon_version: "v1.11.1-eksbuild.9", configuration_values: '{"replicaCount":3}' });
      expect(addons).not.toHaveProperty("eks_addon_kube-proxy");
    });
  });
});

describe("container logs (eks.containerLogs): the pods' stdout and stderr in CloudWatch Logs", () => {
  const json = synthCluster();
  const groups = ["application", "dataplane", "host", "performance"];
  const groupAddress = (g: string) => `aws_cloudwatch_log_group.eks_container_logs_log_group_${g}`;
  const addon = resourcesOf(json, "aws_eks_addon").eks_container_logs_addon;
  const role = resourcesOf(json, "aws_iam_role").eks_container_logs_role_role;
  const policy = String(resourcesOf(json, "aws_iam_role_policy").eks_container_logs_role_policy?.policy);

  it("installs the amazon-cloudwatch-observability add-on with an EKS Pod Identity role for amazon-cloudwatch/cloudwatch-agent", () => {
    expect(addon).toMatchObject({
      cluster_name: "${aws_eks_cluster.eks_cluster.name}",
      addon_name: "amazon-cloudwatch-observability",
      pod_identity_association: [{ role_arn: "${aws_iam_role.eks_container_logs_role_role.arn}", service_account: "cloudwatch-agent" }],
      resolve_conflicts_on_create: "OVERWRITE",
    });
    expect(addon).not.toHaveProperty("addon_version");
    expect(role).toMatchObject({
      name: "acme-prod-eks-container-logs",
      assume_role_policy:
        '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Principal" = {"Service" = "pods.eks.amazonaws.com"}, "Action" = ["sts:AssumeRole", "sts:TagSession"]}]})}',
    });
  });

  it("ships the container logs, keeps Container Insights' classic metrics (the agent needs a pipeline) and leaves Application Signals out", () => {
    const values = JSON.parse(String(addon.configuration_values));
    expect(values).toEqual({
      agent: { config: { logs: { metrics_collected: { kubernetes: { enhanced_container_insights: false } } } } },
      containerLogs: { enabled: true },
    });
    // No application_signals: no traces, and the operator's auto-monitoring injects nothing into the apps' pods.
    expect(String(addon.configuration_values)).not.toContain("application_signals");
  });

  it("creates the four log groups the add-on writes, with the control-plane logs' retention and a KMS key of their own", () => {
    const logGroups = resourcesOf(json, "aws_cloudwatch_log_group");
    for (const g of groups) {
      expect(logGroups[`eks_container_logs_log_group_${g}`]).toMatchObject({
        name: `/aws/containerinsights/acme-prod-cluster/${g}`,
        retention_in_days: 90,
        kms_key_id: "${aws_kms_key.eks_container_logs_key_key.arn}",
        depends_on: ["aws_kms_key.eks_container_logs_key_key"],
      });
    }
    const key = resourcesOf(json, "aws_kms_key").eks_container_logs_key_key;
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(resourcesOf(json, "aws_kms_alias").eks_container_logs_key_alias).toMatchObject({ name: "alias/acme-prod-eks-container-logs" });
    // CloudWatch Logs may use the key for these four groups only.
    const keyPolicy = String(key.policy);
    expect(keyPolicy).toContain('"Principal" = {"Service" = "logs.us-east-1.amazonaws.com"}');
    for (const g of groups) {
      expect(keyPolicy).toContain(`log-group:/aws/containerinsights/acme-prod-cluster/${g}"`);
    }
    expect(keyPolicy).toContain('"ArnEquals" = {"kms:EncryptionContext:aws:logs:arn"');
  });

  it("lets the add-on's identity write exactly those groups: streams and events, never a log group of its own", () => {
    expect(policy).toContain('"Action" = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]');
    for (const g of groups) expect(policy).toContain(`${groupAddress(g)}.arn, "\${${groupAddress(g)}.arn}:*"`);
    expect(policy).toContain('"Sid" = "ReadNodeMetadata", "Effect" = "Allow", "Action" = ["ec2:DescribeTags", "ec2:DescribeVolumes"], "Resource" = "*"');
    expect(policy).not.toContain("logs:CreateLogGroup");
    expect(policy).not.toContain("PutRetentionPolicy");
    expect(resourcesOf(json, "aws_iam_role_policy_attachment")).not.toHaveProperty("eks_container_logs_role_CloudWatchAgentServerPolicy");
  });

  it("creates the add-on after its log groups, its role's policy and the node groups its pods run on", () => {
    expect(addon.depends_on).toEqual([
      "aws_eks_node_group.eks_nodes_system_node_group",
      "aws_eks_node_group.eks_nodes_worker_node_group",
      ...groups.map(groupAddress),
      "aws_iam_role_policy.eks_container_logs_role_policy",
    ]);
  });

  it("keeps the groups as long as the control-plane logs unless told otherwise, and takes a pinned add-on version", () => {
    const retention = (settings: EksConfigInput) =>
      groups.map((g) => resourcesOf(synthCluster(settings), "aws_cloudwatch_log_group")[`eks_container_logs_log_group_${g}`].retention_in_days);
    expect(retention({ logRetentionInDays: 365 })).toEqual([365, 365, 365, 365]);
    expect(retention({ logRetentionInDays: 365, containerLogs: { retentionInDays: 30 } })).toEqual([30, 30, 30, 30]);
    const pinned = resourcesOf(synthCluster({ containerLogs: { addonVersion: "v4.5.0-eksbuild.1" } }), "aws_eks_addon").eks_container_logs_addon;
    expect(pinned.addon_version).toBe("v4.5.0-eksbuild.1");
  });

  it("turned off, leaves out the add-on, its identity, its log groups and their key", () => {
    const off = synthCluster({ containerLogs: { enabled: false } });
    const addresses = Object.entries(off.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
    expect(addresses.filter((a) => a.includes("container_logs"))).toEqual([]);
    expect(Object.values(resourcesOf(off, "aws_eks_addon")).map((a) => a.addon_name)).not.toContain("amazon-cloudwatch-observability");
    expect(Object.values(resourcesOf(off, "aws_cloudwatch_log_group")).map((g) => g.name)).toEqual(["/aws/eks/acme-prod-cluster/cluster"]);
  });

  it("refuses a second install of the add-on, a version without Pod Identity, and no Pod Identity agent", () => {
    const check = (settings: EksConfigInput) => () => checkEksConfig(EksConfigSchema.parse(settings), "prod");
    expect(check({ addons: { "amazon-cloudwatch-observability": {} } })).toThrow(/addons\.amazon-cloudwatch-observability[\s\S]*is installed by eks\.containerLogs/);
    expect(check({ addons: { "amazon-cloudwatch-observability": {} }, containerLogs: { enabled: false } })).not.toThrow();
    expect(check({ containerLogs: { addonVersion: "v2.6.0-eksbuild.1" } })).toThrow(/containerLogs\.addonVersion[\s\S]*older than v3\.1\.0/);
    expect(check({ containerLogs: { addonVersion: "v3.1.0-eksbuild.1" } })).not.toThrow();
    expect(check({ addons: { "vpc-cni": {}, "kube-proxy": {}, coredns: {}, "eks-pod-identity-agent": null } })).toThrow(/addons\.eks-pod-identity-agent[\s\S]*EKS Pod Identity/);
    expect(check({ containerLogs: { retentionInDays: 0 } })).toThrow();
  });
});

describe("ODE's EKS stack, synthesized with the app", () => {
  const { outdir } = synthToDisk({ systems: ["ode"], environments: ["prod"] });
  const read = (stack: string) => JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as StackJson;
  const eks = read("ode-prod-eks");
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("places the cluster and every node group in the network stack's private subnets, by remote state", () => {
    const subnets = ["a", "b", "c"].map(
      (az) => `\${data.terraform_remote_state.cross-stack-reference-input-ode-prod-network.outputs.cross-stack-output-aws_subnet_network_private_us-east-1${az}_id}`,
    );
    expect((resourcesOf(eks, "aws_eks_cluster").eks_cluster.vpc_config as { subnet_ids: string[] }).subnet_ids).toEqual(subnets);
    for (const group of Object.values(resourcesOf(eks, "aws_eks_node_group"))) expect(group.subnet_ids).toEqual(subnets);
    expect(resourcesOf(eks, "aws_security_group").eks_node_sg_group.vpc_id).toBe(
      "${data.terraform_remote_state.cross-stack-reference-input-ode-prod-network.outputs.cross-stack-output-aws_vpc_network_vpc_id}",
    );
  });

  it("has exactly these addresses (a rename would replace the cluster)", () => {
    const addresses = Object.entries(eks.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
    expect(addresses.sort()).toEqual(
      [
        "aws_cloudwatch_log_group.eks_log_group",
        ...["coredns", "eks-pod-identity-agent", "kube-proxy", "metrics-server", "vpc-cni"].map((a) => `aws_eks_addon.eks_addon_${a}`),
        "aws_eks_cluster.eks_cluster",
        "aws_eks_node_group.eks_nodes_system_node_group",
        "aws_eks_node_group.eks_nodes_worker_node_group",
        "aws_iam_openid_connect_provider.eks_oidc_provider",
        "aws_iam_role.eks_cluster_role_role",
        "aws_iam_role.eks_node_role_role",
        "aws_iam_role_policy.eks_cluster_role_policy",
        "aws_iam_role_policy_attachment.eks_cluster_role_AmazonEKSClusterPolicy",
        "aws_iam_role_policy_attachment.eks_node_role_AmazonEC2ContainerRegistryReadOnly",
        "aws_iam_role_policy_attachment.eks_node_role_AmazonEKSWorkerNodePolicy",
        "aws_iam_role_policy_attachment.eks_node_role_AmazonEKS_CNI_Policy",
        "aws_kms_alias.eks_secrets_key_alias",
        "aws_kms_key.eks_secrets_key",
        "aws_launch_template.eks_nodes_system_launch_template",
        "aws_launch_template.eks_nodes_worker_launch_template",
        "aws_security_group.eks_cluster_sg_group",
        "aws_security_group.eks_node_sg_group",
        "aws_vpc_security_group_egress_rule.eks_cluster_sg_egress_all",
        "aws_vpc_security_group_egress_rule.eks_node_sg_egress_all",
        "aws_vpc_security_group_ingress_rule.eks_cluster_sg_ingress_443_from_node_sg",
        // Who applies the workloads stack: the CIDRs of the private endpoint (a required input in prod).
        "aws_vpc_security_group_ingress_rule.eks_cluster_sg_ingress_443_from_private_access",
        // The pods' identities (EKS Pod Identity) and the AWS Load Balancer Controller's.
        ...["api", "viewer", "worker"].flatMap((app) => [
          `aws_iam_role.pod_${app}_role_role`,
          `aws_iam_role_policy.pod_${app}_role_policy`,
          `aws_eks_pod_identity_association.pod_${app}_association`,
        ]),
        "aws_iam_role.load_balancer_controller_identity_role_role",
        "aws_eks_pod_identity_association.load_balancer_controller_identity_association",
        "aws_iam_policy.load_balancer_controller_policy",
        "aws_iam_role_policy_attachment.load_balancer_controller_attachment",
        // The AWS side of the Ingress's ALB: its web ACL and its access-log bucket.
        // The pods' logs: the add-on, its identity, its log groups and their key.
        "aws_eks_addon.eks_container_logs_addon",
        "aws_iam_role.eks_container_logs_role_role",
        "aws_iam_role_policy.eks_container_logs_role_policy",
        ...["application", "dataplane", "host", "performance"].map((g) => `aws_cloudwatch_log_group.eks_container_logs_log_group_${g}`),
        "aws_kms_key.eks_container_logs_key_key",
        "aws_kms_alias.eks_container_logs_key_alias",
        "aws_wafv2_web_acl.waf_ingress_acl",
        "aws_cloudwatch_log_group.waf_ingress_logs",
        "aws_wafv2_web_acl_logging_configuration.waf_ingress_logging",
        ...["bucket", "public_access_block", "ownership", "encryption", "versioning", "lifecycle", "policy"].map((r) => `${BUCKET_TYPES[r]}.ingress_access_logs_${r}`),
      ].sort(),
    );
  });

  it("exports what kubectl users, the workloads stack and other layers read", () => {
    const named = Object.keys(eks.output ?? {}).filter((o) => !o.startsWith("cross-stack-output-"));
    expect(named.sort()).toEqual([
      "cluster_arn",
      "cluster_certificate_authority_data",
      "cluster_endpoint",
      "cluster_name",
      "cluster_primary_security_group_id",
      "cluster_version",
      "container_log_group",
      "ingress_access_log_bucket",
      "ingress_web_acl_arn",
      "kubeconfig_command",
      "load_balancer_controller_role_arn",
      "node_role_arn",
      "node_security_group_id",
      "oidc_issuer_url",
      "oidc_provider_arn",
      "pod_role_api_arn",
      "pod_role_viewer_arn",
      "pod_role_worker_arn",
      "secrets_kms_key_arn",
    ]);
    expect(eks.output!.kubeconfig_command.value).toBe("aws eks update-kubeconfig --name ode-prod-cluster --region us-east-1");
  });

  it("ships the pods' logs by default, kept 365 days in prod as the control-plane logs, their key recoverable 30 days", () => {
    expect(resourcesOf(eks, "aws_eks_addon").eks_container_logs_addon.addon_name).toBe("amazon-cloudwatch-observability");
    expect(resourcesOf(eks, "aws_cloudwatch_log_group").eks_container_logs_log_group_application).toMatchObject({
      name: "/aws/containerinsights/ode-prod-cluster/application",
      retention_in_days: 365,
    });
    expect(resourcesOf(eks, "aws_kms_key").eks_container_logs_key_key).toMatchObject({ deletion_window_in_days: 30, lifecycle: { prevent_destroy: false } });
    expect(eks.output!.container_log_group.value).toBe("${aws_cloudwatch_log_group.eks_container_logs_log_group_application.name}");
  });

  it("carries the common tags through the provider's default_tags", () => {
    expect(eks.provider!.aws[0]).toMatchObject({ region: "us-east-1", default_tags: [{ tags: { Project: "ode", Environment: "prod", ManagedBy: "cdktf" } }] });
  });
});

describe("ODE's pod identities (EKS Pod Identity)", () => {
  const { outdir } = synthToDisk({ systems: ["ode"], environments: ["prod"] });
  const read = (stack: string) => JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as StackJson;
  const eks = read("ode-prod-eks");
  const data = read("ode-prod-data");
  const workloads = read("ode-prod-workloads");
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const policy = (name: string) => String(resourcesOf(eks, "aws_iam_role_policy")[name].policy);
  const storage = (bucket: string) => `data.terraform_remote_state.cross-stack-reference-input-ode-prod-storage.outputs.cross-stack-output-aws_s3_bucket_s3_${bucket}_bucket_arn`;

  it("gives each app a role that only EKS Pod Identity may assume and tag, bound to the app's service account", () => {
    const serviceAccounts = Object.values(resourcesOf(workloads, "kubernetes_service_account_v1")).map((sa) => (sa.metadata as { name: string }).name);
    for (const app of ["api", "viewer", "worker"]) {
      expect(resourcesOf(eks, "aws_iam_role")[`pod_${app}_role_role`]).toMatchObject({
        name: `ode-prod-pod-${app}`,
        assume_role_policy:
          '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Principal" = {"Service" = "pods.eks.amazonaws.com"}, "Action" = ["sts:AssumeRole", "sts:TagSession"]}]})}',
      });
      expect(resourcesOf(eks, "aws_eks_pod_identity_association")[`pod_${app}_association`]).toEqual(
        expect.objectContaining({
          cluster_name: "${aws_eks_cluster.eks_cluster.name}",
          namespace: "ode",
          service_account: `ode-${app}`,
          role_arn: `\${aws_iam_role.pod_${app}_role_role.arn}`,
        }),
      );
      // The workloads stack's service account carries that name.
      expect(serviceAccounts).toContain(`ode-${app}`);
    }
  });

  it("grants each app its buckets by intent: api writes documents, worker writes exports, viewer reads fonts only", () => {
    expect(policy("pod_api_role_policy")).toContain(`"Sid" = "ReadWriteS3Documents", "Effect" = "Allow", "Action" = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], "Resource" = ["\${${storage("documents")}}/*"]`);
    expect(policy("pod_api_role_policy")).toContain(`"Sid" = "ReadS3Exports", "Effect" = "Allow", "Action" = ["s3:GetObject"]`);
    expect(policy("pod_worker_role_policy")).toContain(`"Sid" = "ReadWriteS3Exports", "Effect" = "Allow", "Action" = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], "Resource" = ["\${${storage("exports")}}/*"]`);
    expect(policy("pod_worker_role_policy")).toContain(`"Sid" = "ReadS3Documents", "Effect" = "Allow", "Action" = ["s3:GetObject"]`);
    const viewer = policy("pod_viewer_role_policy");
    expect(viewer).toContain(`"Sid" = "ReadS3Fonts", "Effect" = "Allow", "Action" = ["s3:GetObject"], "Resource" = ["\${${storage("fonts")}}/*"]`);
    expect(viewer).not.toMatch(/documents|exports|PutObject/);
  });

  it("lets api and worker read the database's master secret and connect to Redis as the app user; the viewer neither", () => {
    const policies = resourcesOf(data, "aws_iam_role_policy");
    expect(Object.keys(policies).filter((k) => k.includes("pod")).sort()).toEqual(["app_role_ode-prod-pod-api_policy", "app_role_ode-prod-pod-worker_policy"]);
    for (const app of ["api", "worker"]) {
      const p = policies[`app_role_ode-prod-pod-${app}_policy`];
      expect(p.role).toBe(`ode-prod-pod-${app}`);
      expect(String(p.policy)).toContain('"Action" = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], "Resource" = [aws_db_instance.rds_instance.master_user_secret[0].secret_arn]');
      expect(String(p.policy)).toContain('"Action" = "elasticache:Connect", "Resource" = [aws_elasticache_replication_group.redis_replication_group.arn, aws_elasticache_user.redis_user_app.arn]');
    }
  });

  it("gives the AWS Load Balancer Controller its published policy through kube-system/aws-load-balancer-controller", () => {
    expect(resourcesOf(eks, "aws_eks_pod_identity_association").load_balancer_controller_identity_association).toMatchObject({
      namespace: "kube-system",
      service_account: "aws-load-balancer-controller",
      role_arn: "${aws_iam_role.load_balancer_controller_identity_role_role.arn}",
    });
    expect(resourcesOf(eks, "aws_iam_role_policy_attachment").load_balancer_controller_attachment).toMatchObject({
      role: "${aws_iam_role.load_balancer_controller_identity_role_role.name}",
      policy_arn: "${aws_iam_policy.load_balancer_controller_policy.arn}",
    });
    const text = String(resourcesOf(eks, "aws_iam_policy").load_balancer_controller_policy.policy);
    for (const action of ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:DescribeListenerAttributes", "ec2:CreateSecurityGroup", "wafv2:AssociateWebACL", "elasticloadbalancing:RegisterTargets"]) {
      expect(text).toContain(`"${action}"`);
    }
    // It changes only what it tagged as its own.
    expect(text).toContain('"Null" = {"aws:ResourceTag/elbv2.k8s.aws/cluster" = "false"}');
    // An IAM managed policy holds at most 6,144 characters, whitespace excluded.
    const rendered = JSON.stringify(loadBalancerControllerStatements("aws"));
    expect(rendered.length).toBeLessThan(6144);
  });

  it("refuses a bucket the system does not have, and a second way to give the app a role", () => {
    const build = (aws: object) => () => buildStacks({ systems: ["ode"], environments: ["dev"] }, { ode: { dev: { workloads: { apps: { viewer: { aws } } } } } });
    expect(build({ buckets: { logos: "read" } })).toThrow(/workloads\.apps\.viewer\.aws\.buckets\.logos = "logos"[\s\S]*use one of "documents", "exports", "fonts"/);
    expect(build({ fonts: "read" })).toThrow(/fonts/);
    expect(() =>
      buildStacks({ systems: ["ode"], environments: ["dev"] }, { ode: { dev: { workloads: { apps: { viewer: { serviceAccountRoleArn: "arn:aws:iam::111122223333:role/viewer" } } } } } }),
    ).toThrow(/workloads\.apps\.viewer\.serviceAccountRoleArn[\s\S]*as well as aws/);
  });
});
const BUCKET_TYPES: Record<string, string> = {
  bucket: "aws_s3_bucket",
  public_access_block: "aws_s3_bucket_public_access_block",
  ownership: "aws_s3_bucket_ownership_controls",
  encryption: "aws_s3_bucket_server_side_encryption_configuration",
  versioning: "aws_s3_bucket_versioning",
  lifecycle: "aws_s3_bucket_lifecycle_configuration",
  policy: "aws_s3_bucket_policy",
};

describe("synth warnings", () => {
  const warnings = (environment: "dev" | "prod", stackName: string, overrides = {}) => {
    const stack = buildStacks({ systems: ["ode"], environments: [environment] }, overrides).find((s) => s.node.id === stackName)!;
    return stack.node.metadata.map((m) => String(m.data));
  };

  it("say nothing about the API endpoint: private by default outside dev, and 0.0.0.0/0 there fails synth", () => {
    expect(warnings("prod", "ode-prod-eks")).toEqual([]);
    expect(warnings("dev", "ode-dev-eks")).toEqual([]);
    expect(warnings("prod", "ode-prod-eks", { ode: { prod: { eks: { endpoint: { publicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } } } } })).toEqual([]);
  });

  it("fail in prod when apps would run the mutable tag latest, and warn about nothing once a tag is set", () => {
    expect(() => warnings("prod", "ode-prod-workloads", { ode: { prod: { workloads: { imageTag: "latest" } } } })).toThrow(
      /ode\/prod: workloads\.imageTag = \(not set\)\n  Problem: is required in prod \(it would default to "latest"\): api, worker, viewer take their image tag from it/,
    );
    expect(warnings("prod", "ode-prod-workloads", { ode: { prod: { workloads: { imageTag: "3f2c1ab" } } } })).toEqual([]);
  });
});
