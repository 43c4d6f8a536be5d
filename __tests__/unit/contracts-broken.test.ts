import { AT_BOOT, SystemContract } from "../../src/contracts";
import { SYSTEMS, StackJson, evaluateContract, formatFinding, modelOf, synthSystem } from "../harness/contracts";

/**
 * The rung catches each class of defect of issue 8: every test breaks one thing in a system
 * that passes (MueJam, Duewin in prod), and asserts the failure names the principal, the
 * action or port, the resource and the fix.
 */
type Stacks = Record<string, StackJson>;

function edit(stacks: Stacks, stack: string, type: string, name: string, change: (config: Record<string, unknown>) => void): Stacks {
  const copy = structuredClone(stacks);
  const config = copy[stack]?.resource?.[type]?.[name];
  if (!config) throw new Error(`no ${type}.${name} in ${stack}`);
  change(config);
  return copy;
}

/** `stacks` with `from` replaced by `to` in the boot script held, one line per item, by the local `local` of `stack`. */
function editBootScript(stacks: Stacks, stack: string, local: string, from: string, to: string): Stacks {
  const copy = structuredClone(stacks);
  const lines = (copy[stack] as { locals?: Record<string, string[]> }).locals?.[local];
  const at = lines?.findIndex((line) => line.includes(from)) ?? -1;
  if (!lines || at < 0) throw new Error(`the boot script ${local} of ${stack} has no ${from}`);
  lines[at] = lines[at].replace(from, to);
  return copy;
}

function replaceIn(field: string, from: string, to: string): (config: Record<string, unknown>) => void {
  return (config) => {
    const text = String(config[field]);
    if (!text.includes(from)) throw new Error(`${field} has no ${from}`);
    config[field] = text.replace(from, to);
  };
}

async function findings(stacks: Stacks, contract: SystemContract): Promise<string[]> {
  return (await evaluateContract(modelOf(stacks), contract)).map(formatFinding);
}

describe("the contract rung on deliberately broken variants", () => {
  let muejam: Stacks;
  let duewin: Stacks;
  const muejamContract = SYSTEMS.muejam.contract("prod");
  const duewinContract = SYSTEMS.duewin.contract("prod");

  beforeAll(() => {
    muejam = synthSystem("muejam", "prod");
    duewin = synthSystem("duewin", "prod");
  });

  it("passes the unbroken systems (so each failure below is the break's)", async () => {
    expect(await findings(muejam, muejamContract)).toEqual([]);
    expect(await findings(duewin, duewinContract)).toEqual([]);
  });

  it("a missing permission: a Celery worker that may send to its broker's queue but not receive from it (AlgoItny)", async () => {
    const algoitnyContract = SYSTEMS.algoitny.contract("prod");
    const algoitny = synthSystem("algoitny", "prod");
    expect(await findings(algoitny, algoitnyContract)).toEqual([]);
    const broken = edit(algoitny, "algoitny-prod-compute", "aws_iam_role_policy", "worker_instance_policy", replaceIn("policy", '"sqs:ReceiveMessage", ', ""));
    expect(await findings(broken, algoitnyContract)).toEqual([expect.stringMatching(/^\[iam\] instance worker: sqs:ReceiveMessage on arn:aws:sqs:ap-northeast-2:\d+:algoitny-jobs-prod: no identity policy of the role allows it \(needed to consume algoitny-jobs-prod\)/)]);
    // The queue's policy counts too: one denying the worker fails it, whatever its role allows.
    const denied = edit(algoitny, "algoitny-prod-storage", "aws_sqs_queue_policy", "sqs_jobs_policy", replaceIn("policy", '"Condition" = {"Bool" = {"aws:SecureTransport" = "false"}}', '"Condition" = {"Bool" = {"aws:SecureTransport" = "true"}}'));
    expect(await findings(denied, algoitnyContract)).toContainEqual(expect.stringMatching(/^\[iam\] instance worker: sqs:ReceiveMessage on arn:aws:sqs:ap-northeast-2:\d+:algoitny-jobs-prod: .*/));
  });

  it("a missing permission: the key behind a secret the app reads", async () => {
    const broken = edit(muejam, "muejam-prod-compute", "aws_iam_role_policy", "app_instance_policy", replaceIn("policy", '"Action" = "kms:Decrypt"', '"Action" = "kms:DescribeKey"'));
    const out = await findings(broken, muejamContract);
    expect(out).toEqual([expect.stringMatching(/^\[iam\] instance app: kms:Decrypt on arn:aws:kms:us-east-1:\d+:key\/muejam-prod-storage-kms_key: no identity policy of the role allows it \(needed to decrypt muejam\/backend.*Fix: grant kms:Decrypt on the key/)]);
  });

  it("a missing permission: a secret writer without a data key of the secret's key", async () => {
    const writer: SystemContract = {
      ...muejamContract,
      principals: [{ ...muejamContract.principals[0], flows: [...muejamContract.principals[0].flows, { kind: "secret-write", secret: "muejam/backend" }] }],
    };
    const out = await findings(muejam, writer);
    expect(out).toContainEqual(expect.stringMatching(/^\[iam\] instance app: secretsmanager:PutSecretValue on .*secret:muejam\/backend-\w+: no identity policy/));
    expect(out).toContainEqual(expect.stringMatching(/^\[iam\] instance app: kms:GenerateDataKey on .*key\/muejam-prod-storage-kms_key: no identity policy .*encrypt muejam\/backend/));
  });

  it("a key policy that does not let the account's IAM policies decide denies the grant", async () => {
    const keyPolicy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/admin" }, Action: "kms:*", Resource: "*" }] });
    const broken = edit(muejam, "muejam-prod-storage", "aws_kms_key", "kms_key", (c) => (c.policy = keyPolicy));
    expect(await findings(broken, muejamContract)).toContainEqual(expect.stringMatching(/^\[iam\] instance app: kms:Decrypt on .*: the resource policy does not allow it/));
  });

  it("a stale credential: a rotating secret read once at boot", async () => {
    const atBoot: SystemContract = {
      ...duewinContract,
      principals: [{ ...duewinContract.principals[0], flows: duewinContract.principals[0].flows.map((f) => (f.kind === "secret-read" && "databaseMaster" in f.secret ? { ...f, refresh: AT_BOOT } : f)) }],
    };
    expect(await findings(duewin, atBoot)).toContainEqual(expect.stringMatching(/^\[stale-credential\] instance app: read once at boot on the database's master secret: the secret rotates/));
  });

  it("a stale credential: restart-on-rotation needs the boot script's timer and the parameter holding the ARN", async () => {
    expect(await findings(duewin, duewinContract)).toEqual([]);
    const noTimer = editBootScript(duewin, "duewin-prod-compute", "app_user_data", "systemctl enable --now app-credentials.timer", "");
    expect(await findings(noTimer, duewinContract)).toEqual([expect.stringMatching(/^\[stale-credential\] instance app: restart on rotation on the database's master secret: the boot script does not read \/duewin-prod\/database, compare .* and enable a timer/)]);
    // The web servers and the game scheduler both read it.
    const noArn = edit(duewin, "duewin-prod-data", "aws_ssm_parameter", "rds_connection", (c) => (c.value = '{"host": "db"}'));
    expect(await findings(noArn, duewinContract)).toEqual(
      ["app", "scheduler"].map((s) => expect.stringMatching(new RegExp(`^\\[existence\\] instance ${s}: find the secret through on SSM parameter /duewin-prod/database: its value does not hold the ARN of the database's master secret`))),
    );
  });

  it("a missing resource the document asks for: a consumer of the cache with no cache", async () => {
    const broken = structuredClone(duewin);
    delete broken["duewin-prod-data"].resource!.aws_elasticache_replication_group;
    expect(await findings(broken, duewinContract)).toContainEqual(expect.stringMatching(/^\[existence\] instance app: connect :6379 on the cache \(the document's app connects with a REDIS_URL.*\): no stack creates the cache\. Fix: configure redis/));
  });

  it("a wrong alarm metric: a namespace nothing publishes, and a group that does not exist", async () => {
    const custom = edit(muejam, "muejam-prod-compute", "aws_cloudwatch_metric_alarm", "app_high_cpu", (c) => (c.namespace = "MueJam/App"));
    expect(await findings(custom, muejamContract)).toEqual([expect.stringMatching(/^\[existence\] system: alarm muejam-prod-app-high-cpu on MueJam\/App CPUUtilization: no metric filter and no contract metrics flow publishes this metric/)]);
    const group = edit(muejam, "muejam-prod-compute", "aws_cloudwatch_metric_alarm", "app_high_cpu", (c) => (c.dimensions = { AutoScalingGroupName: "muejam-prod-gone" }));
    expect(await findings(group, muejamContract)).toEqual([expect.stringMatching(/alarm muejam-prod-app-high-cpu on AutoScalingGroupName muejam-prod-gone: no such auto scaling group/)]);
  });

  it("an extra grant: least privilege fails an action no flow needs", async () => {
    const broken = edit(muejam, "muejam-prod-compute", "aws_iam_role_policy", "app_instance_policy", replaceIn("policy", '"ecr:GetAuthorizationToken"', '["ecr:GetAuthorizationToken", "ecr:PutImage"]'));
    expect(await findings(broken, muejamContract)).toEqual([expect.stringMatching(/^\[least-privilege\] instance app: ecr:PutImage on \*: granted by .*app_instance_policy \(PullImagesAuth\) but no contract flow needs it\. Fix: remove the grant/)]);
  });

  it("an undeclared AWS managed policy is an extra grant", async () => {
    const broken = edit(muejam, "muejam-prod-compute", "aws_iam_role_policy_attachment", "app_instance_AmazonSSMManagedInstanceCore", (c) => (c.policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"));
    expect(await findings(broken, muejamContract)).toEqual([expect.stringMatching(/^\[least-privilege\] instance app: AWS managed policy AdministratorAccess on role muejam-prod-app: no contract entry says why/)]);
  });

  it("a typo'd action fails validation against AWS's service authorization reference, and the flow it breaks", async () => {
    const broken = edit(muejam, "muejam-prod-compute", "aws_iam_role_policy", "app_instance_policy", replaceIn("policy", '"secretsmanager:GetSecretValue"', '"secretsmanager:GetSecretValues"'));
    const out = await findings(broken, muejamContract);
    expect(out).toContainEqual(expect.stringMatching(/^\[policy\] system: statement ReadSecrets: "secretsmanager:GetSecretValues" is not an action of secretsmanager/));
    expect(out).toContainEqual(expect.stringMatching(/^\[iam\] instance app: secretsmanager:GetSecretValue on .*muejam\/backend/));
  });

  it("an unknown condition key and a resource of the wrong type fail validation", async () => {
    const key = edit(muejam, "muejam-prod-compute", "aws_iam_role_policy", "app_instance_policy", replaceIn("policy", '"cloudwatch:namespace"', '"cloudwatch:namespaces"'));
    expect(await findings(key, muejamContract)).toContainEqual(expect.stringMatching(/condition key "cloudwatch:namespaces" \(StringEquals\) does not exist/));
    const type = edit(muejam, "muejam-prod-compute", "aws_iam_role_policy", "app_instance_policy", replaceIn("policy", 'data.terraform_remote_state.cross-stack-reference-input-muejam-prod-storage.outputs.cross-stack-output-aws_ecr_repository_ecr_backend_repository_arn]', '"arn:aws:s3:::muejam-backend"]'));
    expect(await findings(type, muejamContract)).toContainEqual(expect.stringMatching(/ecr:BatchGetImage applies to arn:\$\{Partition\}:ecr:.*none of arn:aws:s3:::muejam-backend is one/));
  });

  it("a closed port: the database's ingress rule from the app removed", async () => {
    const broken = structuredClone(duewin);
    delete broken["duewin-prod-data"].resource!.aws_vpc_security_group_ingress_rule.rds_sg_ingress_3306_from_app;
    expect(await findings(broken, duewinContract)).toContainEqual(expect.stringMatching(/^\[network\] instance app: TCP 3306 on the database: no ingress rule on security_group-duewin-prod-data\/rds_sg_group for port 3306 from security_group-duewin-prod-compute\/app_sg_group\. Fix: rds\.connections\.allowFrom/));
  });

  describe("a load balancer's paths (MueJam: CloudFront -> ALB :443 -> app :8000)", () => {
    const compute = "muejam-prod-compute";
    const without = (type: string, name: string) => {
      const broken = structuredClone(muejam);
      delete broken[compute].resource![type][name];
      return broken;
    };

    it("the app's ingress from the ALB removed: the ALB reaches no instance, nor do its health checks", async () => {
      expect(await findings(without("aws_vpc_security_group_ingress_rule", "app_sg_ingress_8000_from_alb"), muejamContract)).toEqual([
        expect.stringMatching(
          /^\[network\] load balancer muejam-prod-alb: TCP 8000 \(traffic and health checks\) on target group muejam-prod-app, group muejam-prod-app: no ingress rule on security_group-muejam-prod-compute\/app_sg_group for port 8000 from security_group-muejam-prod-compute\/alb_sg_group\. Fix: open the instances' security group/,
        ),
      ]);
    });

    it("the ALB's egress to the VPC removed", async () => {
      expect(await findings(without("aws_vpc_security_group_egress_rule", "alb_sg_egress_8000_to_vpc"), muejamContract)).toEqual([
        expect.stringMatching(/^\[network\] load balancer muejam-prod-alb: TCP 8000 \(traffic and health checks\) on target group muejam-prod-app, group muejam-prod-app: no egress rule on security_group-muejam-prod-compute\/alb_sg_group to port 8000/),
      ]);
    });

    it("the listener's ingress from CloudFront's prefix list removed: no client reaches the HTTPS listener", async () => {
      expect(await findings(without("aws_vpc_security_group_ingress_rule", "alb_sg_ingress_443_from_cloudfront"), muejamContract)).toEqual([
        expect.stringMatching(/^\[network\] clients: TCP 443 on load balancer muejam-prod-alb \(muejam-prod-compute:aws_lb_listener\.alb_https\): no ingress rule on security_group-muejam-prod-compute\/alb_sg_group for port 443\./),
      ]);
    });

    it("clients restricted to the CIDRs the configuration names pass", async () => {
      const office = synthSystem("muejam", "prod", { muejam: { prod: { compute: { loadBalancer: { ingressFrom: "cidrs", ingressCidrs: ["203.0.113.0/24"] } } } } });
      expect(await findings(office, muejamContract)).toEqual([]);
    });

    it("the path through a listener rule: the HTTPS listener answering itself, its rule forwarding to the app", async () => {
      const viaRule = edit(muejam, compute, "aws_lb_listener", "alb_https", (c) => (c.default_action = [{ type: "fixed-response", fixed_response: { content_type: "text/plain", status_code: "404" } }]));
      viaRule[compute].resource!.aws_lb_listener_rule = {
        app: { listener_arn: "${aws_lb_listener.alb_https.arn}", priority: 1, action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.alb_tg_app.arn}" }], condition: [{ path_pattern: { values: ["/*"] } }] },
      };
      expect(await findings(viaRule, muejamContract)).toEqual([]);
      delete viaRule[compute].resource!.aws_vpc_security_group_ingress_rule.app_sg_ingress_8000_from_alb;
      expect(await findings(viaRule, muejamContract)).toEqual([expect.stringMatching(/^\[network\] load balancer muejam-prod-alb: TCP 8000 \(traffic and health checks\) on target group muejam-prod-app, group muejam-prod-app: no ingress rule/)]);
    });

    it("a weighted blue-green forward: each color's group behind its own target group", async () => {
      const weighted = synthSystem("muejam", "prod", { muejam: { prod: { compute: { services: { app: { blueGreen: { mode: "weighted", green: { imageTag: "v2" }, weights: { blue: 90, green: 10 } } } } } } } });
      expect(await findings(weighted, muejamContract)).toEqual([]);
      delete weighted[compute].resource!.aws_vpc_security_group_ingress_rule.app_sg_ingress_8000_from_alb;
      expect(await findings(weighted, muejamContract)).toEqual(
        ["blue", "green"].map((color) => expect.stringMatching(new RegExp(`^\\[network\\] load balancer muejam-prod-alb: TCP 8000 \\(traffic and health checks\\) on target group muejam-prod-app-${color}, group muejam-prod-app-${color}: no ingress rule`))),
      );
    });

    it("a target group no group of instances is registered in", async () => {
      const detached = edit(muejam, compute, "aws_autoscaling_group", "app_asg", (c) => (c.target_group_arns = []));
      expect(await findings(detached, muejamContract)).toEqual([
        expect.stringMatching(/^\[existence\] load balancer muejam-prod-alb: forward to target group muejam-prod-app on target group muejam-prod-app: no auto scaling group registers instances in it/),
      ]);
    });

    it("a health check on a port of its own needs that port open too", async () => {
      const ownPort = edit(muejam, compute, "aws_lb_target_group", "alb_tg_app", (c) => (c.health_check = { ...(c.health_check as object), port: "8081" }));
      const out = await findings(ownPort, muejamContract);
      expect(out).toEqual([
        expect.stringMatching(/^\[network\] load balancer muejam-prod-alb: TCP 8081 \(health checks\) on target group muejam-prod-app, group muejam-prod-app: no egress rule/),
        expect.stringMatching(/^\[network\] load balancer muejam-prod-alb: TCP 8081 \(health checks\) on target group muejam-prod-app, group muejam-prod-app: no ingress rule/),
      ]);
    });
  });

  it("an NLB's paths: each blue-green group behind Joblet's NLB, and the clients (from anywhere)", async () => {
    const joblet = synthSystem("joblet", "prod");
    const jobletContract = SYSTEMS.joblet.contract("prod");
    expect(await findings(joblet, jobletContract)).toEqual([]);
    const noTargets = structuredClone(joblet);
    delete noTargets["joblet-prod-compute"].resource!.aws_vpc_security_group_ingress_rule.app_sg_ingress_443_from_nlb;
    expect(await findings(noTargets, jobletContract)).toEqual(
      ["blue", "green"].map((color) => expect.stringMatching(new RegExp(`^\\[network\\] load balancer joblet-prod-nlb: TCP 443 \\(traffic and health checks\\) on target group joblet-prod-app, group joblet-prod-app-${color}: no ingress rule on security_group-joblet-prod-compute/app_sg_group`))),
    );
    const noClients = structuredClone(joblet);
    delete noClients["joblet-prod-compute"].resource!.aws_vpc_security_group_ingress_rule.nlb_sg_ingress_443_from_anywhere;
    expect(await findings(noClients, jobletContract)).toEqual([expect.stringMatching(/^\[network\] clients: TCP 443 on load balancer joblet-prod-nlb/)]);
  });

  it("no route to AWS APIs: a private subnet without its NAT route", async () => {
    const broken = structuredClone(muejam);
    delete broken["muejam-prod-network"].resource!.aws_route["network_private_nat_us-east-1a"];
    expect(await findings(broken, muejamContract)).toContainEqual(expect.stringMatching(/^\[network\] instance app: HTTPS 443 on AWS APIs: subnet subnet-muejam-prod-network\/network_private_us-east-1a has no route to AWS APIs/));
  });

  it("a placeholder certificate on the HTTPS listener", async () => {
    const broken = edit(muejam, "muejam-prod-compute", "aws_lb_listener", "alb_https", (c) => (c.certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"));
    expect(await findings(broken, muejamContract)).toEqual([expect.stringMatching(/^\[existence\] system: listener muejam-prod-compute:aws_lb_listener.alb_https on certificate .*: a placeholder ARN/)]);
  });

  it("a role that runs the system's software without a contract", async () => {
    const none: SystemContract = { principals: [] };
    expect(await findings(muejam, none)).toEqual([expect.stringMatching(/^\[least-privilege\] role muejam-prod-app: run the system's software on instance profile muejam-prod-app: no contract principal declares what it needs/)]);
  });

  it("a boot script naming a secret that does not exist", async () => {
    const broken = edit(muejam, "muejam-prod-storage", "aws_secretsmanager_secret", "secrets_secret_muejam_backend", (c) => (c.name = "muejam/renamed"));
    const out = await findings(broken, muejamContract);
    expect(out).toContainEqual(expect.stringMatching(/^\[existence\] system|instance app: boot script reads secret on muejam\/backend: nothing creates it/));
    expect(out).toContainEqual(expect.stringMatching(/^\[existence\] instance app: read or write on secret muejam\/backend: no stack creates the secret/));
  });

  describe("a Redis password user (Duewin's REDIS_URL)", () => {
    const withoutRedisSecret: SystemContract = {
      ...duewinContract,
      principals: [{ ...duewinContract.principals[0], flows: duewinContract.principals[0].flows.filter((f) => !(f.kind === "secret-read" && "name" in f.secret && f.secret.name === "duewin/redis")) }],
    };

    it("a password the app can't read: the contract drops the secret holding it", async () => {
      const out = await findings(duewin, withoutRedisSecret);
      expect(out).toContainEqual(expect.stringMatching(/^\[auth\] instance app: AUTH as duewin-prod-redis-app on secret duewin\/redis: the user's password is in this secret, but the contract never reads it\. Fix: add a secret-read of duewin\/redis/));
      // Its grant is then one no flow needs.
      expect(out).toContainEqual(expect.stringMatching(/^\[least-privilege\] instance app: secretsmanager:GetSecretValue on .*secret:duewin\/redis-AbCdEf: granted by/));
    });

    it("a password the app never gets: the boot script doesn't read the secret holding it", async () => {
      const broken = editBootScript(duewin, "duewin-prod-compute", "app_user_data", "--secret-id 'duewin/redis'", "--secret-id 'duewin/backend'");
      expect(await findings(broken, duewinContract)).toEqual([expect.stringMatching(/^\[auth\] instance app: AUTH as duewin-prod-redis-app on secret duewin\/redis: .*the boot script never reads it into the app's environment\. Fix: add duewin\/redis to compute\.services\.app\.app\.secrets/)]);
    });

    it("a password no secret holds, a URL without TLS, and a user without a password", async () => {
      // Each finding holds for both of its principals: the web servers and the game scheduler.
      const both = (finding: string) => ["app", "scheduler"].map((s) => expect.stringMatching(new RegExp(`^\\[auth\\] instance ${s}: ${finding}`)));
      const noVersion = structuredClone(duewin);
      delete noVersion["duewin-prod-data"].resource!.aws_secretsmanager_secret_version;
      expect(await findings(noVersion, duewinContract)).toEqual(both("AUTH as duewin-prod-redis-app on the cache: no secret value written by a stack holds the user's password, so the app can't learn it"));
      const plain = edit(duewin, "duewin-prod-data", "aws_secretsmanager_secret_version", "redis_user_app_url", replaceIn("secret_string_wo", "rediss://", "redis://"));
      expect(await findings(plain, duewinContract)).toEqual(both("AUTH as duewin-prod-redis-app on secret duewin/redis: the URL holding the password is not rediss:// \\(TLS\\)"));
      const disabled = edit(duewin, "duewin-prod-data", "aws_elasticache_user", "redis_user_app", (c) => (c.authentication_mode = { type: "no-password-required" }));
      expect(await findings(disabled, duewinContract)).toContainEqual(expect.stringMatching(/^\[auth\] instance app: AUTH as duewin-prod-redis-app on the cache: the user authenticates with no-password-required, the app with password/));
    });
  });

  describe("pods with an AWS identity (EKS Pod Identity)", () => {
    let ode: Stacks;
    const odeContract = SYSTEMS.ode.contract("prod");

    beforeAll(() => {
      ode = synthSystem("ode", "prod");
    });

    it("proves every flow of every pod (ODE passes), and fails a pod without an association", async () => {
      expect(await findings(ode, odeContract)).toEqual([]);
      const broken = structuredClone(ode);
      delete broken["ode-prod-eks"].resource!.aws_eks_pod_identity_association.pod_worker_association;
      const out = await findings(broken, odeContract);
      expect(out).toContainEqual(expect.stringMatching(/^\[iam\] pod worker: any AWS call on service account ode\/ode-worker: the pod has no AWS identity/));
    });

    it("fails a pod whose role lacks a grant, and one whose role grants too much", async () => {
      const without = edit(ode, "ode-prod-eks", "aws_iam_role_policy", "pod_api_role_policy", replaceIn("policy", '"s3:GetObject", "s3:PutObject", ', '"s3:GetObject", '));
      expect(await findings(without, odeContract)).toEqual([expect.stringMatching(/^\[iam\] pod api: s3:PutObject on arn:aws:s3:::ode-prod-documents-\d{12}\/stand-in-object: no identity policy of the role allows it \(needed to write documents\)/)]);
      const extra = edit(ode, "ode-prod-eks", "aws_iam_role_policy", "pod_api_role_policy", replaceIn("policy", '"Action" = ["s3:GetObject"]', '"Action" = ["s3:GetObject", "s3:PutObject"]'));
      expect(await findings(extra, odeContract)).toContainEqual(expect.stringMatching(/^\[least-privilege\] pod api: s3:PutObject on arn:aws:s3:::ode-prod-exports-\d{12}\/\*: granted by .*\(ReadS3Exports\) but no contract flow needs it/));
    });

    it("a copied credential: the pod loses the master secret's ARN", async () => {
      const broken = edit(ode, "ode-prod-workloads", "kubernetes_deployment_v1", "workloads_api_deployment", (c) => {
        const container = ((c.spec as { template: { spec: { container: { env: { name: string }[] }[] } } }).template.spec.container)[0];
        container.env = container.env.filter((e) => e.name !== "DATABASE_SECRET_ARN");
      });
      expect(await findings(broken, odeContract)).toEqual([expect.stringMatching(/^\[stale-credential\] pod api: re-read on rotation via DATABASE_SECRET_ARN on the database's master secret/)]);
    });

    describe("an add-on's identity (the container logs' pod_identity_association)", () => {
      const principal = "service account amazon-cloudwatch/cloudwatch-agent";
      const withoutLogShipper: SystemContract = { ...odeContract, principals: odeContract.principals.filter((p) => p.principal.kind !== "service-account" || p.principal.namespace !== "amazon-cloudwatch") };

      it("is found through the add-on's block, and its role must belong to a contract", async () => {
        expect(await findings(ode, withoutLogShipper)).toEqual([
          expect.stringMatching(/^\[least-privilege\] role ode-prod-eks-container-logs: run the system's software on pod identity of amazon-cloudwatch\/cloudwatch-agent \(add-on amazon-cloudwatch-observability\)/),
        ]);
        const unbound = edit(ode, "ode-prod-eks", "aws_eks_addon", "eks_container_logs_addon", (c) => delete c.pod_identity_association);
        expect(await findings(unbound, odeContract)).toEqual([expect.stringMatching(new RegExp(`^\\[iam\\] ${principal}: any AWS call on service account amazon-cloudwatch/cloudwatch-agent: no EKS Pod Identity association gives it a role`))]);
      });

      it("must write each of its log groups, and may do nothing its flows do not need", async () => {
        const readOnly = edit(ode, "ode-prod-eks", "aws_iam_role_policy", "eks_container_logs_role_policy", replaceIn("policy", '"logs:CreateLogStream", "logs:PutLogEvents", ', '"logs:CreateLogStream", '));
        const out = await findings(readOnly, odeContract);
        expect(out).toHaveLength(4);
        expect(out).toContainEqual(expect.stringMatching(new RegExp(`^\\[iam\\] ${principal}: logs:PutLogEvents on arn:aws:logs:us-east-1:\\d{12}:log-group:/aws/containerinsights/ode-prod-cluster/application:log-stream:stand-in: no identity policy of the role allows it`)));
        const creates = edit(ode, "ode-prod-eks", "aws_iam_role_policy", "eks_container_logs_role_policy", replaceIn("policy", '"logs:CreateLogStream", ', '"logs:CreateLogGroup", "logs:CreateLogStream", '));
        expect(await findings(creates, odeContract)).toContainEqual(expect.stringMatching(new RegExp(`^\\[least-privilege\\] ${principal}: logs:CreateLogGroup on arn:aws:logs:us-east-1:\\d{12}:log-group:/aws/containerinsights/ode-prod-cluster/application: granted by .*\\(WriteContainerLogGroups\\) but no contract flow needs it`)));
      });

      it("takes only read-only actions on \"*\" in a describe flow", async () => {
        const writes: SystemContract = {
          ...odeContract,
          principals: odeContract.principals.map((p) =>
            p.principal.kind === "service-account" && p.principal.namespace === "amazon-cloudwatch" ? { ...p, flows: [...p.flows, { kind: "describe" as const, actions: ["ec2:CreateTags", "ec2:DescribeTagz"] }] } : p,
          ),
        };
        const out = await findings(ode, writes);
        expect(out).toContainEqual(expect.stringMatching(new RegExp(`^\\[policy\\] ${principal}: ec2:CreateTags on \\*: access level .*, on resources of its own: a describe flow takes read-only actions on "\\*" only`)));
        expect(out).toContainEqual(expect.stringMatching(new RegExp(`^\\[policy\\] ${principal}: ec2:DescribeTagz on \\*: no such action in AWS's service authorization reference`)));
      });
    });
  });
});
