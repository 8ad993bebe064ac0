// Protobuf wire schema of authentication/v1: per message, "<json name> <field number> <type> [flags]".
// Field numbers/types are the Kubernetes protocol (k8s.io/api authentication/v1 generated.proto, v0.35); flags from the Go
// types: p = pointer, o = omitempty, i = inline (embedded struct merged into the parent JSON).
// Types: scalars, local or "<group>.<Message>" messages, "[]" repeated, "{}" map keyed by string.

export const authentication: Record<string, string> = {
  BoundObjectReference: "kind 1 string o, apiVersion 2 string o, name 3 string o, uid 4 string o",
  SelfSubjectReview: "metadata 1 meta.ObjectMeta o, status 2 SelfSubjectReviewStatus o",
  SelfSubjectReviewStatus: "userInfo 1 UserInfo o",
  TokenRequest: "metadata 1 meta.ObjectMeta o, spec 2 TokenRequestSpec, status 3 TokenRequestStatus o",
  TokenRequestSpec: "audiences 1 []string, expirationSeconds 4 int64 p, boundObjectRef 3 BoundObjectReference p",
  TokenRequestStatus: "token 1 string, expirationTimestamp 2 Time",
  TokenReview: "metadata 1 meta.ObjectMeta o, spec 2 TokenReviewSpec, status 3 TokenReviewStatus o",
  TokenReviewSpec: "token 1 string o, audiences 2 []string o",
  TokenReviewStatus: "authenticated 1 bool o, user 2 UserInfo o, audiences 4 []string o, error 3 string o",
  UserInfo: "username 1 string o, uid 2 string o, groups 3 []string o, extra 4 {}StringList o",
};
