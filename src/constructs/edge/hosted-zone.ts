import { Construct } from "constructs";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { validateDomainName } from "../../lib/domain-names";
import type { EdgeConfig } from "./settings";

/** A zone's settings, parsed: the `edge.hostedZone` settings (./settings.ts). */
export type HostedZoneSettings = NonNullable<EdgeConfig["hostedZone"]>;

export interface HostedZoneProps {
  /** The zone's domain name (e.g. `example.com`), and an existing public hosted zone's id (records go there and nothing is created) or none for a new zone. */
  readonly settings: HostedZoneSettings;
  /** What the zone is for, when it is created. @default "Managed by cdktf" */
  readonly comment?: string;
  /**
   * Terraform `prevent_destroy` on a created zone: destroying it would drop every record and
   * the name servers your registrar delegates to. @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * The Route 53 public hosted zone the edge layer's names live in: an existing zone, by id
 * (nothing is created), or a new one (`aws_route53_zone`, `force_destroy` off), whose name
 * servers the parent domain must delegate to (`nameServers`).
 */
export class HostedZone extends Construct {
  /** The zone's domain name. */
  public readonly name: string;
  /** The zone's id: the given one, or the created zone's. */
  public readonly zoneId: string;
  /** The created zone (absent for an existing zone). */
  public readonly zone?: Route53Zone;

  constructor(scope: Construct, id: string, props: HostedZoneProps) {
    super(scope, id);
    const { name, zoneId } = props.settings;
    validateDomainName(name, "name");
    this.name = name;
    if (zoneId !== undefined) {
      this.zoneId = zoneId;
      return;
    }
    this.zone = new Route53Zone(this, "zone", {
      name,
      comment: props.comment ?? "Managed by cdktf",
      forceDestroy: false,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.zoneId = this.zone.zoneId;
  }

  /** The name servers to delegate to (a created zone only). */
  public get nameServers(): string[] | undefined {
    return this.zone?.nameServers;
  }
}
