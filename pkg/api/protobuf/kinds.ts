// Top-level kinds served over protobuf: group/version -> schema group and kind names (kinds with TypeMeta).
export const kindTable: Array<[group: string, version: string, schema: string, kinds: string]> = [
  ["", "v1", "core", "Binding ConfigMap ConfigMapList Endpoints EndpointsList Event EventList LimitRange LimitRangeList Namespace NamespaceList Node NodeList PersistentVolume PersistentVolumeClaim PersistentVolumeClaimList PersistentVolumeList Pod PodList PodTemplate PodTemplateList ReplicationController ReplicationControllerList ResourceQuota ResourceQuotaList Secret SecretList Service ServiceAccount ServiceAccountList ServiceList"],
  ["apps", "v1", "apps", "ControllerRevision ControllerRevisionList DaemonSet DaemonSetList Deployment DeploymentList ReplicaSet ReplicaSetList StatefulSet StatefulSetList"],
  ["batch", "v1", "batch", "CronJob CronJobList Job JobList"],
  ["rbac.authorization.k8s.io", "v1", "rbac", "ClusterRole ClusterRoleBinding ClusterRoleBindingList ClusterRoleList Role RoleBinding RoleBindingList RoleList"],
  ["policy", "v1", "policy", "Eviction PodDisruptionBudget PodDisruptionBudgetList"],
  ["networking.k8s.io", "v1", "networking", "IPAddress IPAddressList Ingress IngressClass IngressClassList IngressList NetworkPolicy NetworkPolicyList ServiceCIDR ServiceCIDRList"],
  ["scheduling.k8s.io", "v1", "scheduling", "PriorityClass PriorityClassList"],
  ["authentication.k8s.io", "v1", "authentication", "SelfSubjectReview TokenRequest TokenReview"],
  ["authorization.k8s.io", "v1", "authorization", "LocalSubjectAccessReview SelfSubjectAccessReview SelfSubjectRulesReview SubjectAccessReview"],
  ["autoscaling", "v1", "autoscaling", "HorizontalPodAutoscaler HorizontalPodAutoscalerList Scale"],
  ["autoscaling", "v2", "autoscalingv2", "HorizontalPodAutoscaler HorizontalPodAutoscalerList"],
  ["coordination.k8s.io", "v1", "coordination", "Lease LeaseList"],
  ["discovery.k8s.io", "v1", "discovery", "EndpointSlice EndpointSliceList"],
  ["storage.k8s.io", "v1", "storage", "CSIDriver CSIDriverList CSINode CSINodeList CSIStorageCapacity CSIStorageCapacityList StorageClass StorageClassList VolumeAttachment VolumeAttachmentList VolumeAttributesClass VolumeAttributesClassList"],
  ["node.k8s.io", "v1", "node", "RuntimeClass RuntimeClassList"],
  ["events.k8s.io", "v1", "events", "Event EventList"],
];
