import { ConfigError, ConfigErrors } from "../../src/lib/errors";
import { resolveSystemConfig } from "../../src/config/resolve";
import { SystemConfigInput } from "../../src/config/system-config";
import { ode } from "../../src/systems/ode";
import { harnessInputs } from "../harness/inputs";
import { planHarness } from "../harness/synth";

/** The problems resolving `layer` over ODE's prod preset reports, or fails if it resolves. */
function problems(layer: SystemConfigInput): ConfigError[] {
  try {
    resolveSystemConfig("prod", ode.preset("prod"), harnessInputs(ode.name, "prod"), layer);
  } catch (e) {
    if (e instanceof ConfigErrors) return [...e.errors];
    throw e;
  }
  throw new Error("expected the configuration to be rejected");
}

/** The one problem reported for `layer`. */
function problem(layer: SystemConfigInput): ConfigError {
  const found = problems(layer);
  expect(found).toHaveLength(1);
  return found[0];
}

describe("ODE's EKS preset", () => {
  const dev = resolveSystemConfig("dev", ode.preset("dev"), harnessInputs(ode.name, "dev"));
  const prod = resolveSystemConfig("prod", ode.preset("prod"), harnessInputs(ode.name, "prod"));

  it("is Kubernetes 1.35 (the document's 1.29 is past EKS support) with 2 system nodes (t3.medium) and 3 worker nodes (t3.large)", () => {
    expect(prod.eks!.version).toBe("1.35");
    expect(prod.eks!.nodeGroups.system).toMatchObject({ instanceTypes: ["t3.medium"], desiredSize: 2, minSize: 2 });
    expect(prod.eks!.nodeGroups.worker).toMatchObject({ instanceTypes: ["t3.large"], desiredSize: 3, minSize: 3 });
  });

  it("keeps the system pool for cluster add-ons with a CriticalAddonsOnly taint", () => {
    expect(prod.eks!.nodeGroups.system.taints).toEqual([{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }]);
    expect(prod.eks!.nodeGroups.worker.taints).toEqual([]);
  });

  it("keeps control-plane logs 30 days in dev and 365 in prod, and sends all five types", () => {
    expect(dev.eks!.logRetentionInDays).toBe(30);
    expect(prod.eks!.logRetentionInDays).toBe(365);
    expect(prod.eks!.logTypes).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
  });

  it("names the cluster as the network preset tags the subnets", () => {
    expect(prod.network.eksClusterNames).toEqual(["ode-prod-cluster"]);
  });

  it("lets an override change one node group and keep the rest", () => {
    const config = resolveSystemConfig("prod", ode.preset("prod"), harnessInputs(ode.name, "prod"), { eks: { nodeGroups: { worker: { desiredSize: 5 } } } });
    expect(config.eks!.nodeGroups.worker).toMatchObject({ instanceTypes: ["t3.large"], desiredSize: 5, maxSize: 10 });
    expect(config.eks!.nodeGroups.system.desiredSize).toBe(2);
  });

  it("removes an add-on set to null", () => {
    const config = resolveSystemConfig("prod", ode.preset("prod"), harnessInputs(ode.name, "prod"), { eks: { addons: { "metrics-server": null } } });
    expect(config.eks!.addons["metrics-server"]).toBeNull();
    expect(config.eks!.addons["vpc-cni"]).toEqual({});
  });

  it("fills the documented defaults of an eks block given alone", () => {
    const config = resolveSystemConfig("dev", { project: "acme", region: "us-east-1", eks: {} });
    expect(config.eks).toMatchObject({
      version: "1.35",
      supportType: "EXTENDED",
      authenticationMode: "API_AND_CONFIG_MAP",
      endpoint: { privateAccess: true, publicAccess: true, publicAccessCidrs: ["0.0.0.0/0"], privateAccessCidrs: [] },
      nodeGroups: { system: { instanceTypes: ["t3.medium"], desiredSize: 2 }, worker: { instanceTypes: ["t3.large"], desiredSize: 3 } },
    });
    expect(Object.keys(config.eks!.addons).sort()).toEqual(["coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
  });

  it("makes the API endpoint private by default outside dev, public in dev", () => {
    expect(resolveSystemConfig("prod", ode.preset("prod"), harnessInputs(ode.name, "prod")).eks!.endpoint).toMatchObject({ privateAccess: true, publicAccess: false });
    expect(resolveSystemConfig("staging", ode.preset("staging"), harnessInputs(ode.name, "staging")).eks!.endpoint).toMatchObject({ privateAccess: true, publicAccess: false });
    expect(resolveSystemConfig("dev", ode.preset("dev")).eks!.endpoint).toMatchObject({ publicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] });
  });

  it("accepts a public endpoint outside dev restricted to listed CIDRs", () => {
    const config = resolveSystemConfig("prod", ode.preset("prod"), harnessInputs(ode.name, "prod"), { eks: { endpoint: { publicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } } });
    expect(config.eks!.endpoint).toMatchObject({ publicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
  });

  it("builds no EKS stacks for a system without eks", () => {
    const [system] = planHarness({ systems: ["muejam"], environments: ["dev"] });
    expect(system.config.eks).toBeUndefined();
    expect(system.config.workloads).toBeUndefined();
  });
});

describe("eks config rejects, naming the key, the value and the fix,", () => {
  it("a Kubernetes version EKS does not run", () => {
    const e = problem({ eks: { version: "1.22" } });
    expect(e.key).toBe("eks.version");
    expect(e.value).toBe("1.22");
    expect(e.message).toMatch(/ode\/prod: eks.version = "1.22"/);
    expect(e.problem).toMatch(/not a Kubernetes version EKS supports/);
    expect(e.fix).toMatch(/1\.29, 1\.30/);
  });

  it("a node group whose minSize exceeds maxSize", () => {
    const e = problem({ eks: { nodeGroups: { worker: { minSize: 6, maxSize: 4, desiredSize: 5 } } } });
    expect(e.key).toBe("eks.nodeGroups.worker.minSize");
    expect(e.problem).toMatch(/greater than maxSize \(4\)/);
  });

  it("a desired size outside minSize..maxSize", () => {
    const e = problem({ eks: { nodeGroups: { system: { desiredSize: 9 } } } });
    expect(e.key).toBe("eks.nodeGroups.system.desiredSize");
    expect(e.problem).toMatch(/outside minSize\.\.maxSize \(2\.\.4\)/);
  });

  it("a node group with no instance type", () => {
    const e = problem({ eks: { nodeGroups: { worker: { instanceTypes: [] } } } });
    expect(e.key).toBe("eks.nodeGroups.worker.instanceTypes");
  });

  it("an instance type of the wrong architecture for the AMI", () => {
    const e = problem({ eks: { nodeGroups: { worker: { instanceTypes: ["t4g.large"] } } } });
    expect(e.key).toBe("eks.nodeGroups.worker.instanceTypes[0]");
    expect(e.problem).toMatch(/ARM \(Graviton\).*AL2023_x86_64_STANDARD/);
  });

  it.each(["m7g.large", "c7gn.xlarge", "r6gd.large", "is4gen.large", "a1.large"])("%s is ARM: refused with the x86 AMI", (type) => {
    expect(problem({ eks: { nodeGroups: { worker: { instanceTypes: [type] } } } }).problem).toMatch(/is an ARM \(Graviton\) instance type/);
  });

  it.each(["t3.large", "m7i.large", "g5.xlarge", "c5n.large"])("%s is x86: refused with an ARM AMI", (type) => {
    expect(problem({ eks: { nodeGroups: { worker: { instanceTypes: [type], amiType: "AL2023_ARM_64_STANDARD" } } } }).problem).toMatch(/is an x86 instance type/);
  });

  it("a node group name AWS or the construct ids would not take", () => {
    const e = problem({ eks: { nodeGroups: { Workers_1: { instanceTypes: ["t3.large"], minSize: 1, maxSize: 2, desiredSize: 1 } } } });
    expect(e.key).toBe("eks.nodeGroups.Workers_1");
  });

  it("the node-pool label, which is set from the group's name", () => {
    const e = problem({ eks: { nodeGroups: { worker: { labels: { "node-pool": "apps" } } } } });
    expect(e.key).toBe("eks.nodeGroups.worker.labels.node-pool");
  });

  it("no node group at all", () => {
    expect(() => resolveSystemConfig("dev", { project: "acme", region: "us-east-1", eks: { nodeGroups: {} } })).toThrow(
      /eks.nodeGroups = \{\}\n  Problem: is empty, so no pod could run/,
    );
  });

  it("turning off both API endpoints", () => {
    const e = problem({ eks: { endpoint: { privateAccess: false, publicAccess: false } } });
    expect(e.key).toBe("eks.endpoint");
  });

  it("a public endpoint nobody may reach", () => {
    const e = problem({ eks: { endpoint: { publicAccess: true, publicAccessCidrs: [] } } });
    expect(e.key).toBe("eks.endpoint.publicAccessCidrs");
  });

  it("a public endpoint open to 0.0.0.0/0 outside dev, naming the fix", () => {
    const e = problem({ eks: { endpoint: { publicAccess: true } } });
    expect(e.key).toBe("eks.endpoint.publicAccessCidrs");
    expect(e.message).toMatch(/opens the public Kubernetes API endpoint to the whole internet in prod/);
    expect(e.message).toMatch(/"publicAccess": false/);
    expect(() => resolveSystemConfig("staging", ode.preset("staging"), harnessInputs(ode.name, "staging"), { eks: { endpoint: { publicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } } })).toThrow(/whole internet in staging/);
  });

  it("a malformed public access CIDR, suggesting the corrected block", () => {
    const e = problem({ eks: { endpoint: { publicAccessCidrs: ["203.0.113.7/24"] } } });
    expect(e.key).toBe("eks.endpoint.publicAccessCidrs[0]");
    expect(e.fix).toMatch(/203\.0\.113\.0\/24/);
  });

  it("an admin that is not an IAM principal ARN", () => {
    const e = problem({ eks: { adminPrincipalArns: ["admin@example.com"] } });
    expect(e.key).toBe("eks.adminPrincipalArns[0]");
  });

  it("an unknown control-plane log type", () => {
    const e = problem({ eks: { logTypes: ["api", "kubelet" as never] } });
    expect(e.key).toBe("eks.logTypes[1]");
    expect(e.fix).toMatch(/"controllerManager"/);
  });

  it("an infinite log retention", () => {
    const e = problem({ eks: { logRetentionInDays: 0 as never } });
    expect(e.key).toBe("eks.logRetentionInDays");
  });

  it("an add-on version that is not an EKS build", () => {
    const e = problem({ eks: { addons: { coredns: { version: "1.11" } } } });
    expect(e.key).toBe("eks.addons.coredns.version");
  });

  it("a misspelled key, suggesting the right one", () => {
    const e = problem({ eks: { nodeGroup: {} } as never });
    expect(e.key).toBe("eks.nodeGroup");
    expect(e.fix).toMatch(/did you mean "nodeGroups"/);
  });
});
