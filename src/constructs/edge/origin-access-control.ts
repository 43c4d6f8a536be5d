import { Construct } from "constructs";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { PolicyStatement } from "../../lib/iam";
import { SecureBucket } from "../storage/secure-bucket";

export interface S3OriginAccessControlProps {
  /** The OAC's name, unique in the account, at most 64 characters. */
  readonly name: string;
  /** @default "CloudFront reads <name> with SigV4" */
  readonly description?: string;
}

/**
 * CloudFront Origin Access Control for an S3 origin: CloudFront signs every request to the
 * bucket with SigV4 (`signing_behavior = "always"`), so the bucket stays private (all four
 * public-access-block flags on) and its policy admits only `cloudfront.amazonaws.com`
 * acting for one distribution (see {@link allowDistribution}).
 */
export class S3OriginAccessControl extends Construct {
  public readonly oac: CloudfrontOriginAccessControl;

  constructor(scope: Construct, id: string, props: S3OriginAccessControlProps) {
    super(scope, id);
    if (props.name.length > 64) throw new Error(`${this.node.path}: the origin access control name ${props.name} is longer than 64 characters`);
    this.oac = new CloudfrontOriginAccessControl(this, "control", {
      name: props.name,
      description: props.description ?? `CloudFront reads ${props.name} with SigV4`,
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    });
  }

  public get id(): string {
    return this.oac.id;
  }

  /**
   * Lets the distribution `distributionArn` read `bucket`'s objects through this OAC: a
   * statement in the bucket's policy for the CloudFront service principal, scoped by
   * `AWS:SourceArn` to that one distribution, so no other distribution (in any account)
   * can read the bucket.
   */
  public allowDistribution(bucket: SecureBucket, distributionArn: string, sid = "CloudFrontReadsThroughOac"): void {
    bucket.addToResourcePolicy(cloudFrontReadStatement(bucket.arn, distributionArn, sid));
  }
}

/** The bucket-policy statement letting one CloudFront distribution read a bucket's objects. */
export function cloudFrontReadStatement(bucketArn: string, distributionArn: string, sid = "CloudFrontReadsThroughOac"): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: "cloudfront.amazonaws.com" },
    Action: "s3:GetObject",
    Resource: `${bucketArn}/*`,
    Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
  };
}
