import { readFileSync, rmSync } from "fs";
import { join } from "path";
import { WorkloadsConfigSchema } from "../../src/constructs/k8s-workloads/settings";
import { imageOf, KubernetesWorkloads, KubernetesWorkloadsProps } from "../../src/constructs/k8s-workloads";
import { harnessInputs } from "../harness/inputs";
import { resourcesOf, StackJson, synthToDisk } from "../harness/synth";
import { synthConstructs } from "../harness/test-stack";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

const { outdir } = synthToDisk({ systems: ["ode"], environments: ["prod"] });
const stack = JSON.parse(readFileSync(join(outdir, "stacks", "ode-prod-workloads", "cdk.tf.json"), "utf8")) as StackJson;
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const deployments = resourcesOf(stack, "kubernetes_deployment_v1") as Record<string, Json>;
const podSpec = (app: string) => deployments[`workloads_${app}_deployment`].spec.template.spec;
const container = (app: string) => podSpec(app).container[0];
const hpas = resourcesOf(stack, "kubernetes_horizontal_pod_autoscaler_v2") as Record<string, Json>;
const services = resourcesOf(stack, "kubernetes_service_v1") as Record<string, Json>;
const EKS_OUTPUT = "data.terraform_remote_state.cross-stack-reference-input-ode-prod-eks.outputs.cross-stack-output-aws_eks_cluster_eks_cluster";

describe("ODE's workloads stack (ode-prod-workloads)", () => {
  it("configures the kubernetes provider from the EKS stack, authenticating with aws eks get-token", () => {
    expect(stack.provider!.kubernetes[0]).toEqual({
      host: `\${${EKS_OUTPUT}_endpoint}`,
      cluster_ca_certificate: `\${base64decode(${EKS_OUTPUT}_certificate_authority_0_data)}`,
      exec: [
        {
          api_version: "client.authentication.k8s.io/v1beta1",
          command: "aws",
          args: ["eks", "get-token", "--cluster-name", `\${${EKS_OUTPUT}_name}`, "--region", "us-east-1"],
        },
      ],
    });
    expect(stack.terraform!.required_providers).toEqual({ kubernetes: { source: "kubernetes", version: "2.38.0" } });
  });

  it("creates namespace ode, enforcing the restricted Pod Security Standard", () => {
    expect((resourcesOf(stack, "kubernetes_namespace_v1").workloads_namespace as Json).metadata).toMatchObject({
      name: "ode",
      labels: { "pod-security.kubernetes.io/enforce": "restricted" },
    });
  });

  it("deploys ode-api, ode-worker and ode-viewer into it", () => {
    expect(Object.keys(deployments).sort()).toEqual(["workloads_api_deployment", "workloads_viewer_deployment", "workloads_worker_deployment"]);
    for (const app of ["api", "worker", "viewer"]) {
      expect(deployments[`workloads_${app}_deployment`].metadata).toMatchObject({
        name: `ode-${app}`,
        namespace: "${kubernetes_namespace_v1.workloads_namespace.metadata[0].name}",
      });
      expect(container(app).name).toBe(`ode-${app}`);
    }
  });

  it("pulls the configured release tag from the ECR registry of the system's account", () => {
    expect(container("api").image).toBe("517392846021.dkr.ecr.us-east-1.amazonaws.com/ode-prod/api:1.0.0-harness");
    expect(container("api").image_pull_policy).toBe("IfNotPresent");
  });

  describe("the API's HPA", () => {
    const hpa = hpas.workloads_api_autoscaling_hpa.spec;

    it("scales the api Deployment between 2 and 10 pods", () => {
      expect(hpa).toMatchObject({
        min_replicas: 2,
        max_replicas: 10,
        scale_target_ref: { api_version: "apps/v1", kind: "Deployment", name: "${kubernetes_deployment_v1.workloads_api_deployment.metadata[0].name}" },
      });
    });

    it("scales on CPU above 70 % or memory above 80 % of requests", () => {
      expect(hpa.metric).toEqual([
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", average_utilization: 70 } } },
        { type: "Resource", resource: { name: "memory", target: { type: "Utilization", average_utilization: 80 } } },
      ]);
    });

    it("adds up to 100 % every 60 s, and removes down to 50 % every 60 s after 5 minutes' stabilization", () => {
      expect(hpa.behavior).toEqual({
        scale_up: [{ stabilization_window_seconds: 0, select_policy: "Max", policy: [{ type: "Percent", value: 100, period_seconds: 60 }] }],
        scale_down: [{ stabilization_window_seconds: 300, select_policy: "Max", policy: [{ type: "Percent", value: 50, period_seconds: 60 }] }],
      });
    });
  });

  describe("the worker's HPA", () => {
    const hpa = hpas.workloads_worker_autoscaling_hpa.spec;

    it("scales the worker Deployment between 2 and 20 pods", () => {
      expect(hpa).toMatchObject({ min_replicas: 2, max_replicas: 20, scale_target_ref: { kind: "Deployment", name: "${kubernetes_deployment_v1.workloads_worker_deployment.metadata[0].name}" } });
    });

    it("scales when the Redis queue holds more than 100 pending jobs (an external metric)", () => {
      expect(hpa.metric).toEqual([{ type: "External", external: { metric: { name: "redis_queue_depth" }, target: { type: "Value", value: "100" } } }]);
    });

    it("adds up to 100 % but at most 4 pods every 30 s, and removes down to 50 % every 60 s after 10 minutes' stabilization", () => {
      expect(hpa.behavior).toEqual({
        scale_up: [
          {
            stabilization_window_seconds: 0,
            select_policy: "Min",
            policy: [
              { type: "Percent", value: 100, period_seconds: 30 },
              { type: "Pods", value: 4, period_seconds: 30 },
            ],
          },
        ],
        scale_down: [{ stabilization_window_seconds: 600, select_policy: "Max", policy: [{ type: "Percent", value: 50, period_seconds: 60 }] }],
      });
    });
  });

  it("lets the HPAs own the replica count, starting at their minimum; the viewer keeps 2", () => {
    expect(deployments.workloads_api_deployment.spec.replicas).toBe("2");
    expect(deployments.workloads_api_deployment.lifecycle).toEqual({ ignore_changes: ["spec[0].replicas"] });
    expect(deployments.workloads_viewer_deployment.spec.replicas).toBe("2");
    expect(deployments.workloads_viewer_deployment).not.toHaveProperty("lifecycle");
    expect(hpas).not.toHaveProperty("workloads_viewer_autoscaling_hpa");
  });

  it("gives worker pods 120 s between SIGTERM and SIGKILL to finish active jobs", () => {
    expect(podSpec("worker").termination_grace_period_seconds).toBe(120);
    expect(podSpec("api").termination_grace_period_seconds).toBe(30);
  });

  it("exposes metrics on 9090 in every pod, announced for Prometheus", () => {
    for (const app of ["api", "worker", "viewer"]) {
      expect(container(app).port).toContainEqual({ name: "metrics", container_port: 9090, protocol: "TCP" });
      expect(deployments[`workloads_${app}_deployment`].spec.template.metadata.annotations).toEqual({
        "prometheus.io/scrape": "true",
        "prometheus.io/port": "9090",
        "prometheus.io/path": "/metrics",
      });
      expect(services[`workloads_${app}_service`].spec.port).toContainEqual({ name: "metrics", port: 9090, target_port: "metrics", protocol: "TCP" });
    }
  });

  it("probes /health on the HTTP port, or on the metrics port of the worker, which serves no HTTP; the viewer on / (ODE's manifests)", () => {
    for (const probe of ["startup_probe", "readiness_probe", "liveness_probe"]) {
      expect(container("api")[probe].http_get).toEqual({ path: "/health", port: "http" });
      expect(container("worker")[probe].http_get).toEqual({ path: "/health", port: "metrics" });
      expect(container("viewer")[probe].http_get).toEqual({ path: "/", port: "http" });
    }
    expect(container("viewer").port).toContainEqual({ name: "http", container_port: 3000, protocol: "TCP" });
    expect(container("api").port).toEqual([
      { name: "http", container_port: 8080, protocol: "TCP" },
      { name: "metrics", container_port: 9090, protocol: "TCP" },
    ]);
    expect(container("worker").port).toEqual([{ name: "metrics", container_port: 9090, protocol: "TCP" }]);
  });

  it("runs every container as non-root, read-only, without privilege escalation or capabilities", () => {
    for (const app of ["api", "worker", "viewer"]) {
      expect(podSpec(app).security_context).toEqual({
        run_as_non_root: true,
        run_as_user: "10001",
        run_as_group: "10001",
        fs_group: "10001",
        seccomp_profile: { type: "RuntimeDefault" },
      });
      expect(container(app).security_context).toEqual({
        run_as_non_root: true,
        allow_privilege_escalation: false,
        privileged: false,
        read_only_root_filesystem: true,
        capabilities: { drop: ["ALL"] },
        seccomp_profile: { type: "RuntimeDefault" },
      });
      expect(podSpec(app).automount_service_account_token).toBe(false);
      expect(container(app).volume_mount).toEqual([{ name: "tmp", mount_path: "/tmp" }]);
    }
  });

  it("runs the apps on the worker pool, spread across zones", () => {
    expect(podSpec("api").node_selector).toEqual({ "node-pool": "worker" });
    expect(podSpec("api")).not.toHaveProperty("toleration");
    expect(podSpec("api").topology_spread_constraint[0]).toMatchObject({ topology_key: "topology.kubernetes.io/zone", max_skew: 1 });
  });

  it("tells each app where its AWS resources are, never a credential: the database's master secret by ARN, Redis's IAM user", () => {
    const DATA = "data.terraform_remote_state.cross-stack-reference-input-ode-prod-data.outputs.cross-stack-output-";
    const STORAGE = "data.terraform_remote_state.cross-stack-reference-input-ode-prod-storage.outputs.cross-stack-output-";
    expect(container("api").env).toEqual([
      { name: "AWS_REGION", value: "us-east-1" },
      { name: "DATABASE_HOST", value: `\${${DATA}aws_db_instance_rds_instance_address}` },
      { name: "DATABASE_NAME", value: "odedb" },
      { name: "DATABASE_PORT", value: "5432" },
      { name: "DATABASE_SECRET_ARN", value: `\${${DATA}aws_db_instance_rds_instance_master_user_secret_0_secret_arn}` },
      { name: "PORT", value: "8080" },
      { name: "REDIS_AUTH", value: "iam" },
      { name: "REDIS_CACHE_NAME", value: `\${${DATA}aws_elasticache_replication_group_redis_replication_group_replication_group_id}` },
      { name: "REDIS_HOST", value: `\${${DATA}aws_elasticache_replication_group_redis_replication_group_primary_endpoint_address}` },
      { name: "REDIS_PORT", value: "6379" },
      { name: "REDIS_TLS", value: "true" },
      { name: "REDIS_USER", value: `\${${DATA}aws_elasticache_user_redis_user_app_user_name}` },
      { name: "S3_BUCKET_DOCUMENTS", value: `\${${STORAGE}aws_s3_bucket_s3_documents_bucket_bucket}` },
      { name: "S3_BUCKET_EXPORTS", value: `\${${STORAGE}aws_s3_bucket_s3_exports_bucket_bucket}` },
      { name: "S3_BUCKET_FONTS", value: `\${${STORAGE}aws_s3_bucket_s3_fonts_bucket_bucket}` },
    ]);
    expect(container("viewer").env).toEqual([
      { name: "API_URL", value: "http://ode-api.ode.svc.cluster.local" },
      { name: "AWS_REGION", value: "us-east-1" },
      { name: "NODE_ENV", value: "production" },
      { name: "S3_BUCKET_FONTS", value: `\${${STORAGE}aws_s3_bucket_s3_fonts_bucket_bucket}` },
    ]);
    // No copied credential: no Secret is created or read.
    expect(resourcesOf(stack, "kubernetes_secret_v1")).toEqual({});
    for (const app of ["api", "worker", "viewer"]) expect(container(app).env.filter((e: Json) => "value_from" in e)).toEqual([]);
  });

  it("holds no secret value anywhere in the synthesized JSON", () => {
    const text = JSON.stringify({ resource: stack.resource, output: stack.output, provider: stack.provider });
    expect(text).not.toMatch(/"(data|string_data|binary_data|password|token)"\s*:/i);
    expect(text).not.toMatch(/[a-z]+:\/\/[^/\s:@"]+:[^/\s@"]+@/i);
  });

  it("refuses an env variable the app's aws settings already set", () => {
    expect(() =>
      synthToDisk({ systems: ["ode"], environments: ["dev"] }, { ode: { dev: { workloads: { apps: { viewer: { env: { S3_BUCKET_FONTS: "other" } } } } } } }),
    ).toThrow(/apps\.viewer\.env\.S3_BUCKET_FONTS[\s\S]*is set from the app's aws settings/);
  });

  it("keeps every pool of pods through node drains with a PodDisruptionBudget", () => {
    const pdbs = resourcesOf(stack, "kubernetes_pod_disruption_budget_v1") as Record<string, Json>;
    expect(Object.keys(pdbs).sort()).toEqual(["workloads_api_pdb", "workloads_viewer_pdb", "workloads_worker_pdb"]);
    expect(pdbs.workloads_worker_pdb.spec).toEqual({ max_unavailable: "1", selector: { match_labels: { "app.kubernetes.io/name": "ode-worker" } } });
  });

  it("routes the API's own paths (served from its root, no prefix to strip) to the API and everything else to the viewer, through an ALB (no made-up host)", () => {
    const ingress = (resourcesOf(stack, "kubernetes_ingress_v1") as Record<string, Json>).workloads_ingress;
    expect(ingress.spec.ingress_class_name).toBe("alb");
    const to = (app: string, path: string) => ({ path, path_type: "Prefix", backend: { service: { name: `\${kubernetes_service_v1.workloads_${app}_service.metadata[0].name}`, port: { number: 80 } } } });
    expect(ingress.spec.rule).toEqual([{ http: { path: [to("api", "/v1"), to("api", "/auth"), to("api", "/admin"), to("api", "/docs"), to("api", "/api-docs"), to("api", "/ui"), to("viewer", "/")] } }]);
    expect(ingress.metadata.annotations).toMatchObject({
      "alb.ingress.kubernetes.io/scheme": "internet-facing",
      "alb.ingress.kubernetes.io/target-type": "ip",
      // HTTPS outside dev: no certificate ARN, so the controller discovers api.ode.example.com's certificate.
      "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80},{"HTTPS":443}]',
      "alb.ingress.kubernetes.io/ssl-redirect": "443",
      "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
      "alb.ingress.kubernetes.io/load-balancer-attributes":
        "deletion_protection.enabled=true,routing.http.drop_invalid_header_fields.enabled=true,access_logs.s3.enabled=true," +
        "access_logs.s3.bucket=${data.terraform_remote_state.cross-stack-reference-input-ode-prod-eks.outputs.cross-stack-output-aws_s3_bucket_ingress_access_logs_bucket_bucket}",
      "alb.ingress.kubernetes.io/wafv2-acl-arn": "${data.terraform_remote_state.cross-stack-reference-input-ode-prod-eks.outputs.cross-stack-output-aws_wafv2_web_acl_waf_ingress_acl_arn}",
      "alb.ingress.kubernetes.io/tags": "Project=ode,Environment=prod,ManagedBy=cdktf",
    });
    // HTTPS with the certificate given as a required input (no host to discover one by).
    expect(ingress.metadata.annotations).toHaveProperty(["alb.ingress.kubernetes.io/certificate-arn"], harnessInputs("ode", "prod").workloads!.ingress!.certificateArn);
    expect(services.workloads_api_service.metadata.annotations).toEqual({ "alb.ingress.kubernetes.io/healthcheck-path": "/health" });
    expect(services.workloads_api_service.spec).toMatchObject({ type: "ClusterIP", selector: { "app.kubernetes.io/name": "ode-api" } });
  });
});

describe("KubernetesWorkloads", () => {
  function synthWorkloads(settings: object, props: Partial<KubernetesWorkloadsProps> = {}): StackJson {
    return synthConstructs((scope) => {
      new KubernetesWorkloads(scope, "workloads", {
        project: "acme",
        ecrRegistry: "123456789012.dkr.ecr.us-east-1.amazonaws.com",
        settings: WorkloadsConfigSchema.parse(settings),
        ...props,
      });
    });
  }
  const webApp = { web: {} };

  it("serves HTTPS with a modern TLS policy and redirects HTTP when given a certificate", () => {
    const json = synthWorkloads({
      apps: webApp,
      ingress: { rules: [{ app: "web" }], certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab", scheme: "internal", inboundCidrs: ["10.0.0.0/8"] },
    });
    expect((resourcesOf(json, "kubernetes_ingress_v1").workloads_ingress as Json).metadata.annotations).toMatchObject({
      "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80},{"HTTPS":443}]',
      "alb.ingress.kubernetes.io/ssl-redirect": "443",
      "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
      "alb.ingress.kubernetes.io/scheme": "internal",
      "alb.ingress.kubernetes.io/inbound-cidrs": "10.0.0.0/8",
    });
  });

  it("gates the readiness of pods behind an Ingress on their ALB targets' health, so a rollout keeps healthy targets", () => {
    const gate = "elbv2.k8s.aws/pod-readiness-gate-inject";
    const labels = (json: StackJson) => (resourcesOf(json, "kubernetes_namespace_v1").workloads_namespace as Json).metadata.labels;
    expect(labels(synthWorkloads({ apps: webApp, ingress: { rules: [{ app: "web" }], https: false, scheme: "internal", inboundCidrs: ["10.0.0.0/8"] } }))).toHaveProperty([gate], "enabled");
    expect(labels(synthWorkloads({ apps: webApp }))).not.toHaveProperty([gate]);
    expect(labels(stack)).toHaveProperty([gate], "enabled");
  });

  it("creates the Secret empty when asked, and never overwrites the values added to it", () => {
    const json = synthWorkloads({ apps: { web: { secretEnv: { API_KEY: "api-key" } } }, secret: { create: true } });
    const secret = resourcesOf(json, "kubernetes_secret_v1").workloads_secret as Json;
    expect(secret).toMatchObject({ metadata: { name: "acme-secrets" }, type: "Opaque", lifecycle: { ignore_changes: ["data", "binary_data"] } });
    expect(secret).not.toHaveProperty("data");
    expect((resourcesOf(json, "kubernetes_deployment_v1").workloads_web_deployment as Json).spec.template.spec.container[0].env).toEqual([
      { name: "API_KEY", value_from: { secret_key_ref: { name: "${kubernetes_secret_v1.workloads_secret.metadata[0].name}", key: "api-key", optional: false } } },
    ]);
  });

  it("tolerates the taints of the node pool an app is placed on", () => {
    const json = synthWorkloads(
      { apps: { agent: { nodePool: "system" } } },
      { nodePoolTaints: { system: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }, { key: "dedicated", effect: "NO_EXECUTE" }] } },
    );
    const spec = (resourcesOf(json, "kubernetes_deployment_v1").workloads_agent_deployment as Json).spec.template.spec;
    expect(spec.node_selector).toEqual({ "node-pool": "system" });
    expect(spec.toleration).toEqual([
      { key: "CriticalAddonsOnly", operator: "Equal", value: "true", effect: "NoSchedule" },
      { key: "dedicated", operator: "Exists", effect: "NoExecute" },
    ]);
  });

  it("annotates the service account with an IRSA role when given one", () => {
    const json = synthWorkloads({ apps: { web: { serviceAccountRoleArn: "arn:aws:iam::123456789012:role/acme-web" } } });
    expect((resourcesOf(json, "kubernetes_service_account_v1").workloads_web_service_account as Json).metadata.annotations).toEqual({
      "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/acme-web",
    });
  });

  it("scales per pod on an external metric with averageValue and a selector", () => {
    const json = synthWorkloads({
      apps: {
        web: {
          autoscaling: {
            minReplicas: 1,
            maxReplicas: 5,
            metrics: [{ type: "external", name: "sqs_messages_visible", selector: { queue: "jobs" }, averageValue: "30" }],
            scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 2, periodSeconds: 60 }] },
            scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: "Disabled", policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
          },
        },
      },
    });
    const spec = (resourcesOf(json, "kubernetes_horizontal_pod_autoscaler_v2").workloads_web_autoscaling_hpa as Json).spec;
    expect(spec.metric).toEqual([
      { type: "External", external: { metric: { name: "sqs_messages_visible", selector: [{ match_labels: { queue: "jobs" } }] }, target: { type: "AverageValue", average_value: "30" } } },
    ]);
    expect(spec.behavior.scale_down[0].select_policy).toBe("Disabled");
  });

  it("leaves out the PodDisruptionBudget when maxUnavailable is null, and the Ingress when there is none", () => {
    const json = synthWorkloads({ apps: { web: { maxUnavailable: null } } });
    expect(resourcesOf(json, "kubernetes_pod_disruption_budget_v1")).toEqual({});
    expect(resourcesOf(json, "kubernetes_ingress_v1")).toEqual({});
  });
});

describe("imageOf", () => {
  const registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

  it("puts an ECR repository name in the cluster's registry, defaulting to <project>-<app>", () => {
    expect(imageOf("ode", "api", {}, "1.4.2", registry)).toBe(`${registry}/ode-api:1.4.2`);
    expect(imageOf("ode", "api", { repository: "ode/api", tag: "abc123" }, "1.4.2", registry)).toBe(`${registry}/ode/api:abc123`);
  });

  it("keeps a full repository URL as given", () => {
    expect(imageOf("ode", "api", { repository: "ghcr.io/acme/ode-api" }, "1.4.2", registry)).toBe("ghcr.io/acme/ode-api:1.4.2");
    expect(imageOf("ode", "api", { repository: "registry.local:5000/ode-api" }, "v2", registry)).toBe("registry.local:5000/ode-api:v2");
  });
});
