import { CidrSyntaxError, parseCidr } from "../../lib/cidr";
import { Naming, NAME_LIMITS, checkName } from "../../lib/naming";
import { validateBucketName } from "../../lib/s3-bucket-name";
import { accessLogBucketNameOf, loadBalancerAccessLogs } from "../alb/settings";
import type { ComputeConfig, ServiceConfig } from "./settings";
import type { LoadBalancerConfig } from "../alb/settings";
import { ConfigError, Problems, nested, rekeyed, section } from "../../lib/errors";
import { SECRET_NAME_CHARACTERS } from "../../lib/aws-values";
import { checkNlbAccessLogs } from "../nlb/checks";
import { isPlaceholderCertificate } from "../../lib/placeholders";
import { partitionOf } from "../../lib/regions";

/** What the compute checks need besides the compute settings. */
export interface ComputeContext {
  readonly project: string;
  readonly environment: string;
  readonly region: string;
  readonly accountId?: string;
}

/** The capacity of one group: min, max, desired. */
export interface Capacity {
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
}

/** The colors of a service: `[undefined]` for one group, `["blue", "green"]` for a blue-green pair. */
export type Color = "blue" | "green";

/** The groups of a service, by color (`undefined`: the single group). */
export function colorsOf(service: ServiceConfig): (Color | undefined)[] {
  return service.blueGreen ? ["blue", "green"] : [undefined];
}

/** A color's capacity: its own numbers over the service's. */
export function capacityOf(service: ServiceConfig, color?: Color): Capacity {
  const own: Partial<Capacity> = color && service.blueGreen ? service.blueGreen[color] : {};
  return {
    minSize: own.minSize ?? service.minSize,
    maxSize: own.maxSize ?? service.maxSize,
    desiredCapacity: own.desiredCapacity ?? service.desiredCapacity,
  };
}

/** Whether the service has a target group per color (weighted blue-green). */
export function targetGroupPerColor(service: ServiceConfig): boolean {
  return service.blueGreen?.mode === "weighted";
}

/** The target group names of a service, by color key (`default`, or `blue`/`green` when weighted). */
export function targetGroupNames(naming: Naming, name: string, service: ServiceConfig): Record<string, string> {
  const base = service.targetGroup.name;
  const keys = targetGroupPerColor(service) ? ["blue", "green"] : ["default"];
  const result: Record<string, string> = {};
  for (const key of keys) {
    const suffix = key === "default" ? [] : [key];
    if (base) {
      const full = [base, ...suffix].join("-");
      checkName("targetGroup", full, "targetGroup.name", `use at most ${NAME_LIMITS.targetGroup - (full.length - base.length)} characters`);
      result[key] = full;
    } else {
      result[key] = naming.name("targetGroup", name, ...suffix);
    }
  }
  return result;
}

/** The name of one group (`<project>-<env>-<service>[-<color>]`). */
export function groupName(naming: Naming, name: string, color?: Color): string {
  return naming.name("autoScalingGroup", name, ...(color ? [color] : []));
}

/**
 * Checks the meaning of the compute settings, beyond their shape: capacities, thresholds,
 * ports, certificates, names and how services and the load balancer fit together. Every
 * service and setting is checked even when another fails. Throws a ConfigError (or
 * ConfigErrors, for several) keyed `compute.<...>`, or `project` for a derived name that is
 * too long.
 */
export function checkCompute(compute: ComputeConfig, context: ComputeContext): void {
  section("compute", () => checkComputeSettings(compute, context));
}

function checkComputeSettings(compute: ComputeConfig, context: ComputeContext): void {
  const problems = new Problems();
  const naming = new Naming(context.project, context.environment, context.accountId);
  const services = Object.entries(compute.services);
  const balanced = services.filter(([, s]) => s.loadBalanced);
  const lb = compute.loadBalancer;

  if (compute.alarmTopicArn !== undefined) {
    problems.check(() => checkArn("alarmTopicArn", compute.alarmTopicArn!, "sns", context, /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/, "<topic name>"));
  }

  if (lb) {
    problems.check(() => nested("loadBalancer", () => checkLoadBalancer(lb, context)));
    problems.check(() => {
      naming.name("loadBalancer", lb.type);
      const accessLogs = loadBalancerAccessLogs(lb, context.environment);
      if (accessLogs) accessLogBucketNameOf(naming, accessLogs, context.region);
    });
    if (services.length > 0 && balanced.length === 0) {
      problems.add(new ConfigError("loadBalancer.type", lb.type, "is set, but no service has loadBalanced: true", "set loadBalanced on the service behind it, or set loadBalancer to null"));
    }
  }
  if (balanced.length > 1) {
    problems.add(
      new ConfigError(
        `services.${balanced[1][0]}.loadBalanced`,
        true,
        `is a second load-balanced service (after "${balanced[0][0]}"); the load balancer forwards to one service`,
        "set loadBalanced: false on all but one service, or give the other service its own system",
      ),
    );
  }
  if (lb?.stack === "services" && services.length === 0) {
    problems.add(new ConfigError("loadBalancer.stack", lb.stack, "asks for a services stack, but there are no services", "add a service, or set loadBalancer to null"));
  }

  for (const [name, service] of services) {
    problems.check(() => checkNames(name, service, naming));
    problems.check(() => nested(`services.${name}`, () => checkService(service, lb, context)));
  }
  problems.throwIfAny();
}

/**
 * Checks the names derived for a service against AWS's limits. A derived name that is too
 * long is the project's fault (the error names `project`); a configured target group name
 * is the service's.
 */
function checkNames(name: string, service: ServiceConfig, naming: Naming): void {
  for (const color of colorsOf(service)) {
    groupName(naming, name, color);
    naming.name("launchTemplate", name, ...(color ? [color] : []));
  }
  naming.name("iamRole", name);
  naming.name("securityGroup", name);
  if (!service.loadBalanced) return;
  section(`services.${name}`, () => targetGroupNames(naming, name, service));
}

function checkLoadBalancer(lb: LoadBalancerConfig, context: ComputeContext): void {
  const problems = new Problems();
  lb.ingressCidrs.forEach((cidr, i) =>
    problems.check(() => {
      try {
        parseCidr(cidr);
      } catch (e) {
        if (!(e instanceof CidrSyntaxError)) throw e;
        throw new ConfigError(`ingressCidrs[${i}]`, cidr, e.message, e.suggestion ? `use ${e.suggestion}` : 'use an IPv4 CIDR such as "203.0.113.0/24"');
      }
    }),
  );
  problems.check(() => nested("tls", () => checkTls(lb, context)));
  if (lb.ingressFrom === "cloudfront" && lb.type !== "alb") {
    problems.add(new ConfigError("ingressFrom", "cloudfront", "applies to an ALB only (CloudFront does not front an NLB here)", 'use "cidrs"'));
  }
  if (lb.accessLogs) {
    if (lb.type === "nlb") problems.check(() => checkNlbAccessLogs(lb.tls, lb.accessLogs));
    const bucketName = lb.accessLogs.bucketName;
    if (bucketName !== undefined) problems.check(() => validateBucketName(bucketName, "accessLogs.bucketName"));
  }
  problems.throwIfAny();
}

/** The load balancer's TLS settings; keys relative to `tls`. */
function checkTls(lb: LoadBalancerConfig, context: ComputeContext): void {
  const problems = new Problems();
  const tls = lb.tls;
  if (tls.enabled) {
    if (tls.certificateArn === undefined) {
      const what = lb.type === "alb" ? "an HTTPS listener" : "a TLS listener";
      const off =
        lb.type === "alb"
          ? "or set compute.loadBalancer.tls.enabled to false to serve plain HTTP (dev only; synth warns)"
          : "or set compute.loadBalancer.tls.enabled to false for TCP passthrough to the instances";
      problems.add(new ConfigError("certificateArn", undefined, `is required: TLS is on, and ${what} needs a certificate`, `give the ARN of an ACM certificate in ${context.region}, ${off}`));
    } else {
      const arn = tls.certificateArn;
      problems.check(() => checkArn("certificateArn", arn, "acm", context, /^certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "certificate/<uuid>", true));
    }
  }
  if (tls.alpnPolicy !== undefined && (lb.type !== "nlb" || !tls.enabled)) {
    problems.add(new ConfigError("alpnPolicy", tls.alpnPolicy, "applies only to an NLB's TLS listener", lb.type === "nlb" ? "set tls.enabled to true, or remove alpnPolicy" : "remove alpnPolicy (an ALB negotiates HTTP/2 itself)"));
  }
  problems.throwIfAny();
}

/**
 * Checks an ARN of `service` in the system's partition and region; `resource` checks what
 * follows the account. With `sameAccount`, the account must be `accountId` when it is set.
 */
function checkArn(key: string, arn: string, service: string, context: ComputeContext, resource: RegExp, resourceShape: string, sameAccount = false): void {
  const partition = partitionOf(context.region);
  const shape = `arn:${partition}:${service}:${context.region}:<account>:${resourceShape}`;
  const m = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}):(.+)$/.exec(arn);
  if (!m || m[2] !== service || !resource.test(m[5])) {
    throw new ConfigError(key, arn, `is not ${service === "acm" ? "an ACM certificate" : `an ${service.toUpperCase()}`} ARN`, `use ${shape}`);
  }
  if (m[1] !== partition || m[3] !== context.region) {
    throw new ConfigError(key, arn, `is in ${m[1]}/${m[3] || "(no region)"}, but the system runs in ${partition}/${context.region}`, `use ${shape}`);
  }
  if (sameAccount && context.accountId !== undefined && m[4] !== context.accountId) {
    const placeholder = isPlaceholderCertificate(arn) ? " (it is the presets' placeholder)" : "";
    throw new ConfigError(key, arn, `belongs to account ${m[4]}, not to accountId ${context.accountId}${placeholder}`, `use a certificate of account ${context.accountId} in ${context.region}`);
  }
}

function checkCapacity(capacity: Capacity, keyOf: (field: keyof Capacity) => string): void {
  if (capacity.minSize > capacity.maxSize) {
    throw new ConfigError(keyOf("minSize"), capacity.minSize, `is greater than maxSize (${capacity.maxSize})`, `make minSize at most ${capacity.maxSize}, or raise maxSize`);
  }
  if (capacity.desiredCapacity < capacity.minSize || capacity.desiredCapacity > capacity.maxSize) {
    throw new ConfigError(
      keyOf("desiredCapacity"),
      capacity.desiredCapacity,
      `is outside [minSize, maxSize] = [${capacity.minSize}, ${capacity.maxSize}]`,
      `use a value from ${capacity.minSize} to ${capacity.maxSize}`,
    );
  }
}

/** One service's settings; keys relative to `compute.services.<name>`. */
function checkService(service: ServiceConfig, lb: LoadBalancerConfig | null, context: ComputeContext): void {
  const problems = new Problems();
  // A color's capacity, and a schedule's, start from the service's: checked once that is valid.
  const capacityValid = problems.check(() => checkCapacity(service, (f) => f));
  if (capacityValid) {
    for (const color of colorsOf(service)) {
      if (color) problems.check(() => checkCapacity(capacityOf(service, color), (f) => `blueGreen.${color}.${f}`));
    }
  }

  if (service.app.type !== "container" && service.blueGreen) {
    for (const color of ["blue", "green"] as const) {
      if (service.blueGreen[color].imageTag !== undefined) {
        problems.add(new ConfigError(`blueGreen.${color}.imageTag`, service.blueGreen[color].imageTag, "applies only to container apps", "set the version through blueGreen.<color>.environment instead"));
      }
    }
  }

  problems.check(() => nested("scaling", () => checkScaling(service, lb)));
  Object.entries(service.schedules).forEach(([key, schedule]) => problems.check(() => checkSchedule(`schedules.${key}`, schedule, service, capacityValid)));
  problems.check(() => nested("grants", () => checkGrants(service.grants, context)));
  if (service.app.type === "container") {
    service.app.secrets.forEach((s, i) => {
      if (!SECRET_NAME_CHARACTERS.test(s)) problems.add(new ConfigError(`app.secrets[${i}]`, s, "is not a secret name", 'use e.g. "algoitny-secrets"'));
    });
  }
  problems.check(() => checkFirstBootGrace(service));
  const rootVolumeKey = service.rootVolumeKmsKeyArn;
  if (rootVolumeKey !== undefined) {
    problems.check(() => checkArn("rootVolumeKmsKeyArn", rootVolumeKey, "kms", context, KMS_KEY_RESOURCE, "key/<id>"));
  }

  if (service.loadBalanced) {
    if (!lb) {
      problems.add(new ConfigError("loadBalanced", true, "is true, but compute.loadBalancer is null", 'configure compute.loadBalancer (e.g. { "type": "alb" }), or set loadBalanced to false'));
    } else {
      problems.check(() => nested("targetGroup", () => checkTargetGroup(service, lb)));
      const bg = service.blueGreen;
      if (bg) problems.check(() => nested("blueGreen", () => checkBlueGreenRouting(bg, lb)));
    }
  }
  problems.throwIfAny();
}

/** What the default grace period gives one boot's install, in seconds. */
const INSTALL_SECONDS = 300;

/**
 * Behind a load balancer the group replaces an instance that fails its health checks once the
 * grace period is over: one that waits for the first boot's winner (up to
 * `app.firstBoot.timeoutSeconds`) and then installs must not be replaced while it waits.
 */
function checkFirstBootGrace(service: ServiceConfig): void {
  if (!service.loadBalanced || service.app.type !== "script" || !service.app.firstBoot) return;
  const least = service.app.firstBoot.timeoutSeconds + INSTALL_SECONDS;
  if (service.healthCheckGracePeriodSeconds < least) {
    throw new ConfigError(
      "healthCheckGracePeriodSeconds",
      service.healthCheckGracePeriodSeconds,
      `is shorter than the first boot's wait (app.firstBoot.timeoutSeconds, ${service.app.firstBoot.timeoutSeconds} s) plus an install (${INSTALL_SECONDS} s): the load balancer's health checks would have the group replace an instance still waiting for the winner`,
      `set healthCheckGracePeriodSeconds to at least ${least}, or shorten app.firstBoot.timeoutSeconds`,
    );
  }
}

const KMS_KEY_RESOURCE = /^key\/[0-9a-f-]{36}$|^key\/mrk-[0-9a-f]{32}$/;

/**
 * Step scaling thresholds and request-count tracking; keys relative to `scaling`. Config
 * validation calls it for every service, and AppService for its own (`lb`: the load balancer
 * in front of it, if any).
 */
export function checkScaling(service: ServiceConfig, lb: Pick<LoadBalancerConfig, "type"> | null | undefined): void {
  const problems = new Problems();
  const step = service.scaling.step;
  if (step && step.scaleIn.cpuBelow >= step.scaleOut.cpuAbove) {
    problems.add(
      new ConfigError(
        "step.scaleIn.cpuBelow",
        step.scaleIn.cpuBelow,
        `overlaps the scale-out threshold (cpuAbove ${step.scaleOut.cpuAbove}): both alarms could fire at once and the group would flap`,
        `use a scale-in threshold below ${step.scaleOut.cpuAbove}, e.g. 30 with 70`,
      ),
    );
  }
  const requests = service.scaling.targetTracking.requestCountPerTarget;
  if (requests && (!service.loadBalanced || lb?.type !== "alb")) {
    problems.add(
      new ConfigError(
        "targetTracking.requestCountPerTarget",
        requests,
        "needs the service behind an ALB (the metric is ALBRequestCountPerTarget)",
        "set it to null, or put the service behind an ALB",
      ),
    );
  }
  problems.throwIfAny();
}

/**
 * One scheduled action, at `at` (`schedules.<key>`); keys relative to the service. Its capacity
 * is checked only when the service's own is valid (`baseValid`), and starts from it: those
 * problems read the service's bounds too, and are left out when one of them is invalid.
 */
function checkSchedule(at: string, schedule: ServiceConfig["schedules"][string], service: ServiceConfig, baseValid: boolean): void {
  const problems = new Problems();
  if (!/^(\S+\s+){4}\S+$/.test(schedule.recurrence.trim())) {
    problems.add(new ConfigError(`${at}.recurrence`, schedule.recurrence, "is not a five-field cron expression", 'use "minute hour day-of-month month day-of-week", e.g. "0 22 * * *"'));
  }
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: schedule.timeZone });
  } catch {
    problems.add(new ConfigError(`${at}.timeZone`, schedule.timeZone, "is not an IANA time zone", 'use e.g. "UTC" or "Asia/Seoul"'));
  }
  if (schedule.minSize === undefined && schedule.maxSize === undefined && schedule.desiredCapacity === undefined) {
    problems.add(new ConfigError(`${at}.desiredCapacity`, undefined, "is not set, and neither are minSize and maxSize: the action would change nothing", "set desiredCapacity (and, if needed, minSize/maxSize)"));
  } else if (baseValid) {
    // One check for every color: the keys are the schedule's, so the first color that fails says it.
    const readsBounds = (e: ConfigError) => e.reading("minSize", "maxSize", "desiredCapacity");
    problems.check(() => rekeyed(() => {
      for (const color of colorsOf(service)) {
        const base = capacityOf(service, color);
        const capacity = {
          minSize: schedule.minSize ?? base.minSize,
          maxSize: schedule.maxSize ?? base.maxSize,
          desiredCapacity: schedule.desiredCapacity ?? Math.min(Math.max(base.desiredCapacity, schedule.minSize ?? 0), schedule.maxSize ?? Infinity),
        };
        checkCapacity(capacity, (f) => `${at}.${f}`);
      }
    }, readsBounds));
  }
  problems.throwIfAny();
}

/** What the service's role is granted; keys relative to `grants`. */
function checkGrants(g: ServiceConfig["grants"], context: ComputeContext): void {
  const problems = new Problems();
  g.ecrRepositories.forEach((r, i) => {
    if (!/^[a-z0-9]+([._/-][a-z0-9]+)*$/.test(r)) problems.add(new ConfigError(`ecrRepositories[${i}]`, r, "is not an ECR repository name", "use lower case letters, digits and . _ - /"));
  });
  g.secrets.forEach((s, i) => {
    if (!SECRET_NAME_CHARACTERS.test(s.name.replace(/\/\*$/, ""))) {
      problems.add(new ConfigError(`secrets[${i}].name`, s.name, "is not a secret name or a prefix ending in /*", 'use e.g. "algoitny-secrets" or "joblet/*"'));
    }
  });
  g.dynamodbTables.forEach((t, i) => {
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(t.name)) problems.add(new ConfigError(`dynamodbTables[${i}].name`, t.name, "is not a DynamoDB table name", "use 3-255 letters, digits, _ . -"));
  });
  g.s3Buckets.forEach((b, i) => problems.check(() => validateBucketName(b.name, `s3Buckets[${i}].name`)));
  g.logGroups.forEach((name, i) => {
    if (!/^[A-Za-z0-9_\-/.#]{1,512}$/.test(name.replace(/\/\*$/, "/")) || (name.includes("*") && !name.endsWith("/*"))) {
      problems.add(new ConfigError(`logGroups[${i}]`, name, "is not a log group name or a prefix ending in /*", 'use e.g. "/myapp/jobs" or "/joblet/*"'));
    }
  });
  g.kmsKeyArns.forEach((arn, i) => problems.check(() => checkArn(`kmsKeyArns[${i}]`, arn, "kms", context, KMS_KEY_RESOURCE, "key/<id>")));
  problems.throwIfAny();
}

/** The target group of a load-balanced service; keys relative to `targetGroup`. */
function checkTargetGroup(service: ServiceConfig, lb: LoadBalancerConfig): void {
  const problems = new Problems();
  const tg = service.targetGroup;
  if (tg.healthCheck.timeoutSeconds >= tg.healthCheck.intervalSeconds) {
    problems.add(new ConfigError("healthCheck.timeoutSeconds", tg.healthCheck.timeoutSeconds, `must be less than intervalSeconds (${tg.healthCheck.intervalSeconds})`, `use at most ${tg.healthCheck.intervalSeconds - 1}`));
  }
  if (lb.type === "nlb" && tg.protocolVersion !== "HTTP1") {
    problems.add(new ConfigError("protocolVersion", tg.protocolVersion, "applies to ALB target groups only", 'remove it; for gRPC through an NLB use tls.alpnPolicy "HTTP2Preferred"'));
  } else if (tg.protocolVersion !== "HTTP1" && !lb.tls.enabled) {
    problems.add(new ConfigError("protocolVersion", tg.protocolVersion, "needs an HTTPS listener, but TLS is off at the load balancer", "turn compute.loadBalancer.tls on, or use HTTP1"));
  }
  problems.throwIfAny();
}

/** How a blue-green pair shares the load balancer; keys relative to `blueGreen`. */
function checkBlueGreenRouting(bg: NonNullable<ServiceConfig["blueGreen"]>, lb: LoadBalancerConfig): void {
  const problems = new Problems();
  if (bg.mode === "weighted" && lb.type !== "alb") {
    problems.add(new ConfigError("mode", bg.mode, "needs an ALB (an NLB listener forwards to one target group)", 'use "shared_target_group"'));
  }
  if (bg.mode !== "weighted" && bg.weights !== undefined) {
    problems.add(new ConfigError("weights", bg.weights, `apply only to mode "weighted" (with "${bg.mode}", traffic follows each group's instances)`, 'remove weights, or set mode to "weighted"'));
  } else if (bg.weights && bg.weights.blue + bg.weights.green === 0) {
    problems.add(new ConfigError("weights", bg.weights, "are both 0: no traffic would reach either group", "give the live color a positive weight, e.g. { blue: 100, green: 0 }"));
  }
  problems.throwIfAny();
}
