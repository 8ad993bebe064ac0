// Contracts of the scheduler: the object shapes it reads, plugin statuses and upstream's constants.
import type { KubeObject } from "../api/types.ts";
import type { GVR } from "../client/types.ts";

export const DEFAULT_SCHEDULER = "default-scheduler";
export const MAX_NODE_SCORE = 100;
/** Requests assumed for containers that set none, for scoring only (upstream's non-zero defaults). */
export const DEFAULT_MILLI_CPU = 100;
export const DEFAULT_MEMORY = 200 * 1024 * 1024;

export const PODS: GVR = { group: "", version: "v1", resource: "pods" };
export const NODES: GVR = { group: "", version: "v1", resource: "nodes" };
export const NAMESPACES: GVR = { group: "", version: "v1", resource: "namespaces" };
export const PVCS: GVR = { group: "", version: "v1", resource: "persistentvolumeclaims" };
export const PVS: GVR = { group: "", version: "v1", resource: "persistentvolumes" };
export const STORAGE_CLASSES: GVR = { group: "storage.k8s.io", version: "v1", resource: "storageclasses" };
export const PDBS: GVR = { group: "policy", version: "v1", resource: "poddisruptionbudgets" };
export const PRIORITY_CLASSES: GVR = { group: "scheduling.k8s.io", version: "v1", resource: "priorityclasses" };

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}
export interface Taint {
  key: string;
  value?: string;
  effect: string;
}
export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}
export interface PodAffinityTerm {
  labelSelector?: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | null;
  namespaces?: string[];
  namespaceSelector?: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | null;
  topologyKey: string;
}
export interface WeightedPodAffinityTerm {
  weight: number;
  podAffinityTerm: PodAffinityTerm;
}
export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway";
  labelSelector?: PodAffinityTerm["labelSelector"];
  minDomains?: number;
  matchLabelKeys?: string[];
  nodeAffinityPolicy?: "Honor" | "Ignore";
  nodeTaintsPolicy?: "Honor" | "Ignore";
}

/** A Pod as the scheduler reads it (fields beyond these are carried untouched). */
export interface Pod extends KubeObject {
  spec: {
    nodeName?: string;
    schedulerName?: string;
    priority?: number;
    priorityClassName?: string;
    preemptionPolicy?: string;
    nodeSelector?: Record<string, string>;
    tolerations?: Toleration[];
    affinity?: {
      nodeAffinity?: {
        requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
        preferredDuringSchedulingIgnoredDuringExecution?: Array<{ weight: number; preference: NodeSelectorTerm }>;
      };
      podAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[]; preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[] };
      podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[]; preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[] };
    };
    topologySpreadConstraints?: TopologySpreadConstraint[];
    containers: Container[];
    initContainers?: Container[];
    overhead?: Record<string, string | number>;
    volumes?: Array<{ name: string; persistentVolumeClaim?: { claimName: string }; ephemeral?: unknown }>;
    schedulingGates?: Array<{ name: string }>;
    [k: string]: unknown;
  };
  status?: {
    phase?: string;
    nominatedNodeName?: string;
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string | null; lastProbeTime?: string | null }>;
    startTime?: string;
    [k: string]: unknown;
  };
}

export interface Container {
  name: string;
  image?: string;
  restartPolicy?: string;
  ports?: Array<{ containerPort: number; hostPort?: number; protocol?: string; hostIP?: string }>;
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
}

export interface Node extends KubeObject {
  spec?: { unschedulable?: boolean; taints?: Taint[]; [k: string]: unknown };
  status?: {
    capacity?: Record<string, string | number>;
    allocatable?: Record<string, string | number>;
    images?: Array<{ names?: string[]; sizeBytes?: number }>;
    conditions?: Array<{ type: string; status: string }>;
    [k: string]: unknown;
  };
}

/**
 * A plugin's verdict on one node. "Unschedulable" may be fixed by preemption;
 * "UnschedulableAndUnresolvable" may not (upstream's framework.Code).
 */
export type Code = "Unschedulable" | "UnschedulableAndUnresolvable" | "Error";
export interface Status {
  code: Code;
  plugin: string;
  reasons: string[];
}

export const unschedulable = (plugin: string, ...reasons: string[]): Status => ({ code: "Unschedulable", plugin, reasons });
export const unresolvable = (plugin: string, ...reasons: string[]): Status => ({ code: "UnschedulableAndUnresolvable", plugin, reasons });
