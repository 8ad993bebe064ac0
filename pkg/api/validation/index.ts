// Create/update validation of the built-in kinds, keyed by ResourceInfo group and kind.
import type { FieldError, KubeObject, ResourceInfo } from "../types.ts";
import * as cfg from "./config.ts";
import { validateObjectMeta, validateObjectMetaUpdate } from "./meta.ts";
import { nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, nameIsPathSegment, type NameValidator } from "./names.ts";
import * as other from "./other.ts";
import * as rbac from "./rbac.ts";
import * as net from "./networking.ts";
import * as policy from "./policy.ts";
import * as vols from "./volumes.ts";
import { validatePodCreate, validatePodUpdate } from "./pod.ts";
import { validateService, validateServiceUpdate } from "./service.ts";
import * as wl from "./workloads.ts";
import * as jobs from "./jobs.ts";

type Create = (o: any) => FieldError[];
type Update = (o: any, old: any) => FieldError[];
interface KindRules {
  name?: NameValidator;
  create?: Create;
  /** Defaults to `create` when absent. */
  update?: Update;
}

const RBAC = "rbac.authorization.k8s.io";
const RULES: Record<string, KindRules> = {
  "/Pod": { create: validatePodCreate, update: validatePodUpdate },
  "/Service": { name: nameIsDNS1035Label, create: (o) => validateService(o), update: (o, old) => validateServiceUpdate(o, old) },
  "/Namespace": { name: nameIsDNSLabel, create: cfg.validateNamespace },
  "/ConfigMap": { create: cfg.validateConfigMap, update: cfg.validateConfigMapUpdate },
  "/Secret": { create: cfg.validateSecret, update: cfg.validateSecretUpdate },
  "/ReplicationController": { create: wl.validateReplicationController },
  "/PersistentVolume": { create: vols.validatePV },
  "/PersistentVolumeClaim": { create: vols.validatePVC, update: vols.validatePVCUpdate },
  "/Node": { create: other.validateNode, update: other.validateNodeUpdate },
  "/Endpoints": { create: other.validateEndpoints },
  "/Event": { create: policy.validateCoreEvent },
  "/ResourceQuota": { create: other.validateResourceQuota },
  "/LimitRange": { create: other.validateLimitRange },
  "/PodTemplate": { create: (o) => wl.validatePodTemplate(o?.template, "template") },
  "apps/Deployment": { create: wl.validateDeployment, update: wl.validateDeploymentUpdate },
  "apps/ReplicaSet": { create: wl.validateReplicaSet, update: wl.validateReplicaSetUpdate },
  "apps/StatefulSet": { name: nameIsDNSLabel, create: wl.validateStatefulSet, update: wl.validateStatefulSetUpdate },
  "apps/DaemonSet": { create: wl.validateDaemonSet, update: wl.validateDaemonSetUpdate },
  "batch/Job": { create: jobs.validateJob, update: jobs.validateJobUpdate },
  "batch/CronJob": { create: jobs.validateCronJob, update: jobs.validateCronJobUpdate },
  "events.k8s.io/Event": { create: policy.validateEventsV1, update: policy.validateEventsV1Update },
  "discovery.k8s.io/EndpointSlice": { create: other.validateEndpointSlice },
  "coordination.k8s.io/Lease": { create: policy.validateLease },
  "networking.k8s.io/Ingress": { create: net.validateIngress },
  "networking.k8s.io/IngressClass": { create: net.validateIngressClass, update: net.validateIngressClassUpdate },
  "networking.k8s.io/NetworkPolicy": { create: net.validateNetworkPolicy },
  "policy/PodDisruptionBudget": { create: policy.validatePDB },
  "autoscaling/HorizontalPodAutoscaler": { create: policy.validateHPA },
  "scheduling.k8s.io/PriorityClass": { create: policy.validatePriorityClass, update: policy.validatePriorityClassUpdate },
  "storage.k8s.io/StorageClass": { create: policy.validateStorageClass, update: policy.validateStorageClassUpdate },
  "node.k8s.io/RuntimeClass": { create: other.validateRuntimeClass, update: other.validateRuntimeClassUpdate },
  [`${RBAC}/Role`]: { name: nameIsPathSegment, create: (o) => rbac.validateRole(o, false) },
  [`${RBAC}/ClusterRole`]: { name: nameIsPathSegment, create: (o) => rbac.validateRole(o, true) },
  [`${RBAC}/RoleBinding`]: { name: nameIsPathSegment, create: (o) => rbac.validateBinding(o, false), update: (o, old) => rbac.validateBindingUpdate(o, old, false) },
  [`${RBAC}/ClusterRoleBinding`]: { name: nameIsPathSegment, create: (o) => rbac.validateBinding(o, true), update: (o, old) => rbac.validateBindingUpdate(o, old, true) },
};

const rulesFor = (info: ResourceInfo): KindRules => RULES[`${info.group}/${info.kind}`] ?? {};

/** The metadata.name rule of a kind (DNS-1123 subdomain unless upstream says otherwise). */
export function nameValidatorFor(info: ResourceInfo): NameValidator {
  return rulesFor(info).name ?? nameIsDNSSubdomain;
}

/** Validation of a new object; the name must already be generated from generateName. */
export function validateCreate(info: ResourceInfo, obj: KubeObject): FieldError[] {
  const r = rulesFor(info);
  const errs = validateObjectMeta(obj.metadata, info.namespaced, r.name ?? nameIsDNSSubdomain);
  if (r.create) errs.push(...r.create(obj));
  return errs;
}

/** Validation of an update against the stored object (immutable fields included). */
export function validateUpdate(info: ResourceInfo, obj: KubeObject, old: KubeObject): FieldError[] {
  const r = rulesFor(info);
  const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
  if (r.update) errs.push(...r.update(obj, old));
  else if (r.create) errs.push(...r.create(obj));
  return errs;
}

export { validateObjectMeta, validateObjectMetaUpdate, validateLabels, validateAnnotations, validateLabelSelector } from "./meta.ts";
export {
  isDNS1123Subdomain,
  isDNS1123Label,
  isDNS1035Label,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPortName,
  isConfigMapKey,
  nameIsDNSSubdomain,
  nameIsDNSLabel,
  nameIsDNS1035Label,
  nameIsPathSegment,
  type NameValidator,
} from "./names.ts";
export { cronError } from "./cron.ts";
export { parseQuantity } from "./quantity.ts";
