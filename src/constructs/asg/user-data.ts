import { readFileSync } from "fs";
import { join } from "path";
import { Token } from "cdktf";
import Handlebars from "handlebars";
import { partitionOf } from "../../lib/regions";
import { CertificateMetrics, SECRET_CERTIFICATE_METRIC } from "../../lib/certificate-metric";
import type { FirstBootConfig } from "./settings";
import { ENV_VAR_NAME } from "../../lib/env-var";

/** A service run in Docker: the image from ECR by tag, secrets from Secrets Manager at boot. */
export interface ContainerBootSpec {
  readonly kind: "container";
  /** The service's name: the container's name and the log stream prefix. */
  readonly service: string;
  /** The blue-green color, if any. */
  readonly color?: string;
  readonly region: string;
  /** The app's CloudWatch log group (the container's `awslogs` driver and the agent write to it). */
  readonly logGroup: string;
  /** The ECR repository's name. */
  readonly repository: string;
  readonly tag: string;
  /** The registry's account. @default the instance's own, read from instance metadata at boot */
  readonly registryAccountId?: string;
  /** Host and container port, for a service behind a load balancer. @default none (a worker) */
  readonly ports?: { readonly host: number; readonly container: number };
  /** Plain environment variables. */
  readonly environment: Readonly<Record<string, string>>;
  /** Variables, of `environment` or of a secret, the instance's private IPv4 address is appended to (`,<address>`) at each start. @default none */
  readonly privateIpIn?: readonly string[];
  /** Secrets Manager secret names; each one's JSON key/value pairs become environment variables. */
  readonly secrets: readonly string[];
  /** The container's command. @default the image's */
  readonly command?: readonly string[];
  /** Certificates in Secrets Manager whose days to expiry the instance publishes hourly. @default none */
  readonly certificateMetrics?: CertificateMetrics;
  /**
   * The SSM parameter locating the database (`{host, port, name, secretArn}`): each start of
   * the container reads it and the master secret into `DB_*` variables, and a timer restarts
   * the container when the secret's AWSCURRENT version changes. @default none
   */
  readonly databaseParameter?: string;
}

/** A service installed natively at boot by a downloaded installer (Joblet's). */
export interface ScriptBootSpec {
  readonly kind: "script";
  readonly service: string;
  readonly color?: string;
  readonly region: string;
  readonly logGroup: string;
  /** HTTPS URL of the installer. */
  readonly installerUrl: string;
  /** The installer's SHA-256, checked before it runs. @default not checked */
  readonly installerSha256?: string;
  /** Environment variables exported for the installer. */
  readonly environment: Readonly<Record<string, string>>;
  /** Certificates in Secrets Manager whose days to expiry the instance publishes hourly. @default none */
  readonly certificateMetrics?: CertificateMetrics;
  /** The first boot's election, when the installer generates shared secrets. @default none */
  readonly firstBoot?: FirstBootConfig;
  /** The systemd unit the installer starts, which must be active once it exits. @default not checked */
  readonly systemdUnit?: string;
}

export type BootSpec = ContainerBootSpec | ScriptBootSpec;

/** Quotes `text` for a POSIX shell: one single-quoted word, whatever it holds. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const TEMPLATE_DIR = join(__dirname, "templates");
const engine = Handlebars.create();
// `{{sh value}}` renders a value as one shell word; nothing is HTML-escaped (noEscape).
engine.registerHelper("sh", (value: unknown) => shellQuote(String(value)));
// Sections both templates share, as partials: `{{> certificateMetrics}}`.
engine.registerPartial("certificateMetrics", readFileSync(join(TEMPLATE_DIR, "certificate-metrics.sh.hbs"), "utf8"));
const compiled = new Map<BootSpec["kind"], HandlebarsTemplateDelegate>();

function template(kind: BootSpec["kind"]): HandlebarsTemplateDelegate {
  let t = compiled.get(kind);
  if (!t) {
    // strict: a variable the template names but the view lacks is an error, not "".
    t = engine.compile(readFileSync(join(TEMPLATE_DIR, `${kind}.sh.hbs`), "utf8"), { noEscape: true, strict: true });
    compiled.set(kind, t);
  }
  return t;
}

/** The CloudWatch agent's configuration: memory and root-disk metrics, and the boot log. */
export function cloudwatchAgentConfig(logGroup: string): string {
  return JSON.stringify(
    {
      agent: { metrics_collection_interval: 60, run_as_user: "root" },
      metrics: {
        namespace: "CWAgent",
        append_dimensions: { InstanceId: "${aws:InstanceId}" },
        metrics_collected: {
          mem: { measurement: ["mem_used_percent"] },
          disk: { measurement: ["used_percent"], resources: ["/"] },
        },
      },
      logs: {
        logs_collected: {
          files: {
            collect_list: [{ file_path: "/var/log/user-data.log", log_group_name: logGroup, log_stream_name: "{instance_id}/user-data" }],
          },
        },
      },
    },
    null,
    2,
  );
}

/**
 * Renders the boot script of `spec` from its template in `templates/`. Every value is
 * inserted as a shell-quoted word by the template; the result is plain text with no
 * Terraform references (it is base64-encoded at synth, so a reference would never resolve).
 */
export function renderBootScript(spec: BootSpec): string {
  const common = {
    service: spec.service,
    color: spec.color ?? null,
    region: spec.region,
    logGroup: spec.logGroup,
    cloudwatchAgentConfig: cloudwatchAgentConfig(spec.logGroup),
    environment: Object.entries(spec.environment).map(([name, value]) => ({ name, value })),
    certificateMetrics: spec.certificateMetrics ? { ...spec.certificateMetrics, secrets: [...spec.certificateMetrics.secrets], ...SECRET_CERTIFICATE_METRIC } : null,
  };
  const nested = { environment: JSON.stringify(spec.environment), certificateMetrics: JSON.stringify(spec.certificateMetrics ?? null), firstBoot: JSON.stringify(spec.kind === "script" ? (spec.firstBoot ?? null) : null) };
  for (const [key, value] of Object.entries({ ...spec, ...nested })) {
    if (typeof value === "string" && Token.isUnresolved(value)) {
      throw new Error(`user data of ${spec.service}: "${key}" is a Terraform reference; boot scripts take literal values only`);
    }
  }
  const view =
    spec.kind === "container"
      ? {
          ...common,
          repository: spec.repository,
          tag: spec.tag,
          registryAccountId: spec.registryAccountId ?? null,
          dnsSuffix: partitionOf(spec.region) === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com",
          ports: spec.ports ?? null,
          secrets: [...spec.secrets],
          command: [...(spec.command ?? [])],
          databaseParameter: spec.databaseParameter ?? null,
          privateIpIn: variableNames(spec.service, spec.privateIpIn ?? []),
        }
      : { ...common, installerUrl: spec.installerUrl, installerSha256: spec.installerSha256 ?? null, systemdUnit: spec.systemdUnit ?? null, firstBoot: spec.firstBoot ? { ...spec.firstBoot, waitFor: [...spec.firstBoot.waitFor] } : null };
  return template(spec.kind)(view);
}

/** `names`, each a valid environment variable name: the template writes them into the script as they are. */
function variableNames(service: string, names: readonly string[]): string[] {
  const invalid = names.filter((name) => !ENV_VAR_NAME.test(name));
  if (invalid.length > 0) throw new Error(`user data of ${service}: ${invalid.map((n) => JSON.stringify(n)).join(", ")} is not an environment variable name`);
  return [...names];
}

/** EC2 accepts at most 16 KB of user data before base64. */
export const USER_DATA_LIMIT = 16 * 1024;

/** The boot script a launch template runs, within EC2's user data limit. */
export function bootScript(spec: BootSpec): string {
  const script = renderBootScript(spec);
  const bytes = Buffer.byteLength(script, "utf8");
  if (bytes > USER_DATA_LIMIT) {
    throw new Error(`user data of ${spec.service} is ${bytes} bytes; EC2 accepts at most ${USER_DATA_LIMIT}. Move settings into a secret or SSM parameter read at boot.`);
  }
  return script;
}
