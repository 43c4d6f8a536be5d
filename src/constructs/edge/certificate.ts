import { Construct } from "constructs";
import { Fn, TerraformIterator, TerraformLocal, TerraformProvider, Token } from "cdktf";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { relativeKey, validateDomainName, isInZone } from "../../lib/domain-names";
import { HostedZone } from "./hosted-zone";

export interface DnsValidatedCertificateProps {
  /** The names the certificate covers: the first is its subject, the rest alternative names. A leading `*.` is allowed. */
  readonly domainNames: readonly string[];
  /** The hosted zone holding every name, where the validation records go. */
  readonly zone: HostedZone;
  /**
   * The AWS provider of the region the certificate is used in: CloudFront takes only
   * certificates in us-east-1. @default the stack's default provider
   */
  readonly provider?: TerraformProvider;
  /** A Name tag. @default none */
  readonly name?: string;
}

/**
 * An ACM certificate validated by DNS in a Route 53 zone: the certificate (RSA 2048,
 * created before the old one is destroyed on a change of names), one validation CNAME per
 * name, keyed by the name (`validation_record_<name below the zone>`), and the
 * `aws_acm_certificate_validation` that waits until ACM has issued it. ACM renews it
 * automatically for as long as the records stay.
 *
 * `certificateArn` is the validation's output, so whatever uses it waits for issuance.
 * A wildcard name shares its validation record with the name it covers (`*.example.com`
 * and `example.com`): only one record is written for the two.
 */
export class DnsValidatedCertificate extends Construct {
  public readonly certificate: AcmCertificate;
  /** The validation records, by name. */
  public readonly validationRecords: Readonly<Record<string, Route53Record>>;
  public readonly validation: AcmCertificateValidation;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    const names = props.domainNames;
    if (names.length === 0) throw new Error(`${this.node.path}: a certificate needs at least one domain name`);
    names.forEach((name, i) => {
      validateDomainName(name, `domainNames[${i}]`, { wildcard: true });
      if (!isInZone(name, props.zone.name)) throw new Error(`${this.node.path}: ${name} is not inside the zone ${props.zone.name}`);
    });

    this.certificate = new AcmCertificate(this, "certificate", {
      provider: props.provider,
      domainName: names[0],
      subjectAlternativeNames: names.length > 1 ? names.slice(1) : undefined,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      tags: props.name ? { Name: props.name } : undefined,
      lifecycle: { createBeforeDestroy: true },
    });

    const records = this.addValidationRecords(names, props.zone);
    this.validationRecords = records;

    this.validation = new AcmCertificateValidation(this, "validation", {
      provider: props.provider,
      certificateArn: this.certificate.arn,
      validationRecordFqdns: Object.values(records).map((r) => r.fqdn),
    });
  }

  /** One DNS validation record per name, from ACM's validation options (`*.x` shares `x`'s). */
  private addValidationRecords(names: readonly string[], zone: DnsValidatedCertificateProps["zone"]): Record<string, Route53Record> {
    // ACM's validation options by name; each record picks its own.
    const options = new TerraformLocal(
      this,
      "validation_options",
      TerraformIterator.fromList(this.certificate.domainValidationOptions).forExpressionForMap("val.domain_name", "val"),
    );
    const option = (name: string, field: string) => Token.asString(Fn.lookupNested(options.expression, [name, field]));

    const records: Record<string, Route53Record> = {};
    for (const name of names) {
      // `*.x` validates with the record of `x`: write it once.
      if (name.startsWith("*.") && names.includes(name.slice(2))) continue;
      records[name] = new Route53Record(this, `validation_record_${relativeKey(name, zone.name)}`, {
        zoneId: zone.zoneId,
        name: option(name, "resource_record_name"),
        type: option(name, "resource_record_type"),
        records: [option(name, "resource_record_value")],
        ttl: 60,
        // A replaced certificate for the same names asks for the same record.
        allowOverwrite: true,
      });
    }
    return records;
  }

  /** The issued certificate's ARN (available once validation has completed). */
  public get certificateArn(): string {
    return this.validation.certificateArn;
  }
}
