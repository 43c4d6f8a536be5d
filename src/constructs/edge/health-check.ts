import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import type { EdgeHealthCheckConfig } from "./settings";

export interface EndpointHealthCheckProps {
  /** The Name tag of the check, e.g. `duewin-prod-api`. */
  readonly name: string;
  /** The host probed, e.g. a load balancer's DNS name. */
  readonly fqdn: string;
  /** HTTPS on 443 (with SNI), or HTTP on 80. */
  readonly https: boolean;
  /** The path probed; must start with `/`. */
  readonly path: string;
  /** Seconds between checks from each checker, consecutive failures that make the endpoint unhealthy. */
  readonly settings: Pick<EdgeHealthCheckConfig, "requestIntervalSeconds" | "failureThreshold">;
  /**
   * A CloudWatch alarm when the check fails. Route 53 publishes health-check metrics only
   * in us-east-1, so the alarm needs a provider there. @default none
   */
  readonly alarm?: {
    /** The alarm's name. */
    readonly name: string;
    /** The AWS provider of us-east-1. */
    readonly provider: TerraformProvider;
    /** An SNS topic in us-east-1 to notify on ALARM and OK. @default none */
    readonly topicArn?: string;
  };
}

/**
 * A Route 53 health check of an HTTP(S) endpoint, from Route 53's checkers around the
 * world, and optionally a CloudWatch alarm (in us-east-1) when it fails. Route 53 does not
 * validate the endpoint's certificate, so probing a load balancer's own DNS name over
 * HTTPS works whatever names its certificate covers.
 */
export class EndpointHealthCheck extends Construct {
  public readonly check: Route53HealthCheck;
  public readonly alarm?: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: EndpointHealthCheckProps) {
    super(scope, id);
    if (!props.path.startsWith("/")) throw new Error(`${this.node.path}: the health check path ${props.path} must start with /`);
    const { failureThreshold, requestIntervalSeconds } = props.settings;
    if (!Number.isInteger(failureThreshold) || failureThreshold < 1 || failureThreshold > 10) {
      throw new Error(`${this.node.path}: failureThreshold ${failureThreshold} is not 1-10`);
    }
    this.check = new Route53HealthCheck(this, "check", {
      type: props.https ? "HTTPS" : "HTTP",
      fqdn: props.fqdn,
      port: props.https ? 443 : 80,
      resourcePath: props.path,
      enableSni: props.https ? true : undefined,
      requestInterval: requestIntervalSeconds,
      failureThreshold,
      measureLatency: false,
      tags: { Name: props.name },
    });

    if (props.alarm) this.alarm = this.addAlarm(props, props.alarm);
  }

  /** A CloudWatch alarm on the check's status (in us-east-1, where Route 53 publishes it), notifying the topic. */
  private addAlarm(props: EndpointHealthCheckProps, alarm: NonNullable<EndpointHealthCheckProps["alarm"]>): CloudwatchMetricAlarm {
    const actions = alarm.topicArn ? [alarm.topicArn] : undefined;
    return new CloudwatchMetricAlarm(this, "alarm", {
      provider: alarm.provider,
      alarmName: alarm.name,
      alarmDescription: `Route 53 health check ${props.name} (${props.https ? "HTTPS" : "HTTP"} ${props.path}) is failing`,
      namespace: "AWS/Route53",
      metricName: "HealthCheckStatus",
      dimensions: { HealthCheckId: this.check.id },
      statistic: "Minimum",
      period: 60,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      // No data means the checkers cannot report: treat it as a failure.
      treatMissingData: "breaching",
      alarmActions: actions,
      okActions: actions,
    });
  }
}
