// Protobuf wire schema of events/v1: per message, "<json name> <field number> <type> [flags]".
// Field numbers/types are the Kubernetes protocol (k8s.io/api events/v1 generated.proto, v0.35); flags from the Go
// types: p = pointer, o = omitempty, i = inline (embedded struct merged into the parent JSON).
// Types: scalars, local or "<group>.<Message>" messages, "[]" repeated, "{}" map keyed by string.

export const events: Record<string, string> = {
  Event: "metadata 1 meta.ObjectMeta, eventTime 2 MicroTime, series 3 EventSeries po, reportingController 4 string o, reportingInstance 5 string o, action 6 string o, reason 7 string o, regarding 8 core.ObjectReference o, related 9 core.ObjectReference po, note 10 string o, type 11 string o, deprecatedSource 12 core.EventSource o, deprecatedFirstTimestamp 13 Time o, deprecatedLastTimestamp 14 Time o, deprecatedCount 15 int32 o",
  EventList: "metadata 1 meta.ListMeta o, items 2 []Event",
  EventSeries: "count 1 int32, lastObservedTime 2 MicroTime",
};
