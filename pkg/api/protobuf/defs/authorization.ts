// Protobuf wire schema of authorization/v1: per message, "<json name> <field number> <type> [flags]".
// Field numbers/types are the Kubernetes protocol (k8s.io/api authorization/v1 generated.proto, v0.35); flags from the Go
// types: p = pointer, o = omitempty, i = inline (embedded struct merged into the parent JSON).
// Types: scalars, local or "<group>.<Message>" messages, "[]" repeated, "{}" map keyed by string.

export const authorization: Record<string, string> = {
  FieldSelectorAttributes: "rawSelector 1 string o, requirements 2 []meta.FieldSelectorRequirement o",
  LabelSelectorAttributes: "rawSelector 1 string o, requirements 2 []meta.LabelSelectorRequirement o",
  LocalSubjectAccessReview: "metadata 1 meta.ObjectMeta o, spec 2 SubjectAccessReviewSpec, status 3 SubjectAccessReviewStatus o",
  NonResourceAttributes: "path 1 string o, verb 2 string o",
  NonResourceRule: "verbs 1 []string, nonResourceURLs 2 []string o",
  ResourceAttributes: "namespace 1 string o, verb 2 string o, group 3 string o, version 4 string o, resource 5 string o, subresource 6 string o, name 7 string o, fieldSelector 8 FieldSelectorAttributes po, labelSelector 9 LabelSelectorAttributes po",
  ResourceRule: "verbs 1 []string, apiGroups 2 []string o, resources 3 []string o, resourceNames 4 []string o",
  SelfSubjectAccessReview: "metadata 1 meta.ObjectMeta o, spec 2 SelfSubjectAccessReviewSpec, status 3 SubjectAccessReviewStatus o",
  SelfSubjectAccessReviewSpec: "resourceAttributes 1 ResourceAttributes po, nonResourceAttributes 2 NonResourceAttributes po",
  SelfSubjectRulesReview: "metadata 1 meta.ObjectMeta o, spec 2 SelfSubjectRulesReviewSpec, status 3 SubjectRulesReviewStatus o",
  SelfSubjectRulesReviewSpec: "namespace 1 string o",
  SubjectAccessReview: "metadata 1 meta.ObjectMeta o, spec 2 SubjectAccessReviewSpec, status 3 SubjectAccessReviewStatus o",
  SubjectAccessReviewSpec: "resourceAttributes 1 ResourceAttributes po, nonResourceAttributes 2 NonResourceAttributes po, user 3 string o, groups 4 []string o, extra 5 {}StringList o, uid 6 string o",
  SubjectAccessReviewStatus: "allowed 1 bool, denied 4 bool o, reason 2 string o, evaluationError 3 string o",
  SubjectRulesReviewStatus: "resourceRules 1 []ResourceRule, nonResourceRules 2 []NonResourceRule, incomplete 3 bool, evaluationError 4 string o",
};
