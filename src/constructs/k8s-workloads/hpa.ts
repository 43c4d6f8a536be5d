import { Construct } from "constructs";
import {
  HorizontalPodAutoscalerV2,
  HorizontalPodAutoscalerV2SpecBehaviorScaleDown,
  HorizontalPodAutoscalerV2SpecMetric,
} from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { HpaConfig, HpaMetricConfig } from "./settings";

export interface AppAutoscalerProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The Deployment to scale. */
  readonly deploymentName: string;
  readonly settings: HpaConfig;
}

/**
 * An autoscaling/v2 HorizontalPodAutoscaler: resource metrics as utilization of the
 * pods' requests (metrics-server), external metrics by total (`Value`) or per pod
 * (`AverageValue`) from an external metrics adapter, and explicit scale-up and
 * scale-down behaviour. With several metrics the HPA follows the largest
 * recommendation, so "CPU > 70 % or memory > 80 %" is two metrics.
 */
export class AppAutoscaler extends Construct {
  public readonly hpa: HorizontalPodAutoscalerV2;

  constructor(scope: Construct, id: string, props: AppAutoscalerProps) {
    super(scope, id);
    const { settings } = props;
    this.hpa = new HorizontalPodAutoscalerV2(this, "hpa", {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: props.deploymentName },
        minReplicas: settings.minReplicas,
        maxReplicas: settings.maxReplicas,
        metric: settings.metrics.map(hpaMetric),
        behavior: {
          scaleUp: [scalingRules(settings.scaleUp)],
          scaleDown: [scalingRules(settings.scaleDown)],
        },
      },
    });
  }
}

/** One config metric as an HPA `metric` block. */
export function hpaMetric(metric: HpaMetricConfig): HorizontalPodAutoscalerV2SpecMetric {
  if (metric.type === "cpu" || metric.type === "memory") {
    return {
      type: "Resource",
      resource: { name: metric.type, target: { type: "Utilization", averageUtilization: metric.averageUtilization } },
    };
  }
  return {
    type: "External",
    external: {
      metric: { name: metric.name!, selector: metric.selector ? [{ matchLabels: { ...metric.selector } }] : undefined },
      target: metric.value !== undefined ? { type: "Value", value: metric.value } : { type: "AverageValue", averageValue: metric.averageValue },
    },
  };
}

function scalingRules(rules: HpaConfig["scaleUp"]): HorizontalPodAutoscalerV2SpecBehaviorScaleDown {
  return {
    stabilizationWindowSeconds: rules.stabilizationWindowSeconds,
    selectPolicy: rules.selectPolicy,
    policy: rules.policies.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.periodSeconds })),
  };
}
