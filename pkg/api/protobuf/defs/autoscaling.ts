// Protobuf wire schema of autoscaling/v1: per message, "<json name> <field number> <type> [flags]".
// Field numbers/types are the Kubernetes protocol (k8s.io/api autoscaling/v1 generated.proto, v0.35); flags from the Go
// types: p = pointer, o = omitempty, i = inline (embedded struct merged into the parent JSON).
// Types: scalars, local or "<group>.<Message>" messages, "[]" repeated, "{}" map keyed by string.

export const autoscaling: Record<string, string> = {
  CrossVersionObjectReference: "kind 1 string, name 2 string, apiVersion 3 string o",
  HorizontalPodAutoscaler: "metadata 1 meta.ObjectMeta o, spec 2 HorizontalPodAutoscalerSpec o, status 3 HorizontalPodAutoscalerStatus o",
  HorizontalPodAutoscalerList: "metadata 1 meta.ListMeta o, items 2 []HorizontalPodAutoscaler",
  HorizontalPodAutoscalerSpec: "scaleTargetRef 1 CrossVersionObjectReference, minReplicas 2 int32 po, maxReplicas 3 int32, targetCPUUtilizationPercentage 4 int32 po",
  HorizontalPodAutoscalerStatus: "observedGeneration 1 int64 po, lastScaleTime 2 Time po, currentReplicas 3 int32, desiredReplicas 4 int32, currentCPUUtilizationPercentage 5 int32 po",
  Scale: "metadata 1 meta.ObjectMeta o, spec 2 ScaleSpec o, status 3 ScaleStatus o",
  ScaleSpec: "replicas 1 int32 o",
  ScaleStatus: "replicas 1 int32, selector 2 string o",
};
