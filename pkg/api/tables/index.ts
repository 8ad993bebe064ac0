// Table printers of the built-in kinds (kubernetes pkg/printers/internalversion), keyed by group and kind.
import type { KubeObject, ResourceInfo } from "../types.ts";
import { ageCol, nameCol } from "./columns.ts";
import * as core from "./core.ts";
import { since } from "./duration.ts";
import * as other from "./other.ts";
import * as vols from "./volumes.ts";
import { podPrinter, podTemplatePrinter } from "./pods.ts";
import type { Printer } from "./types.ts";
import * as wl from "./workloads.ts";

const PRINTERS: Record<string, Printer> = {
  "/Pod": podPrinter,
  "/PodTemplate": podTemplatePrinter,
  "/Service": core.servicePrinter,
  "/Endpoints": core.endpointsPrinter,
  "/Node": core.nodePrinter,
  "/Namespace": core.namespacePrinter,
  "/Event": core.eventPrinter,
  "/ConfigMap": core.configMapPrinter,
  "/Secret": core.secretPrinter,
  "/ServiceAccount": core.serviceAccountPrinter,
  "/PersistentVolume": vols.pvPrinter,
  "/PersistentVolumeClaim": vols.pvcPrinter,
  "/ResourceQuota": core.resourceQuotaPrinter,
  "/LimitRange": core.createdAtPrinter,
  "/ReplicationController": wl.replicationControllerPrinter,
  "apps/Deployment": wl.deploymentPrinter,
  "apps/ReplicaSet": wl.replicaSetPrinter,
  "apps/StatefulSet": wl.statefulSetPrinter,
  "apps/DaemonSet": wl.daemonSetPrinter,
  "apps/ControllerRevision": wl.controllerRevisionPrinter,
  "batch/Job": wl.jobPrinter,
  "batch/CronJob": wl.cronJobPrinter,
  "autoscaling/HorizontalPodAutoscaler": wl.hpaPrinter,
  "policy/PodDisruptionBudget": wl.pdbPrinter,
  "events.k8s.io/Event": core.eventPrinter,
  "discovery.k8s.io/EndpointSlice": core.endpointSlicePrinter,
  "networking.k8s.io/Ingress": other.ingressPrinter,
  "networking.k8s.io/IngressClass": other.ingressClassPrinter,
  "networking.k8s.io/NetworkPolicy": other.networkPolicyPrinter,
  "storage.k8s.io/StorageClass": other.storageClassPrinter,
  "scheduling.k8s.io/PriorityClass": other.priorityClassPrinter,
  "coordination.k8s.io/Lease": other.leasePrinter,
  "node.k8s.io/RuntimeClass": other.runtimeClassPrinter,
  "rbac.authorization.k8s.io/Role": core.createdAtPrinter,
  "rbac.authorization.k8s.io/ClusterRole": core.createdAtPrinter,
  "rbac.authorization.k8s.io/RoleBinding": other.bindingPrinter,
  "rbac.authorization.k8s.io/ClusterRoleBinding": other.bindingPrinter,
  "certificates.k8s.io/CertificateSigningRequest": other.csrPrinter,
  // Served by the generic registry's default convertor upstream: NAME, CREATED AT.
  "apiextensions.k8s.io/CustomResourceDefinition": core.createdAtPrinter,
};

const defaultPrinter: Printer = {
  columns: [nameCol(), ageCol()],
  cells: (o, now) => [o.metadata?.name ?? "", since(o.metadata?.creationTimestamp, now)],
};

/** The printer for a kind; unknown kinds (and CRDs without printer columns) get NAME, AGE. */
export function tableConvertorFor(info: ResourceInfo): Printer {
  return PRINTERS[`${info.group}/${info.kind}`] ?? defaultPrinter;
}

export interface ToTableOptions {
  now: number;
  includeObject: "None" | "Metadata" | "Object";
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  /** Watch events after the first carry no column definitions. */
  noHeaders?: boolean;
}

/** A meta.k8s.io/v1 Table of the objects, rows in the given order. */
export function toTable(convertor: Printer | import("../types.ts").TableConvertor, objs: KubeObject[], opts: ToTableOptions): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  const printer = convertor as Printer;
  const rows = objs.map((obj) => {
    const row: Record<string, unknown> = { cells: printer.cells(obj, opts.now) };
    const conds = printer.conditions?.(obj);
    if (conds) row.conditions = conds;
    row.object = rowObject(obj, opts.includeObject);
    return row;
  });
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata,
    columnDefinitions: opts.noHeaders ? [] : convertor.columns,
    rows,
  };
}

function rowObject(obj: KubeObject, include: ToTableOptions["includeObject"]): unknown {
  if (include === "None") return null;
  if (include === "Object") return obj;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata ?? {} };
}

export { humanDuration, since } from "./duration.ts";
export { customColumnsConvertor, type PrinterColumn } from "./custom.ts";
export type { Printer, RowCondition } from "./types.ts";
