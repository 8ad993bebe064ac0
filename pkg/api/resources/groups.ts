// Named API groups (/apis/<group>/<version>) as upstream kube-apiserver 1.33 discovery reports them.
import type { ResourceInfo } from "../types.ts";
import { eventFields } from "./core.ts";
import { groupVersion, scale, status } from "./define.ts";

const all = ["all"];

export const appsV1 = groupVersion("apps", "v1", [
  { kind: "ControllerRevision", resource: "controllerrevisions", namespaced: true },
  { kind: "DaemonSet", resource: "daemonsets", namespaced: true, shortNames: ["ds"], categories: all, subresources: [status("DaemonSet")], hasGeneration: true },
  { kind: "Deployment", resource: "deployments", namespaced: true, shortNames: ["deploy"], categories: all, subresources: [scale, status("Deployment")], hasGeneration: true },
  {
    kind: "ReplicaSet",
    resource: "replicasets",
    namespaced: true,
    shortNames: ["rs"],
    categories: all,
    subresources: [scale, status("ReplicaSet")],
    fieldSelectors: ["status.replicas"],
    hasGeneration: true,
  },
  { kind: "StatefulSet", resource: "statefulsets", namespaced: true, shortNames: ["sts"], categories: all, subresources: [scale, status("StatefulSet")], hasGeneration: true },
]);

export const eventsV1 = groupVersion("events.k8s.io", "v1", [
  // Same objects as core/v1 events (one storage), rendered in the events.k8s.io shape.
  { kind: "Event", resource: "events", namespaced: true, shortNames: ["ev"], storageGroupResource: "events", fieldSelectors: eventFields },
]);

const selfReview = (kind: string, resource: string) => ({ kind, resource, namespaced: false, verbs: ["create"] });

export const authenticationV1 = groupVersion("authentication.k8s.io", "v1", [selfReview("SelfSubjectReview", "selfsubjectreviews")]);

export const authorizationV1 = groupVersion("authorization.k8s.io", "v1", [selfReview("SelfSubjectAccessReview", "selfsubjectaccessreviews")]);

const hpa = {
  kind: "HorizontalPodAutoscaler",
  resource: "horizontalpodautoscalers",
  namespaced: true,
  shortNames: ["hpa"],
  categories: all,
  subresources: [status("HorizontalPodAutoscaler")],
  // v1 and v2 are two views of one stored object.
  storageGroupResource: "horizontalpodautoscalers.autoscaling",
  hasGeneration: true,
};
export const autoscalingV2 = groupVersion("autoscaling", "v2", [hpa]);
export const autoscalingV1 = groupVersion("autoscaling", "v1", [hpa]);

export const batchV1 = groupVersion("batch", "v1", [
  { kind: "CronJob", resource: "cronjobs", namespaced: true, shortNames: ["cj"], categories: all, subresources: [status("CronJob")], hasGeneration: true },
  { kind: "Job", resource: "jobs", namespaced: true, categories: all, subresources: [status("Job")], fieldSelectors: ["status.successful"], hasGeneration: true },
]);

export const certificatesV1 = groupVersion("certificates.k8s.io", "v1", [
  {
    kind: "CertificateSigningRequest",
    resource: "certificatesigningrequests",
    namespaced: false,
    shortNames: ["csr"],
    subresources: [{ name: "approval", kind: "CertificateSigningRequest", verbs: ["get", "patch", "update"] }, status("CertificateSigningRequest")],
    fieldSelectors: ["spec.signerName"],
  },
]);

export const networkingV1 = groupVersion("networking.k8s.io", "v1", [
  { kind: "IngressClass", resource: "ingressclasses", namespaced: false, hasGeneration: true },
  { kind: "Ingress", resource: "ingresses", namespaced: true, shortNames: ["ing"], subresources: [status("Ingress")], hasGeneration: true },
  { kind: "NetworkPolicy", resource: "networkpolicies", namespaced: true, shortNames: ["netpol"], hasGeneration: true },
]);

export const policyV1 = groupVersion("policy", "v1", [
  { kind: "PodDisruptionBudget", resource: "poddisruptionbudgets", namespaced: true, shortNames: ["pdb"], subresources: [status("PodDisruptionBudget")], hasGeneration: true },
]);

export const rbacV1 = groupVersion("rbac.authorization.k8s.io", "v1", [
  { kind: "ClusterRoleBinding", resource: "clusterrolebindings", namespaced: false },
  { kind: "ClusterRole", resource: "clusterroles", namespaced: false },
  { kind: "RoleBinding", resource: "rolebindings", namespaced: true },
  { kind: "Role", resource: "roles", namespaced: true },
]);

export const storageV1 = groupVersion("storage.k8s.io", "v1", [{ kind: "StorageClass", resource: "storageclasses", namespaced: false, shortNames: ["sc"] }]);

export const apiextensionsV1 = groupVersion("apiextensions.k8s.io", "v1", [
  {
    kind: "CustomResourceDefinition",
    resource: "customresourcedefinitions",
    namespaced: false,
    shortNames: ["crd", "crds"],
    categories: ["api-extensions"],
    subresources: [status("CustomResourceDefinition")],
    hasGeneration: true,
  },
]);

export const schedulingV1 = groupVersion("scheduling.k8s.io", "v1", [{ kind: "PriorityClass", resource: "priorityclasses", namespaced: false, shortNames: ["pc"] }]);

export const coordinationV1 = groupVersion("coordination.k8s.io", "v1", [{ kind: "Lease", resource: "leases", namespaced: true }]);

export const nodeV1 = groupVersion("node.k8s.io", "v1", [{ kind: "RuntimeClass", resource: "runtimeclasses", namespaced: false }]);

export const discoveryV1 = groupVersion("discovery.k8s.io", "v1", [{ kind: "EndpointSlice", resource: "endpointslices", namespaced: true }]);

/** Served by the built-in metrics provider (metrics-server's API). */
export const metricsV1beta1 = groupVersion("metrics.k8s.io", "v1beta1", [
  { kind: "NodeMetrics", resource: "nodes", singular: "", namespaced: false, verbs: ["get", "list"] },
  { kind: "PodMetrics", resource: "pods", singular: "", namespaced: true, verbs: ["get", "list"] },
]);

/** In upstream's group priority order (what /apis lists first). */
export const namedGroups: ResourceInfo[] = [
  ...appsV1,
  ...eventsV1,
  ...authenticationV1,
  ...authorizationV1,
  ...autoscalingV2,
  ...autoscalingV1,
  ...batchV1,
  ...certificatesV1,
  ...networkingV1,
  ...policyV1,
  ...rbacV1,
  ...storageV1,
  ...apiextensionsV1,
  ...schedulingV1,
  ...coordinationV1,
  ...nodeV1,
  ...discoveryV1,
  ...metricsV1beta1,
];
