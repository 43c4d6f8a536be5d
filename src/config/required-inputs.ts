import { MUTABLE_TAG } from "./aws-rules";
import type { EdgeConfig } from "../constructs/edge/settings";
import { publicAccessOf } from "../constructs/eks/settings";
import { ConfigError } from "../lib/errors";
import { zoneNamesVaryByAccount } from "../lib/regions";
import type { SystemConfig } from "./system-config";

/**
 * Edge names may be given relative to `edge.hostedZone.name`: a single label (`app`) means
 * `app.<zone>`, and `@` the zone itself. A preset can then lay out its names without
 * knowing the user's domain. Returns the edge settings with every name absolute; without a
 * hosted zone, relative names are left for {@link missingInputs} to report.
 */
export function resolveRelativeEdgeNames(edge: EdgeConfig): EdgeConfig {
  const zone = edge.hostedZone?.name;
  if (!zone) return edge;
  const absolute = (name: string) => (name === "@" ? zone : isRelative(name) ? `${name}.${zone}` : name);
  return {
    ...edge,
    cdn: edge.cdn ? { ...edge.cdn, domainNames: edge.cdn.domainNames.map(absolute) } : edge.cdn,
    loadBalancerRecords: Object.fromEntries(Object.entries(edge.loadBalancerRecords).map(([key, record]) => [key, { ...record, name: absolute(record.name) }])),
  };
}

/** Whether an edge name is relative to the hosted zone (`@`, or one label such as `app`). */
export function isRelative(name: string): boolean {
  return name === "@" || !name.includes(".");
}

/**
 * The values only the user knows, which nothing synthesized for staging or prod may make up.
 * Returns one error per missing value, so that one synth lists everything to set:
 *
 * - outside dev, `accountId`: the account the stacks may be applied to (every provider's
 *   `allowed_account_ids`, and the suffix of derived S3 bucket names);
 * - `edge.hostedZone`, when edge names are given relative to it (the presets' are);
 * - `edge.hostedZone.zoneId`, when the edge issues a certificate: ACM validates by DNS in the
 *   zone, and a zone created in the same apply is not delegated yet, so the certificate
 *   would wait for a delegation nobody made (docs/edge.md gives the delegation step);
 * - `compute.loadBalancer.tls.certificateArn`, when TLS is on at the load balancer;
 * - outside dev, each container service's `app.tag` and the workloads' `imageTag` (or each
 *   app's `image.tag`): which release runs;
 * - `eks.endpoint.privateAccessCidrs`, when there are workloads and the cluster's API endpoint
 *   is private only (staging and prod by default): who applies the workloads stack;
 * - `network.azs`, in a region whose zone names differ by account so that no default is valid
 *   in every account (us-west-1: src/lib/regions.ts).
 */
export function missingInputs(config: SystemConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const dev = config.environment === "dev";
  const missing = (key: string, problem: string, fix: string) => errors.push(missingInput(key, problem, fix));

  if (!dev && config.accountId === undefined) {
    missing("accountId", `is required in ${config.environment}: the account these stacks are applied to, which only you know`, "set accountId to the 12-digit id of the target account; the providers then refuse any other account");
  }

  if (config.network.azs === undefined && zoneNamesVaryByAccount(config.region)) {
    missing(
      "network.azs",
      `is required in ${config.region}: accounts see only some of its zones, under names that differ by account, so no default is valid in every account`,
      `list the zones your account has: aws ec2 describe-availability-zones --region ${config.region} --query 'AvailabilityZones[].ZoneName'`,
    );
  }
  errors.push(...missingEdgeInputs(config));
  const lb = config.compute.loadBalancer;
  if (lb && lb.tls.enabled && lb.tls.certificateArn === undefined && Object.keys(config.compute.services).length > 0) {
    missing(
      "compute.loadBalancer.tls.certificateArn",
      `is required: TLS is on at the ${lb.type.toUpperCase()}, and its listener needs an ACM certificate in ${config.region}`,
      `give the ARN of an issued ACM certificate in ${config.region} covering the load balancer's names${lb.type === "alb" ? ", or set compute.loadBalancer.tls.enabled to false (plain HTTP, dev only)" : ", or set tls.enabled to false for TCP passthrough"}`,
    );
  }
  if (!dev) errors.push(...missingReleaseTags(config));
  const eks = config.eks;
  if (eks && config.workloads && eks.endpoint.privateAccess && !publicAccessOf(eks.endpoint, config.environment) && eks.endpoint.privateAccessCidrs.length === 0) {
    missing(
      "eks.endpoint.privateAccessCidrs",
      `is required: the cluster's API endpoint is private in ${config.environment} and admits only the nodes, so nothing could apply the workloads stack, whose Kubernetes provider calls that API`,
      'list the CIDRs of the CI runners, bastion or VPN that apply the workloads stack, e.g. ["10.8.0.0/24"] (docs/eks.md: Reaching a private API endpoint), or set eks.endpoint.publicAccess to true with publicAccessCidrs narrowed to them',
    );
  }
  return errors;
}

/** A missing error: the value only the user knows. */
function missingInput(key: string, problem: string, fix: string): ConfigError {
  return new ConfigError(key, undefined, problem, fix);
}

/** The hosted zone, when edge names are relative to it, and its id, when the edge issues a certificate. */
function missingEdgeInputs(config: SystemConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const missing = (key: string, problem: string, fix: string) => errors.push(missingInput(key, problem, fix));
  const edge = config.edge;
  if (edge) {
    const relative = [
      ...(edge.cdn?.domainNames ?? []).map((name, i) => ({ key: `edge.cdn.domainNames[${i}]`, name })),
      ...Object.entries(edge.loadBalancerRecords).map(([key, r]) => ({ key: `edge.loadBalancerRecords.${key}.name`, name: r.name })),
    ].filter((n) => isRelative(n.name));
    if (!edge.hostedZone && relative.length > 0) {
      missing(
        "edge.hostedZone",
        `is required: ${relative.map((n) => `${n.key} = "${n.name}"`).join(", ")} ${relative.length === 1 ? "is a name" : "are names"} relative to your domain`,
        'set edge.hostedZone to your domain and the id of its public hosted zone, e.g. { "name": "shop.example.org", "zoneId": "Z0123456789ABCDEFGHIJ" }, or set edge to null',
      );
    }
    if (edge.hostedZone && edge.hostedZone.zoneId === undefined && (edge.cdn?.domainNames.length ?? 0) > 0) {
      missing(
        "edge.hostedZone.zoneId",
        `is required: the distribution's certificate is validated by DNS in ${edge.hostedZone.name}, and a zone created in the same apply is not delegated yet, so validation would wait forever`,
        `create the public hosted zone for ${edge.hostedZone.name} and delegate it (docs/edge.md), then set its id here`,
      );
    }
  }

  return errors;
}

/** Outside dev, which release runs: each container service's tag and the workloads' image tag. */
function missingReleaseTags(config: SystemConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const missing = (key: string, problem: string, fix: string) => errors.push(missingInput(key, problem, fix));
  for (const [name, service] of Object.entries(config.compute.services)) {
    if (service.app.type === "container" && service.app.tag === MUTABLE_TAG && !(service.blueGreen?.blue.imageTag && service.blueGreen.green.imageTag)) {
      missing(
        `compute.services.${name}.app.tag`,
        `is required in ${config.environment} (it would default to "${MUTABLE_TAG}"): the configuration says which release runs`,
        'set the image tag your pipeline built, e.g. the git SHA or "1.4.2"; a new tag rolls out through a new launch template version and an instance refresh (docs/compute.md)',
      );
    }
  }
  const workloads = config.workloads;
  // An explicit "latest" is refused from an IMMUTABLE repository by the AWS rules (./aws-rules.ts).
  if (workloads && workloads.imageTag === MUTABLE_TAG) {
    const floating = Object.entries(workloads.apps).filter(([, app]) => app.image.tag === undefined).map(([n]) => n);
    if (floating.length > 0) {
      missing(
        "workloads.imageTag",
        `is required in ${config.environment} (it would default to "${MUTABLE_TAG}"): ${floating.join(", ")} take their image tag from it`,
        'set the image tag your pipeline built (e.g. the git SHA); a new tag rolls out as a new Deployment image (docs/eks.md)',
      );
    }
  }
  return errors;
}
