// Protobuf wire schema of meta v1: per message, "<json name> <field number> <type> [flags]".
// Field numbers/types are the Kubernetes protocol (k8s.io/apimachinery pkg/apis/meta/v1 generated.proto, v0.35); flags from the Go
// types: p = pointer, o = omitempty, i = inline (embedded struct merged into the parent JSON).
// Types: scalars, local or "<group>.<Message>" messages, "[]" repeated, "{}" map keyed by string.

export const meta: Record<string, string> = {
  Condition: "type 1 string, status 2 string, observedGeneration 3 int64 o, lastTransitionTime 4 Time, reason 5 string, message 6 string",
  DeleteOptions: "gracePeriodSeconds 1 int64 po, preconditions 2 Preconditions po, orphanDependents 3 bool po, propagationPolicy 4 string po, dryRun 5 []string o, ignoreStoreReadErrorWithClusterBreakingPotential 6 bool po",
  FieldSelectorRequirement: "key 1 string, operator 2 string, values 3 []string o",
  LabelSelector: "matchLabels 1 {}string o, matchExpressions 2 []LabelSelectorRequirement o",
  LabelSelectorRequirement: "key 1 string, operator 2 string, values 3 []string o",
  List: "metadata 1 ListMeta o, items 2 []RawExtension",
  ListMeta: "selfLink 1 string o, resourceVersion 2 string o, continue 3 string o, remainingItemCount 4 int64 po",
  ManagedFieldsEntry: "manager 1 string o, operation 2 string o, apiVersion 3 string o, time 4 Time po, fieldsType 6 string o, fieldsV1 7 FieldsV1 po, subresource 8 string o",
  ObjectMeta: "name 1 string o, generateName 2 string o, namespace 3 string o, selfLink 4 string o, uid 5 string o, resourceVersion 6 string o, generation 7 int64 o, creationTimestamp 8 Time o, deletionTimestamp 9 Time po, deletionGracePeriodSeconds 10 int64 po, labels 11 {}string o, annotations 12 {}string o, ownerReferences 13 []OwnerReference o, finalizers 14 []string o, managedFields 17 []ManagedFieldsEntry o",
  OwnerReference: "apiVersion 5 string, kind 1 string, name 3 string, uid 4 string, controller 6 bool po, blockOwnerDeletion 7 bool po",
  Preconditions: "uid 1 string po, resourceVersion 2 string po",
  Status: "metadata 1 ListMeta o, status 2 string o, message 3 string o, reason 4 string o, details 5 StatusDetails po, code 6 int32 o",
  StatusCause: "reason 1 string o, message 2 string o, field 3 string o",
  StatusDetails: "name 1 string o, group 2 string o, kind 3 string o, uid 6 string o, causes 4 []StatusCause o, retryAfterSeconds 5 int32 o",
};
