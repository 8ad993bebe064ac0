// Protobuf wire schema of apps/v1: per message, "<json name> <field number> <type> [flags]".
// Field numbers/types are the Kubernetes protocol (k8s.io/api apps/v1 generated.proto, v0.35); flags from the Go
// types: p = pointer, o = omitempty, i = inline (embedded struct merged into the parent JSON).
// Types: scalars, local or "<group>.<Message>" messages, "[]" repeated, "{}" map keyed by string.

export const apps: Record<string, string> = {
  ControllerRevision: "metadata 1 meta.ObjectMeta o, data 2 RawExtension o, revision 3 int64",
  ControllerRevisionList: "metadata 1 meta.ListMeta o, items 2 []ControllerRevision",
  DaemonSet: "metadata 1 meta.ObjectMeta o, spec 2 DaemonSetSpec o, status 3 DaemonSetStatus o",
  DaemonSetCondition: "type 1 string, status 2 string, lastTransitionTime 3 Time o, reason 4 string o, message 5 string o",
  DaemonSetList: "metadata 1 meta.ListMeta o, items 2 []DaemonSet",
  DaemonSetSpec: "selector 1 meta.LabelSelector p, template 2 core.PodTemplateSpec, updateStrategy 3 DaemonSetUpdateStrategy o, minReadySeconds 4 int32 o, revisionHistoryLimit 6 int32 po",
  DaemonSetStatus: "currentNumberScheduled 1 int32, numberMisscheduled 2 int32, desiredNumberScheduled 3 int32, numberReady 4 int32, observedGeneration 5 int64 o, updatedNumberScheduled 6 int32 o, numberAvailable 7 int32 o, numberUnavailable 8 int32 o, collisionCount 9 int32 po, conditions 10 []DaemonSetCondition o",
  DaemonSetUpdateStrategy: "type 1 string o, rollingUpdate 2 RollingUpdateDaemonSet po",
  Deployment: "metadata 1 meta.ObjectMeta o, spec 2 DeploymentSpec o, status 3 DeploymentStatus o",
  DeploymentCondition: "type 1 string, status 2 string, lastUpdateTime 6 Time o, lastTransitionTime 7 Time o, reason 4 string o, message 5 string o",
  DeploymentList: "metadata 1 meta.ListMeta o, items 2 []Deployment",
  DeploymentSpec: "replicas 1 int32 po, selector 2 meta.LabelSelector p, template 3 core.PodTemplateSpec, strategy 4 DeploymentStrategy o, minReadySeconds 5 int32 o, revisionHistoryLimit 6 int32 po, paused 7 bool o, progressDeadlineSeconds 9 int32 po",
  DeploymentStatus: "observedGeneration 1 int64 o, replicas 2 int32 o, updatedReplicas 3 int32 o, readyReplicas 7 int32 o, availableReplicas 4 int32 o, unavailableReplicas 5 int32 o, terminatingReplicas 9 int32 po, conditions 6 []DeploymentCondition o, collisionCount 8 int32 po",
  DeploymentStrategy: "type 1 string o, rollingUpdate 2 RollingUpdateDeployment po",
  ReplicaSet: "metadata 1 meta.ObjectMeta o, spec 2 ReplicaSetSpec o, status 3 ReplicaSetStatus o",
  ReplicaSetCondition: "type 1 string, status 2 string, lastTransitionTime 3 Time o, reason 4 string o, message 5 string o",
  ReplicaSetList: "metadata 1 meta.ListMeta o, items 2 []ReplicaSet",
  ReplicaSetSpec: "replicas 1 int32 po, minReadySeconds 4 int32 o, selector 2 meta.LabelSelector p, template 3 core.PodTemplateSpec o",
  ReplicaSetStatus: "replicas 1 int32, fullyLabeledReplicas 2 int32 o, readyReplicas 4 int32 o, availableReplicas 5 int32 o, terminatingReplicas 7 int32 po, observedGeneration 3 int64 o, conditions 6 []ReplicaSetCondition o",
  RollingUpdateDaemonSet: "maxUnavailable 1 IntOrString po, maxSurge 2 IntOrString po",
  RollingUpdateDeployment: "maxUnavailable 1 IntOrString po, maxSurge 2 IntOrString po",
  RollingUpdateStatefulSetStrategy: "partition 1 int32 po, maxUnavailable 2 IntOrString po",
  StatefulSet: "metadata 1 meta.ObjectMeta o, spec 2 StatefulSetSpec o, status 3 StatefulSetStatus o",
  StatefulSetCondition: "type 1 string, status 2 string, lastTransitionTime 3 Time o, reason 4 string o, message 5 string o",
  StatefulSetList: "metadata 1 meta.ListMeta o, items 2 []StatefulSet",
  StatefulSetOrdinals: "start 1 int32",
  StatefulSetPersistentVolumeClaimRetentionPolicy: "whenDeleted 1 string o, whenScaled 2 string o",
  StatefulSetSpec: "replicas 1 int32 po, selector 2 meta.LabelSelector p, template 3 core.PodTemplateSpec, volumeClaimTemplates 4 []core.PersistentVolumeClaim o, serviceName 5 string, podManagementPolicy 6 string o, updateStrategy 7 StatefulSetUpdateStrategy o, revisionHistoryLimit 8 int32 po, minReadySeconds 9 int32 o, persistentVolumeClaimRetentionPolicy 10 StatefulSetPersistentVolumeClaimRetentionPolicy po, ordinals 11 StatefulSetOrdinals po",
  StatefulSetStatus: "observedGeneration 1 int64 o, replicas 2 int32, readyReplicas 3 int32 o, currentReplicas 4 int32 o, updatedReplicas 5 int32 o, currentRevision 6 string o, updateRevision 7 string o, collisionCount 9 int32 po, conditions 10 []StatefulSetCondition o, availableReplicas 11 int32",
  StatefulSetUpdateStrategy: "type 1 string o, rollingUpdate 2 RollingUpdateStatefulSetStrategy po",
};
