// Facts from upstream's types.go struct tags that the generated client models do not carry:
// strategic-merge patch strategies/merge keys, server-side-apply list/map types. Keyed by
// "<package-short>.<Type>.<field>" where package-short is e.g. "core.v1", "apps.v1", "meta.v1".
import type { FieldSchema } from "./types.ts";

type Fact = Pick<FieldSchema, "patchStrategy" | "patchMergeKey" | "listType" | "listMapKeys" | "mapType" | "default">;

const mergeBy = (key: string, mapKeys: string[] = [key], strategy = "merge"): Fact => ({
  patchStrategy: strategy,
  patchMergeKey: key,
  listType: "map",
  listMapKeys: mapKeys,
});
const conditions = mergeBy("type");
const set: Fact = { listType: "set" };

export const fieldFacts: Record<string, Fact> = {
  // core/v1 PodSpec
  "core.v1.PodSpec.volumes": mergeBy("name", ["name"], "merge,retainKeys"),
  "core.v1.PodSpec.initContainers": mergeBy("name"),
  "core.v1.PodSpec.containers": mergeBy("name"),
  "core.v1.PodSpec.ephemeralContainers": mergeBy("name"),
  "core.v1.PodSpec.imagePullSecrets": mergeBy("name"),
  "core.v1.PodSpec.hostAliases": mergeBy("ip"),
  "core.v1.PodSpec.topologySpreadConstraints": mergeBy("topologyKey", ["topologyKey", "whenUnsatisfiable"]),
  "core.v1.PodSpec.resourceClaims": mergeBy("name", ["name"], "merge,retainKeys"),
  "core.v1.PodSpec.schedulingGates": mergeBy("name"),
  "core.v1.PodSpec.tolerations": { listType: "atomic" },
  "core.v1.PodSpec.readinessGates": { listType: "atomic" },
  // core/v1 Container and EphemeralContainer share their list fields
  ...containerFacts("Container"),
  ...containerFacts("EphemeralContainer"),
  "core.v1.PodStatus.conditions": conditions,
  "core.v1.PodStatus.podIPs": mergeBy("ip"),
  "core.v1.PodStatus.hostIPs": { patchStrategy: "merge", patchMergeKey: "ip", listType: "atomic" },
  "core.v1.PodStatus.resourceClaimStatuses": mergeBy("name", ["name"], "merge,retainKeys"),
  "core.v1.ServiceSpec.ports": mergeBy("port", ["port", "protocol"]),
  "core.v1.ServiceSpec.clusterIPs": { listType: "atomic" },
  "core.v1.ServiceSpec.ipFamilies": { listType: "atomic" },
  "core.v1.ServiceSpec.externalIPs": { listType: "atomic" },
  "core.v1.ServiceStatus.conditions": conditions,
  "core.v1.NodeSpec.podCIDRs": { patchStrategy: "merge", listType: "set" },
  "core.v1.NodeSpec.taints": { listType: "atomic" },
  "core.v1.NodeStatus.conditions": conditions,
  "core.v1.NodeStatus.addresses": mergeBy("type"),
  "core.v1.NodeStatus.images": { listType: "atomic" },
  "core.v1.NodeStatus.volumesAttached": { listType: "atomic" },
  "core.v1.NodeStatus.volumesInUse": { listType: "atomic" },
  "core.v1.NamespaceStatus.conditions": conditions,
  "core.v1.NamespaceSpec.finalizers": { listType: "atomic" },
  "core.v1.PersistentVolumeClaimStatus.conditions": conditions,
  "core.v1.PersistentVolumeClaimSpec.accessModes": { listType: "atomic" },
  "core.v1.PersistentVolumeSpec.accessModes": { listType: "atomic" },
  "core.v1.PersistentVolumeSpec.mountOptions": { listType: "atomic" },
  "core.v1.ReplicationControllerStatus.conditions": conditions,
  "core.v1.ServiceAccount.secrets": mergeBy("name"),
  "core.v1.ServiceAccount.imagePullSecrets": { listType: "atomic" },
  "core.v1.Endpoints.subsets": { listType: "atomic" },
  "core.v1.LimitRangeSpec.limits": { listType: "atomic" },
  "core.v1.ResourceQuotaSpec.scopes": { listType: "atomic" },
  // meta/v1
  "meta.v1.ObjectMeta.finalizers": { patchStrategy: "merge", listType: "set" },
  "meta.v1.ObjectMeta.ownerReferences": mergeBy("uid"),
  "meta.v1.ObjectMeta.managedFields": { listType: "atomic" },
  "meta.v1.LabelSelector.matchExpressions": { listType: "atomic" },
  // apps/v1
  "apps.v1.DeploymentSpec.strategy": { patchStrategy: "retainKeys" },
  "apps.v1.DeploymentStatus.conditions": conditions,
  "apps.v1.ReplicaSetStatus.conditions": conditions,
  "apps.v1.DaemonSetStatus.conditions": conditions,
  "apps.v1.StatefulSetStatus.conditions": conditions,
  "apps.v1.StatefulSetSpec.volumeClaimTemplates": { listType: "atomic" },
  // batch/v1
  "batch.v1.JobStatus.conditions": { patchStrategy: "merge", patchMergeKey: "type", listType: "atomic" },
  "batch.v1.CronJobStatus.active": { listType: "atomic" },
  // autoscaling/v2
  "autoscaling.v2.HorizontalPodAutoscalerStatus.conditions": conditions,
  "autoscaling.v2.HorizontalPodAutoscalerSpec.metrics": { listType: "atomic" },
  "autoscaling.v2.HorizontalPodAutoscalerStatus.currentMetrics": { listType: "atomic" },
  // policy/v1
  "policy.v1.PodDisruptionBudgetStatus.conditions": conditions,
  // networking/v1
  "networking.v1.IngressSpec.rules": { listType: "atomic" },
  "networking.v1.IngressSpec.tls": { listType: "atomic" },
  "networking.v1.NetworkPolicySpec.ingress": { listType: "atomic" },
  "networking.v1.NetworkPolicySpec.egress": { listType: "atomic" },
  "networking.v1.NetworkPolicySpec.policyTypes": { listType: "atomic" },
  // rbac/v1
  "rbac.v1.Role.rules": { listType: "atomic" },
  "rbac.v1.ClusterRole.rules": { listType: "atomic" },
  "rbac.v1.RoleBinding.subjects": { listType: "atomic" },
  "rbac.v1.ClusterRoleBinding.subjects": { listType: "atomic" },
  // discovery/v1
  "discovery.v1.EndpointSlice.endpoints": { listType: "atomic" },
  "discovery.v1.EndpointSlice.ports": { listType: "atomic" },
  // certificates/v1, apiextensions/v1
  "certificates.v1.CertificateSigningRequestStatus.conditions": { listType: "map", listMapKeys: ["type"] },
  "certificates.v1.CertificateSigningRequestSpec.usages": { listType: "atomic" },
  "apiextensions.v1.CustomResourceDefinitionStatus.conditions": { listType: "map", listMapKeys: ["type"] },
  "apiextensions.v1.CustomResourceDefinitionSpec.versions": { listType: "atomic" },
  "storage.v1.StorageClass.mountOptions": { listType: "atomic" },
  "storage.v1.StorageClass.allowedTopologies": { listType: "atomic" },
  "core.v1.NodeSelectorTerm.matchExpressions": { listType: "atomic" },
  "core.v1.NodeSelector.nodeSelectorTerms": { listType: "atomic" },
  "core.v1.Capabilities.add": { listType: "atomic" },
  "core.v1.Capabilities.drop": { listType: "atomic" },
  // `+default=` on list-map keys: server-side apply keys a port without protocol as TCP.
  "core.v1.ContainerPort.protocol": { default: "TCP" },
  "core.v1.ServicePort.protocol": { default: "TCP" },
};

function containerFacts(type: string): Record<string, Fact> {
  return {
    [`core.v1.${type}.ports`]: mergeBy("containerPort", ["containerPort", "protocol"]),
    [`core.v1.${type}.env`]: mergeBy("name"),
    [`core.v1.${type}.volumeMounts`]: mergeBy("mountPath"),
    [`core.v1.${type}.volumeDevices`]: mergeBy("devicePath"),
    [`core.v1.${type}.envFrom`]: { listType: "atomic" },
    [`core.v1.${type}.command`]: { listType: "atomic" },
    [`core.v1.${type}.args`]: { listType: "atomic" },
    [`core.v1.${type}.resizePolicy`]: { listType: "atomic" },
  };
}

/** Struct types upstream marks `+structType=atomic` (x-kubernetes-map-type: atomic). */
export const atomicStructs = new Set([
  "meta.v1.LabelSelector",
  "core.v1.LocalObjectReference",
  "core.v1.ObjectReference",
  "core.v1.TypedLocalObjectReference",
  "core.v1.NodeSelector",
  "core.v1.NodeSelectorTerm",
  "core.v1.ConfigMapKeySelector",
  "core.v1.SecretKeySelector",
  "core.v1.ObjectFieldSelector",
  "core.v1.ResourceFieldSelector",
  "core.v1.SecretReference",
]);

/** map[string]Quantity fields (the client models flatten Quantity to string). */
export const quantityMapFields = new Set([
  "core.v1.ResourceRequirements.limits",
  "core.v1.ResourceRequirements.requests",
  "core.v1.VolumeResourceRequirements.limits",
  "core.v1.VolumeResourceRequirements.requests",
  "core.v1.ResourceQuotaSpec.hard",
  "core.v1.ResourceQuotaStatus.hard",
  "core.v1.ResourceQuotaStatus.used",
  "core.v1.NodeStatus.capacity",
  "core.v1.NodeStatus.allocatable",
  "core.v1.PersistentVolumeSpec.capacity",
  "core.v1.PersistentVolumeClaimStatus.capacity",
  "core.v1.PersistentVolumeClaimStatus.allocatedResources",
  "core.v1.LimitRangeItem.max",
  "core.v1.LimitRangeItem.min",
  "core.v1.LimitRangeItem.default",
  "core.v1.LimitRangeItem.defaultRequest",
  "core.v1.LimitRangeItem.maxLimitRequestRatio",
  "core.v1.PodSpec.overhead",
  "core.v1.ContainerStatus.allocatedResources",
  "node.v1.Overhead.podFixed",
]);

/** Scalar Quantity fields. */
export const quantityFields = new Set(["core.v1.EmptyDirVolumeSource.sizeLimit", "core.v1.ResourceFieldSelector.divisor", "autoscaling.v2.MetricTarget.value", "autoscaling.v2.MetricTarget.averageValue", "autoscaling.v2.MetricValueStatus.value", "autoscaling.v2.MetricValueStatus.averageValue"]);
