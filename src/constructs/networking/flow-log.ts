import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { partitionOf } from "../../lib/regions";
import { assumeRolePolicy, policyDocument } from "../../lib/iam";
import { Naming } from "../../lib/naming";
import type { FlowLogsConfig } from "./settings";

/** A flow log's settings, parsed by the network's `flowLogs` schema (./settings.ts). */
export type VpcFlowLogSettings = Pick<FlowLogsConfig, "retentionInDays" | "trafficType" | "maxAggregationInterval">;

export interface VpcFlowLogProps {
  /** The VPC to record. */
  readonly vpcId: string;
  /** Names the log group (`/aws/vpc-flow-logs/<prefix>`) and the role (`<prefix>-vpc-flow-logs`). */
  readonly naming: Naming;
  /** The region, for the role's trust condition. */
  readonly region: string;
  /** Retention (always finite), traffic type and aggregation interval: the network's `flowLogs` settings. */
  readonly settings: VpcFlowLogSettings;
  /** A KMS key ARN to encrypt the log group with. @default CloudWatch Logs' own encryption */
  readonly kmsKeyArn?: string;
}

/**
 * VPC flow logs delivered to a CloudWatch log group with a finite retention, through an
 * IAM role that only VPC Flow Logs in this region can assume and that may only write to
 * that one log group.
 */
export class VpcFlowLog extends Construct {
  public readonly logGroup: CloudwatchLogGroup;
  public readonly role: IamRole;
  public readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogProps) {
    super(scope, id);
    // A CloudWatch Logs retention period, as the schema checks it (./settings.ts).
    const { retentionInDays: retention, trafficType, maxAggregationInterval } = props.settings;

    const logGroupName = `/aws/vpc-flow-logs/${props.naming.prefix}`;
    this.logGroup = new CloudwatchLogGroup(this, "log_group", {
      name: logGroupName,
      retentionInDays: retention,
      kmsKeyId: props.kmsKeyArn,
    });

    this.role = this.addWriterRole(props, logGroupName);

    this.flowLog = new FlowLog(this, "flow_log", {
      vpcId: props.vpcId,
      trafficType,
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: this.role.arn,
      maxAggregationInterval,
      tags: { Name: `${props.naming.prefix}-vpc-flow-log` },
    });
  }

  /** The role VPC Flow Logs assumes (from this region's flow logs only), allowed to write to the log group only. */
  private addWriterRole(props: VpcFlowLogProps, logGroupName: string): IamRole {
    const partition = partitionOf(props.region);
    const role = new IamRole(this, "role", {
      name: props.naming.name("iamRole", "vpc-flow-logs"),
      description: `Lets VPC Flow Logs write to ${logGroupName}`,
      assumeRolePolicy: assumeRolePolicy("vpc-flow-logs.amazonaws.com", {
        ArnLike: { "aws:SourceArn": `arn:${partition}:ec2:${props.region}:*:vpc-flow-log/*` },
      }),
    });
    new IamRolePolicy(this, "policy", {
      name: "write-flow-logs",
      role: role.id,
      policy: policyDocument({
        Sid: "WriteToItsLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [this.logGroup.arn, `${this.logGroup.arn}:*`],
      }),
    });
    return role;
  }
}
