// Protobuf wire schema of batch/v1: per message, "<json name> <field number> <type> [flags]".
// Field numbers/types are the Kubernetes protocol (k8s.io/api batch/v1 generated.proto, v0.35); flags from the Go
// types: p = pointer, o = omitempty, i = inline (embedded struct merged into the parent JSON).
// Types: scalars, local or "<group>.<Message>" messages, "[]" repeated, "{}" map keyed by string.

export const batch: Record<string, string> = {
  CronJob: "metadata 1 meta.ObjectMeta o, spec 2 CronJobSpec o, status 3 CronJobStatus o",
  CronJobList: "metadata 1 meta.ListMeta o, items 2 []CronJob",
  CronJobSpec: "schedule 1 string, timeZone 8 string po, startingDeadlineSeconds 2 int64 po, concurrencyPolicy 3 string o, suspend 4 bool po, jobTemplate 5 JobTemplateSpec, successfulJobsHistoryLimit 6 int32 po, failedJobsHistoryLimit 7 int32 po",
  CronJobStatus: "active 1 []core.ObjectReference o, lastScheduleTime 4 Time po, lastSuccessfulTime 5 Time po",
  Job: "metadata 1 meta.ObjectMeta o, spec 2 JobSpec o, status 3 JobStatus o",
  JobCondition: "type 1 string, status 2 string, lastProbeTime 3 Time o, lastTransitionTime 4 Time o, reason 5 string o, message 6 string o",
  JobList: "metadata 1 meta.ListMeta o, items 2 []Job",
  JobSpec: "parallelism 1 int32 po, completions 2 int32 po, activeDeadlineSeconds 3 int64 po, podFailurePolicy 11 PodFailurePolicy po, successPolicy 16 SuccessPolicy po, backoffLimit 7 int32 po, backoffLimitPerIndex 12 int32 po, maxFailedIndexes 13 int32 po, selector 4 meta.LabelSelector po, manualSelector 5 bool po, template 6 core.PodTemplateSpec, ttlSecondsAfterFinished 8 int32 po, completionMode 9 string po, suspend 10 bool po, podReplacementPolicy 14 string po, managedBy 15 string po",
  JobStatus: "conditions 1 []JobCondition o, startTime 2 Time po, completionTime 3 Time po, active 4 int32 o, succeeded 5 int32 o, failed 6 int32 o, terminating 11 int32 po, completedIndexes 7 string o, failedIndexes 10 string po, uncountedTerminatedPods 8 UncountedTerminatedPods po, ready 9 int32 po",
  JobTemplateSpec: "metadata 1 meta.ObjectMeta o, spec 2 JobSpec o",
  PodFailurePolicy: "rules 1 []PodFailurePolicyRule",
  PodFailurePolicyOnExitCodesRequirement: "containerName 1 string po, operator 2 string, values 3 []int32",
  PodFailurePolicyOnPodConditionsPattern: "type 1 string, status 2 string",
  PodFailurePolicyRule: "action 1 string, onExitCodes 2 PodFailurePolicyOnExitCodesRequirement po, onPodConditions 3 []PodFailurePolicyOnPodConditionsPattern o",
  SuccessPolicy: "rules 1 []SuccessPolicyRule",
  SuccessPolicyRule: "succeededIndexes 1 string po, succeededCount 2 int32 po",
  UncountedTerminatedPods: "succeeded 1 []string o, failed 2 []string o",
};
