// Protobuf wire schema of scheduling/v1: per message, "<json name> <field number> <type> [flags]".
// Field numbers/types are the Kubernetes protocol (k8s.io/api scheduling/v1 generated.proto, v0.35); flags from the Go
// types: p = pointer, o = omitempty, i = inline (embedded struct merged into the parent JSON).
// Types: scalars, local or "<group>.<Message>" messages, "[]" repeated, "{}" map keyed by string.

export const scheduling: Record<string, string> = {
  PriorityClass: "metadata 1 meta.ObjectMeta o, value 2 int32, globalDefault 3 bool o, description 4 string o, preemptionPolicy 5 string po",
  PriorityClassList: "metadata 1 meta.ListMeta o, items 2 []PriorityClass",
};
