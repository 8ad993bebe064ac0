// Protobuf wire schema of policy/v1: per message, "<json name> <field number> <type> [flags]".
// Field numbers/types are the Kubernetes protocol (k8s.io/api policy/v1 generated.proto, v0.35); flags from the Go
// types: p = pointer, o = omitempty, i = inline (embedded struct merged into the parent JSON).
// Types: scalars, local or "<group>.<Message>" messages, "[]" repeated, "{}" map keyed by string.

export const policy: Record<string, string> = {
  Eviction: "metadata 1 meta.ObjectMeta o, deleteOptions 2 meta.DeleteOptions po",
  PodDisruptionBudget: "metadata 1 meta.ObjectMeta o, spec 2 PodDisruptionBudgetSpec o, status 3 PodDisruptionBudgetStatus o",
  PodDisruptionBudgetList: "metadata 1 meta.ListMeta o, items 2 []PodDisruptionBudget",
  PodDisruptionBudgetSpec: "minAvailable 1 IntOrString po, selector 2 meta.LabelSelector po, maxUnavailable 3 IntOrString po, unhealthyPodEvictionPolicy 4 string po",
  PodDisruptionBudgetStatus: "observedGeneration 1 int64 o, disruptedPods 2 {}Time o, disruptionsAllowed 3 int32, currentHealthy 4 int32, desiredHealthy 5 int32, expectedPods 6 int32, conditions 7 []meta.Condition o",
};
