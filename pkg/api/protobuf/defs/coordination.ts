// Protobuf wire schema of coordination/v1: per message, "<json name> <field number> <type> [flags]".
// Field numbers/types are the Kubernetes protocol (k8s.io/api coordination/v1 generated.proto, v0.35); flags from the Go
// types: p = pointer, o = omitempty, i = inline (embedded struct merged into the parent JSON).
// Types: scalars, local or "<group>.<Message>" messages, "[]" repeated, "{}" map keyed by string.

export const coordination: Record<string, string> = {
  Lease: "metadata 1 meta.ObjectMeta o, spec 2 LeaseSpec o",
  LeaseList: "metadata 1 meta.ListMeta o, items 2 []Lease",
  LeaseSpec: "holderIdentity 1 string po, leaseDurationSeconds 2 int32 po, acquireTime 3 MicroTime po, renewTime 4 MicroTime po, leaseTransitions 5 int32 po, strategy 6 string po, preferredHolder 7 string po",
};
