// Protobuf wire schema of node/v1: per message, "<json name> <field number> <type> [flags]".
// Field numbers/types are the Kubernetes protocol (k8s.io/api node/v1 generated.proto, v0.35); flags from the Go
// types: p = pointer, o = omitempty, i = inline (embedded struct merged into the parent JSON).
// Types: scalars, local or "<group>.<Message>" messages, "[]" repeated, "{}" map keyed by string.

export const node: Record<string, string> = {
  Overhead: "podFixed 1 {}Quantity o",
  RuntimeClass: "metadata 1 meta.ObjectMeta o, handler 2 string, overhead 3 Overhead po, scheduling 4 Scheduling po",
  RuntimeClassList: "metadata 1 meta.ListMeta o, items 2 []RuntimeClass",
  Scheduling: "nodeSelector 1 {}string o, tolerations 2 []core.Toleration o",
};
