// Protobuf wire schema of discovery/v1: per message, "<json name> <field number> <type> [flags]".
// Field numbers/types are the Kubernetes protocol (k8s.io/api discovery/v1 generated.proto, v0.35); flags from the Go
// types: p = pointer, o = omitempty, i = inline (embedded struct merged into the parent JSON).
// Types: scalars, local or "<group>.<Message>" messages, "[]" repeated, "{}" map keyed by string.

export const discovery: Record<string, string> = {
  Endpoint: "addresses 1 []string, conditions 2 EndpointConditions o, hostname 3 string po, targetRef 4 core.ObjectReference po, deprecatedTopology 5 {}string o, nodeName 6 string po, zone 7 string po, hints 8 EndpointHints po",
  EndpointConditions: "ready 1 bool po, serving 2 bool po, terminating 3 bool po",
  EndpointHints: "forZones 1 []ForZone o, forNodes 2 []ForNode o",
  EndpointPort: "name 1 string po, protocol 2 string po, port 3 int32 po, appProtocol 4 string po",
  EndpointSlice: "metadata 1 meta.ObjectMeta o, addressType 4 string, endpoints 2 []Endpoint, ports 3 []EndpointPort",
  EndpointSliceList: "metadata 1 meta.ListMeta o, items 2 []EndpointSlice",
  ForNode: "name 1 string",
  ForZone: "name 1 string",
};
