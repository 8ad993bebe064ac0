// Protobuf wire schema of rbac/v1: per message, "<json name> <field number> <type> [flags]".
// Field numbers/types are the Kubernetes protocol (k8s.io/api rbac/v1 generated.proto, v0.35); flags from the Go
// types: p = pointer, o = omitempty, i = inline (embedded struct merged into the parent JSON).
// Types: scalars, local or "<group>.<Message>" messages, "[]" repeated, "{}" map keyed by string.

export const rbac: Record<string, string> = {
  AggregationRule: "clusterRoleSelectors 1 []meta.LabelSelector o",
  ClusterRole: "metadata 1 meta.ObjectMeta o, rules 2 []PolicyRule, aggregationRule 3 AggregationRule po",
  ClusterRoleBinding: "metadata 1 meta.ObjectMeta o, subjects 2 []Subject o, roleRef 3 RoleRef",
  ClusterRoleBindingList: "metadata 1 meta.ListMeta o, items 2 []ClusterRoleBinding",
  ClusterRoleList: "metadata 1 meta.ListMeta o, items 2 []ClusterRole",
  PolicyRule: "verbs 1 []string, apiGroups 2 []string o, resources 3 []string o, resourceNames 4 []string o, nonResourceURLs 5 []string o",
  Role: "metadata 1 meta.ObjectMeta o, rules 2 []PolicyRule",
  RoleBinding: "metadata 1 meta.ObjectMeta o, subjects 2 []Subject o, roleRef 3 RoleRef",
  RoleBindingList: "metadata 1 meta.ListMeta o, items 2 []RoleBinding",
  RoleList: "metadata 1 meta.ListMeta o, items 2 []Role",
  RoleRef: "apiGroup 1 string, kind 2 string, name 3 string",
  Subject: "kind 1 string, apiGroup 2 string o, name 3 string, namespace 4 string o",
};
