import { ConfigError, ConfigErrors } from "../../src/lib/errors";
import { resolveSystemConfig } from "../../src/config/resolve";
import { SystemConfigInput } from "../../src/config/system-config";
import { ode } from "../../src/systems/ode";
import { harnessInputs } from "../harness/inputs";

/** The one problem resolving `layer` over ODE's dev preset reports. */
function problem(layer: SystemConfigInput, preset: SystemConfigInput = ode.preset("dev")): ConfigError {
  try {
    resolveSystemConfig("dev", preset, layer);
  } catch (e) {
    if (e instanceof ConfigErrors) {
      expect(e.errors).toHaveLength(1);
      return e.errors[0];
    }
    throw e;
  }
  throw new Error("expected the configuration to be rejected");
}

describe("ODE's workloads preset", () => {
  const { workloads } = resolveSystemConfig("prod", ode.preset("prod"), harnessInputs(ode.name, "prod"));
  const apps = workloads!.apps;

  it("serves HTTPS outside dev (the certificate is a required input: the preset's rules name no host to discover one by), plain HTTP in dev", () => {
    expect(workloads!.ingress).toMatchObject({ https: true, scheme: "internet-facing", certificateArn: harnessInputs(ode.name, "prod").workloads!.ingress!.certificateArn });
    expect(resolveSystemConfig("staging", ode.preset("staging"), harnessInputs(ode.name, "staging")).workloads!.ingress!.https).toBe(true);
    expect(resolveSystemConfig("dev", ode.preset("dev")).workloads!.ingress!.https).toBe(false);
  });

  it("runs api, worker and viewer in namespace ode, each with the AWS access it needs and no copied credential", () => {
    expect(workloads!.namespace).toBe("ode");
    expect(Object.keys(apps).sort()).toEqual(["api", "viewer", "worker"]);
    expect(apps.api.aws).toEqual({ buckets: { documents: "read_write", exports: "read", fonts: "read" }, database: true, redis: true });
    expect(apps.worker.aws).toEqual({ buckets: { documents: "read", exports: "read_write", fonts: "read" }, database: true, redis: true });
    expect(apps.viewer.aws).toEqual({ buckets: { fonts: "read" }, database: false, redis: false });
    for (const app of Object.values(apps)) expect(app.secretEnv).toEqual({});
  });

  it("exposes metrics on 9090", () => {
    for (const app of Object.values(apps)) expect(app.metricsPort).toBe(9090);
  });

  it("scales the API 2-10 on CPU 70 % or memory 80 %: up 100 % per 60 s, down 50 % per 60 s after 5 min", () => {
    expect(apps.api.autoscaling).toEqual({
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: "cpu", averageUtilization: 70 },
        { type: "memory", averageUtilization: 80 },
      ],
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: "Max", policies: [{ type: "Percent", value: 100, periodSeconds: 60 }] },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: "Max", policies: [{ type: "Percent", value: 50, periodSeconds: 60 }] },
    });
  });

  it("scales the worker 2-20 on queue depth > 100: up 100 % per 30 s but at most 4 pods, down 50 % per 60 s after 10 min", () => {
    expect(apps.worker.autoscaling).toEqual({
      minReplicas: 2,
      maxReplicas: 20,
      metrics: [{ type: "external", name: "redis_queue_depth", value: "100" }],
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Min",
        policies: [
          { type: "Percent", value: 100, periodSeconds: 30 },
          { type: "Pods", value: 4, periodSeconds: 30 },
        ],
      },
      scaleDown: { stabilizationWindowSeconds: 600, selectPolicy: "Max", policies: [{ type: "Percent", value: 50, periodSeconds: 60 }] },
    });
  });

  it("gives the worker 120 s to finish its jobs after SIGTERM, and no HTTP port", () => {
    expect(apps.worker.terminationGracePeriodSeconds).toBe(120);
    expect(apps.worker.port).toBeNull();
    expect(apps.api.terminationGracePeriodSeconds).toBe(30);
  });
});

describe("workloads config rejects, naming the key, the value and the fix,", () => {
  const hpa = (over: object) => ({ workloads: { apps: { api: { autoscaling: over } } } }) as SystemConfigInput;

  it("an HPA whose minReplicas exceeds maxReplicas", () => {
    const e = problem(hpa({ minReplicas: 12 }));
    expect(e.key).toBe("workloads.apps.api.autoscaling.minReplicas");
    expect(e.problem).toMatch(/greater than maxReplicas \(10\)/);
  });

  it("an unknown metric, listing the known ones", () => {
    const e = problem(hpa({ metrics: [{ type: "requests", averageUtilization: 70 }] }));
    expect(e.key).toBe("workloads.apps.api.autoscaling.metrics[0].type");
    expect(e.value).toBe("requests");
    expect(e.fix).toBe('use one of "cpu", "memory", "external"');
  });

  it("a utilization metric without its target", () => {
    const e = problem(hpa({ metrics: [{ type: "cpu" }] }));
    expect(e.key).toBe("workloads.apps.api.autoscaling.metrics[0].averageUtilization");
  });

  it("a utilization metric on a resource the app does not request", () => {
    const preset: SystemConfigInput = {
      project: "acme",
      region: "us-east-1",
      eks: {},
      workloads: {
        apps: {
          api: {
            resources: { requests: { memory: "256Mi" } },
            autoscaling: {
              minReplicas: 2,
              maxReplicas: 4,
              metrics: [{ type: "cpu", averageUtilization: 70 }],
              scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
              scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
            },
          },
        },
      },
    };
    const e = problem({}, preset);
    expect(e.key).toBe("workloads.apps.api.autoscaling.metrics[0]");
    expect(e.problem).toMatch(/requests no cpu/);
    expect(e.fix).toBe("set resources.requests.cpu");
  });

  it("an external metric with no name", () => {
    const e = problem(hpa({ metrics: [{ type: "external", value: "100" }] }));
    expect(e.key).toBe("workloads.apps.api.autoscaling.metrics[0].name");
  });

  it("an external metric with both a total and a per-pod target", () => {
    const e = problem(hpa({ metrics: [{ type: "external", name: "redis_queue_depth", value: "100", averageValue: "10" }] }));
    expect(e.key).toBe("workloads.apps.api.autoscaling.metrics[0]");
    expect(e.problem).toMatch(/exactly one target/);
  });

  it("a metric listed twice", () => {
    const e = problem(hpa({ metrics: [{ type: "cpu", averageUtilization: 70 }, { type: "cpu", averageUtilization: 80 }] }));
    expect(e.key).toBe("workloads.apps.api.autoscaling.metrics[1]");
  });

  it("a scaling policy of an unknown kind", () => {
    const e = problem(hpa({ scaleUp: { policies: [{ type: "Nodes", value: 1, periodSeconds: 60 }] } }));
    expect(e.key).toBe("workloads.apps.api.autoscaling.scaleUp.policies[0].type");
  });

  it("a secret given as a plain environment variable, without echoing it", () => {
    const e = problem({ workloads: { apps: { api: { env: { DATABASE_PASSWORD: "hunter2" } } } } });
    expect(e.key).toBe("workloads.apps.api.env.DATABASE_PASSWORD");
    expect(e.message).not.toMatch(/hunter2/);
    expect(e.fix).toMatch(/secretEnv/);
  });

  it("credentials embedded in a URL", () => {
    const e = problem({ workloads: { apps: { worker: { env: { QUEUE: "redis://default:s3cret@redis:6379" } } } } });
    expect(e.key).toBe("workloads.apps.worker.env.QUEUE");
    expect(e.message).not.toMatch(/s3cret/);
  });

  it("a secretEnv key a Secret cannot have", () => {
    const e = problem({ workloads: { apps: { api: { secretEnv: { DATABASE_URL: "database url" } } } } });
    expect(e.key).toBe("workloads.apps.api.secretEnv.DATABASE_URL");
  });

  it("a node pool the cluster does not have", () => {
    const e = problem({ workloads: { apps: { api: { nodePool: "gpu" } } } });
    expect(e.key).toBe("workloads.apps.api.nodePool");
    expect(e.fix).toMatch(/system, worker/);
  });

  it("metrics on the HTTP port", () => {
    const e = problem({ workloads: { apps: { api: { metricsPort: 8080 } } } });
    expect(e.key).toBe("workloads.apps.api.metricsPort");
  });

  it("an ingress rule for an app that does not exist", () => {
    const e = problem({ workloads: { ingress: { rules: [{ app: "admin" }] } } });
    expect(e.key).toBe("workloads.ingress.rules[0].app");
    expect(e.fix).toMatch(/api, worker, viewer/);
  });

  it("an ingress rule for an app with no HTTP port", () => {
    const e = problem({ workloads: { ingress: { rules: [{ app: "worker" }] } } });
    expect(e.key).toBe("workloads.ingress.rules[0].app");
    expect(e.problem).toMatch(/no HTTP port/);
  });

  it("an image tag Docker would refuse", () => {
    const e = problem({ workloads: { imageTag: "v1 final" } });
    expect(e.key).toBe("workloads.imageTag");
  });

  it("plain HTTP on an internet-facing Ingress outside dev", () => {
    expect(() => resolveSystemConfig("prod", ode.preset("prod"), { workloads: { ingress: { https: false } } })).toThrow(/workloads\.ingress\.https = false[\s\S]*plain HTTP in prod/);
    expect(() => resolveSystemConfig("staging", ode.preset("staging"), { workloads: { ingress: { https: false } } })).toThrow(/plain HTTP in staging/);
    expect(resolveSystemConfig("prod", ode.preset("prod"), { accountId: harnessInputs(ode.name, "prod").accountId, eks: harnessInputs(ode.name, "prod").eks, workloads: { imageTag: "1.0.0", ingress: { https: false, scheme: "internal" } } }).workloads!.ingress!.https).toBe(false);
  });

  it("HTTPS with neither a certificate nor a host to discover one by", () => {
    expect(() => resolveSystemConfig("prod", ode.preset("prod"), { workloads: { ingress: { rules: [{ app: "viewer" }] } } })).toThrow(/workloads\.ingress\.certificateArn[\s\S]*cannot discover a certificate/);
  });

  it("a certificate with HTTPS turned off", () => {
    const e = problem({ workloads: { ingress: { https: false, certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab" } } });
    expect(e.key).toBe("workloads.ingress.https");
  });

  it("workloads without a cluster to run on", () => {
    const e = problem({}, { project: "acme", region: "us-east-1", workloads: {} });
    expect(e.key).toBe("workloads");
    expect(e.problem).toMatch(/needs an EKS cluster/);
  });
});
