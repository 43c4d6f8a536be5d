import { algoitny } from "../../src/systems/algoitny";
import { harnessInputs } from "../harness/inputs";
import { DEFAULT_TLS_POLICY } from "../../src/constructs/alb/settings";
import { ContainerAppConfigSchema } from "../../src/constructs/asg/settings";
import { ConfigError, ConfigErrors } from "../../src/lib/errors";
import { Overrides } from "../../src/config/overrides";
import { SystemConfigInput } from "../../src/config/system-config";
import { planHarness } from "../harness/synth";

/** Plans one system in one environment with `layer` as the user's override. */
function plan(system: string, environment: string, layer: SystemConfigInput) {
  const overrides: Overrides = { [system]: { [environment]: layer } };
  return planHarness({ systems: [system], environments: [environment] }, overrides)[0].config;
}

/**
 * The single ConfigError that planning with `layer` raises, leaving out the edge layer's: its checks run
 * too, and report what a compute change means for CloudFront (tested in edge-config.test.ts).
 */
function configError(system: string, environment: string, layer: SystemConfigInput): ConfigError {
  try {
    plan(system, environment, layer);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigErrors);
    const errors = (e as ConfigErrors).errors.filter((error) => !error.key.startsWith("edge."));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ConfigError);
    return errors[0];
  }
  throw new Error("expected a ConfigError");
}

const muejamApp = (service: Record<string, unknown>): SystemConfigInput => ({ compute: { services: { app: service } } } as SystemConfigInput);

describe("compute configuration defaults", () => {
  it("fills MueJam's target group numbers and the default TLS policy", () => {
    const config = plan("muejam", "prod", {});
    const app = config.compute.services.app;
    expect(app.targetGroup.healthCheck).toEqual({ path: "/health", intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3 });
    expect(app.targetGroup.deregistrationDelaySeconds).toBe(60);
    expect(app.targetGroup.stickiness.durationSeconds).toBe(86400);
    expect(config.compute.loadBalancer!.tls.sslPolicy).toBe(DEFAULT_TLS_POLICY);
    expect(app.instanceRefresh.minHealthyPercentage).toBe(50);
    expect(app.imageId).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
  });

  it("keeps app logs 30 days in dev and 90 in prod", () => {
    expect(plan("duewin", "dev", {}).compute.logRetentionInDays).toBe(30);
    expect(plan("duewin", "prod", {}).compute.logRetentionInDays).toBe(90);
  });

  it("opts dev out of TLS explicitly, and turns it on in prod with no made-up certificate", () => {
    expect(plan("muejam", "dev", {}).compute.loadBalancer!.tls.enabled).toBe(false);
    expect(algoitny.preset("prod").compute?.loadBalancer).toMatchObject({ tls: { enabled: true } });
    expect(JSON.stringify(algoitny.preset("prod"))).not.toMatch(/arn:aws:acm/);
    const prod = plan("algoitny", "prod", {}).compute.loadBalancer!.tls;
    expect(prod.enabled).toBe(true);
    expect(prod.certificateArn).toBe(harnessInputs("algoitny", "prod").compute?.loadBalancer?.tls?.certificateArn);
  });

  it("has no compute for ODE", () => {
    expect(plan("ode", "prod", {}).compute).toEqual({ loadBalancer: null, services: {}, logRetentionInDays: 90 });
  });
});

describe("invalid compute configuration", () => {
  it("rejects minSize above maxSize", () => {
    const e = configError("muejam", "dev", muejamApp({ minSize: 5, maxSize: 3, desiredCapacity: 3 }));
    expect(e.key).toBe("compute.services.app.minSize");
    expect(e.message).toMatch(/is greater than maxSize \(3\)/);
  });

  it("rejects a desired capacity outside [minSize, maxSize]", () => {
    expect(configError("muejam", "dev", muejamApp({ desiredCapacity: 11 })).message).toMatch(/desiredCapacity = 11\n  Problem: is outside \[minSize, maxSize\] = \[2, 10\]/);
    expect(configError("muejam", "dev", muejamApp({ desiredCapacity: 1 })).key).toBe("compute.services.app.desiredCapacity");
  });

  it("rejects a blue-green color's capacity outside its own range", () => {
    const e = configError("joblet", "dev", muejamApp({ blueGreen: { green: { minSize: 0, maxSize: 2, desiredCapacity: 3 } } }));
    expect(e.key).toBe("compute.services.app.blueGreen.green.desiredCapacity");
  });

  it.each([
    ["the service port", muejamApp({ port: 70000 }), "compute.services.app.port"],
    ["port 0", muejamApp({ port: 0 }), "compute.services.app.port"],
    ["the container port", muejamApp({ app: { type: "container", repository: "muejam-backend", containerPort: 65536 } }), "compute.services.app.app.containerPort"],
    ["the NLB port", { compute: { loadBalancer: { port: -1 } } }, "compute.loadBalancer.port"],
  ])("rejects %s outside 1-65535", (_, layer, key) => {
    const e = configError(key.includes("loadBalancer") ? "joblet" : "muejam", "dev", layer as SystemConfigInput);
    expect(e.key).toBe(key);
    expect(e.message).toMatch(/is not a port number; ports are 1 to 65535/);
  });

  it("rejects a TLS policy that is not on the allow-list", () => {
    const e = configError("muejam", "prod", { compute: { loadBalancer: { tls: { sslPolicy: "ELBSecurityPolicy-2016-08" as never } } } });
    expect(e.key).toBe("compute.loadBalancer.tls.sslPolicy");
    expect(e.message).toMatch(/is not an accepted value/);
    expect(e.fix).toMatch(/ELBSecurityPolicy-TLS13-1-2-2021-06/);
  });

  it("rejects HTTPS without a certificate", () => {
    const e = configError("muejam", "dev", { compute: { loadBalancer: { tls: { enabled: true } } } });
    expect(e.key).toBe("compute.loadBalancer.tls.certificateArn");
    expect(e.problem).toMatch(/is required: TLS is on at the ALB, and its listener needs an ACM certificate in us-east-1/);
    expect(e.fix).toMatch(/set compute.loadBalancer.tls.enabled to false/);
  });

  it("accepts no certificate when TLS is explicitly off", () => {
    expect(plan("muejam", "prod", { compute: { loadBalancer: { tls: { enabled: false, certificateArn: undefined } } } }).compute.loadBalancer!.tls.enabled).toBe(false);
  });

  it("rejects a certificate of another region, or of another account than accountId", () => {
    const other = "arn:aws:acm:eu-west-1:517392846021:certificate/5f0c2a4e-8d1b-4c7a-9e3f-2b6d8a1c4e70";
    const wrongRegion = configError("muejam", "prod", { compute: { loadBalancer: { tls: { certificateArn: other } } } });
    expect(wrongRegion.problem).toMatch(/is in aws\/eu-west-1, but the system runs in aws\/us-east-1/);
    const wrongAccount = configError("muejam", "prod", { accountId: "111122223333" });
    expect(wrongAccount.key).toBe("compute.loadBalancer.tls.certificateArn");
    expect(wrongAccount.problem).toMatch(/belongs to account 517392846021, not to accountId 111122223333/);
  });

  it("rejects step thresholds that overlap", () => {
    const e = configError("muejam", "dev", muejamApp({ scaling: { step: { scaleIn: { cpuBelow: 75 } } } }));
    expect(e.key).toBe("compute.services.app.scaling.step.scaleIn.cpuBelow");
    expect(e.problem).toMatch(/overlaps the scale-out threshold \(cpuAbove 70\)/);
    expect(configError("muejam", "dev", muejamApp({ scaling: { step: { scaleIn: { cpuBelow: 70 } } } })).key).toBe("compute.services.app.scaling.step.scaleIn.cpuBelow");
  });

  it("rejects a step adjustment in the wrong direction", () => {
    expect(configError("muejam", "dev", muejamApp({ scaling: { step: { scaleIn: { adjustment: 1 } } } })).key).toBe("compute.services.app.scaling.step.scaleIn.adjustment");
  });

  it("rejects a target group name over 32 characters", () => {
    const e = configError("muejam", "dev", muejamApp({ targetGroup: { name: "muejam-development-application-tg" } }));
    expect(e.key).toBe("compute.services.app.targetGroup.name");
    expect(e.problem).toMatch(/is 33 characters; AWS allows at most 32 for a targetGroup name/);
  });

  it("rejects a derived target group name over 32 characters, naming the project", () => {
    const e = configError("muejam", "dev", { project: "muejam-library-platform", compute: { services: { app: { blueGreen: { mode: "weighted" } } } } } as SystemConfigInput);
    expect(e.key).toBe("project");
    expect(e.problem).toMatch(/targetGroup name "muejam-library-platform-dev-app-blue" 36 characters long; AWS allows 32/);
  });

  it("rejects weighted blue-green behind an NLB, and weights without the weighted mode", () => {
    expect(configError("joblet", "dev", muejamApp({ blueGreen: { mode: "weighted" } })).problem).toMatch(/needs an ALB/);
    expect(configError("joblet", "dev", muejamApp({ blueGreen: { weights: { blue: 50, green: 50 } } })).key).toBe("compute.services.app.blueGreen.weights");
    expect(configError("muejam", "dev", muejamApp({ blueGreen: { mode: "weighted", weights: { blue: 0, green: 0 } } })).problem).toMatch(/are both 0/);
  });

  it("rejects request-count tracking without an ALB", () => {
    const e = configError("joblet", "dev", muejamApp({ scaling: { targetTracking: { requestCountPerTarget: { targetValue: 500 } } } }));
    expect(e.key).toBe("compute.services.app.scaling.targetTracking.requestCountPerTarget");
  });

  it("rejects a load-balanced service with no load balancer, and two load-balanced services", () => {
    expect(configError("muejam", "dev", { compute: { loadBalancer: null } }).key).toBe("compute.services.app.loadBalanced");
    const two = configError("algoitny", "dev", { compute: { services: { worker: { loadBalanced: true } } } } as SystemConfigInput);
    expect(two.key).toBe("compute.services.worker.loadBalanced");
    expect(two.problem).toMatch(/second load-balanced service/);
  });

  it("rejects gRPC and HTTP/2 target groups without TLS, protocol versions on an NLB and ALPN on an ALB", () => {
    expect(configError("muejam", "dev", muejamApp({ targetGroup: { protocolVersion: "GRPC" } })).problem).toMatch(/needs an HTTPS listener/);
    expect(configError("muejam", "dev", muejamApp({ targetGroup: { protocolVersion: "HTTP2" } })).key).toBe("compute.services.app.targetGroup.protocolVersion");
    expect(configError("joblet", "dev", muejamApp({ targetGroup: { protocolVersion: "HTTP2" } })).problem).toMatch(/ALB target groups only/);
    expect(configError("muejam", "prod", { compute: { loadBalancer: { tls: { alpnPolicy: "HTTP2Preferred" } } } }).key).toBe("compute.loadBalancer.tls.alpnPolicy");
  });

  it("rejects a health check timeout not below its interval", () => {
    const e = configError("muejam", "dev", muejamApp({ targetGroup: { healthCheck: { intervalSeconds: 10, timeoutSeconds: 10 } } }));
    expect(e.key).toBe("compute.services.app.targetGroup.healthCheck.timeoutSeconds");
  });

  it("rejects malformed schedules", () => {
    const cron = configError("algoitny", "dev", { compute: { services: { worker: { schedules: { offpeak: { recurrence: "nightly" } } } } } } as SystemConfigInput);
    expect(cron.key).toBe("compute.services.worker.schedules.offpeak.recurrence");
    const zone = configError("algoitny", "dev", { compute: { services: { worker: { schedules: { offpeak: { timeZone: "Mars/Olympus" } } } } } } as SystemConfigInput);
    expect(zone.key).toBe("compute.services.worker.schedules.offpeak.timeZone");
    const out = configError("algoitny", "dev", { compute: { services: { worker: { schedules: { offpeak: { desiredCapacity: 9 } } } } } } as SystemConfigInput);
    expect(out.key).toBe("compute.services.worker.schedules.offpeak.desiredCapacity");
  });

  it("rejects grants that name nothing valid", () => {
    expect(configError("muejam", "dev", muejamApp({ grants: { secrets: [{ name: "app/*/x*" }] } })).key).toBe("compute.services.app.grants.secrets[0].name");
    expect(configError("muejam", "dev", muejamApp({ grants: { s3Buckets: [{ name: "Bad_Bucket" }] } })).key).toBe("compute.services.app.grants.s3Buckets[0].name");
    expect(configError("muejam", "dev", { compute: { alarmTopicArn: "arn:aws:sns:eu-west-1:123456789012:alarms" } }).key).toBe("compute.alarmTopicArn");
  });

  it("rejects unknown settings with a hint", () => {
    const e = configError("muejam", "dev", muejamApp({ minSzie: 2 }));
    expect(e.key).toBe("compute.services.app.minSzie");
    expect(e.fix).toMatch(/did you mean "minSize"/);
  });

  it("lists the keys of the app's own type for a setting of another type, and suggests within it", () => {
    const other = configError("muejam", "dev", muejamApp({ app: { type: "container", installerUrl: "https://example.com/install.sh" } } as never));
    expect([other.key, other.fix]).toEqual(["compute.services.app.app.installerUrl", `remove it; known keys here are ${Object.keys(ContainerAppConfigSchema.shape).join(", ")}`]);
    expect(configError("muejam", "dev", muejamApp({ app: { type: "container", tga: "1.0.0" } } as never)).fix).toMatch(/^did you mean "tag"\?/);
  });
});
