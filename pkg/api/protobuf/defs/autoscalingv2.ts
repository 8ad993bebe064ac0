// Protobuf wire schema of autoscaling/v2: per message, "<json name> <field number> <type> [flags]".
// Field numbers/types are the Kubernetes protocol (k8s.io/api autoscaling/v2 generated.proto, v0.35); flags from the Go
// types: p = pointer, o = omitempty, i = inline (embedded struct merged into the parent JSON).
// Types: scalars, local or "<group>.<Message>" messages, "[]" repeated, "{}" map keyed by string.

export const autoscalingv2: Record<string, string> = {
  ContainerResourceMetricSource: "name 1 string, target 2 MetricTarget, container 3 string",
  ContainerResourceMetricStatus: "name 1 string, current 2 MetricValueStatus, container 3 string",
  CrossVersionObjectReference: "kind 1 string, name 2 string, apiVersion 3 string o",
  ExternalMetricSource: "metric 1 MetricIdentifier, target 2 MetricTarget",
  ExternalMetricStatus: "metric 1 MetricIdentifier, current 2 MetricValueStatus",
  HPAScalingPolicy: "type 1 string, value 2 int32, periodSeconds 3 int32",
  HPAScalingRules: "stabilizationWindowSeconds 3 int32 po, selectPolicy 1 string po, policies 2 []HPAScalingPolicy o, tolerance 4 Quantity po",
  HorizontalPodAutoscaler: "metadata 1 meta.ObjectMeta o, spec 2 HorizontalPodAutoscalerSpec o, status 3 HorizontalPodAutoscalerStatus o",
  HorizontalPodAutoscalerBehavior: "scaleUp 1 HPAScalingRules po, scaleDown 2 HPAScalingRules po",
  HorizontalPodAutoscalerCondition: "type 1 string, status 2 string, lastTransitionTime 3 Time o, reason 4 string o, message 5 string o",
  HorizontalPodAutoscalerList: "metadata 1 meta.ListMeta o, items 2 []HorizontalPodAutoscaler",
  HorizontalPodAutoscalerSpec: "scaleTargetRef 1 CrossVersionObjectReference, minReplicas 2 int32 po, maxReplicas 3 int32, metrics 4 []MetricSpec o, behavior 5 HorizontalPodAutoscalerBehavior po",
  HorizontalPodAutoscalerStatus: "observedGeneration 1 int64 po, lastScaleTime 2 Time po, currentReplicas 3 int32 o, desiredReplicas 4 int32, currentMetrics 5 []MetricStatus, conditions 6 []HorizontalPodAutoscalerCondition o",
  MetricIdentifier: "name 1 string, selector 2 meta.LabelSelector po",
  MetricSpec: "type 1 string, object 2 ObjectMetricSource po, pods 3 PodsMetricSource po, resource 4 ResourceMetricSource po, containerResource 7 ContainerResourceMetricSource po, external 5 ExternalMetricSource po",
  MetricStatus: "type 1 string, object 2 ObjectMetricStatus po, pods 3 PodsMetricStatus po, resource 4 ResourceMetricStatus po, containerResource 7 ContainerResourceMetricStatus po, external 5 ExternalMetricStatus po",
  MetricTarget: "type 1 string, value 2 Quantity po, averageValue 3 Quantity po, averageUtilization 4 int32 po",
  MetricValueStatus: "value 1 Quantity po, averageValue 2 Quantity po, averageUtilization 3 int32 po",
  ObjectMetricSource: "describedObject 1 CrossVersionObjectReference, target 2 MetricTarget, metric 3 MetricIdentifier",
  ObjectMetricStatus: "metric 1 MetricIdentifier, current 2 MetricValueStatus, describedObject 3 CrossVersionObjectReference",
  PodsMetricSource: "metric 1 MetricIdentifier, target 2 MetricTarget",
  PodsMetricStatus: "metric 1 MetricIdentifier, current 2 MetricValueStatus",
  ResourceMetricSource: "name 1 string, target 2 MetricTarget",
  ResourceMetricStatus: "name 1 string, current 2 MetricValueStatus",
};
