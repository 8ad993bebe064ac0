// Upstream defaulting for every served built-in kind, keyed by group and kind; mutates in place.
import type { KubeObject, ResourceInfo } from "../types.ts";
import { defaultPod, defaultPodTemplate } from "./pod.ts";
import * as core from "./core.ts";
import * as wl from "./workloads.ts";
import type { Obj } from "./util.ts";

type Defaulter = (o: Obj, version: string) => void;

const DEFAULTERS: Record<string, Defaulter> = {
  "/Pod": defaultPod,
  "/PodTemplate": (o) => defaultPodTemplate(o.template),
  "/Service": core.defaultService,
  "/Namespace": core.defaultNamespace,
  "/Secret": core.defaultSecret,
  "/PersistentVolumeClaim": (o) => {
    core.defaultPVC(o);
    if (!o.status?.phase) o.status = { ...(o.status ?? {}), phase: "Pending" };
  },
  "/PersistentVolume": core.defaultPV,
  "/Endpoints": core.defaultEndpoints,
  "/Node": core.defaultNode,
  "/LimitRange": core.defaultLimitRange,
  "/ReplicationController": wl.defaultReplicationController,
  "apps/Deployment": wl.defaultDeployment,
  "apps/ReplicaSet": wl.defaultReplicaSet,
  "apps/StatefulSet": wl.defaultStatefulSet,
  "apps/DaemonSet": wl.defaultDaemonSet,
  "batch/Job": wl.defaultJob,
  "batch/CronJob": wl.defaultCronJob,
  "discovery.k8s.io/EndpointSlice": core.defaultEndpointSlice,
  "networking.k8s.io/NetworkPolicy": core.defaultNetworkPolicy,
  "networking.k8s.io/IngressClass": core.defaultIngressClass,
  "rbac.authorization.k8s.io/RoleBinding": core.defaultRBACBinding,
  "rbac.authorization.k8s.io/ClusterRoleBinding": core.defaultRBACBinding,
  "storage.k8s.io/StorageClass": core.defaultStorageClass,
  "scheduling.k8s.io/PriorityClass": core.defaultPriorityClass,
  "autoscaling/HorizontalPodAutoscaler": core.defaultHPA,
};

/** Apply upstream's defaults (and the always-on admission defaults) for this kind, in place. */
export function applyDefaults(info: ResourceInfo, obj: KubeObject): void {
  const d = DEFAULTERS[`${info.group}/${info.kind}`];
  if (d) d(obj as Obj, info.version);
}

export { imageTag, podQOSClass } from "./pod.ts";
