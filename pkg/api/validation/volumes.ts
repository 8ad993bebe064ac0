// PersistentVolume and PersistentVolumeClaim validation.
import type { FieldError } from "../types.ts";
import { deepEqual } from "../meta/index.ts";
import { forbidden, notSupported, required } from "./field.ts";
import { oneOf, validateLabelSelector } from "./meta.ts";
import { specDiff } from "./pod.ts";

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

const ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
const PV_SOURCES = ["hostPath", "local", "nfs", "csi", "iscsi", "fc", "rbd", "cephfs", "cinder", "glusterfs", "flexVolume", "azureFile", "azureDisk", "vsphereVolume", "quobyte", "photonPersistentDisk", "portworxVolume", "scaleIO", "storageos", "gcePersistentDisk", "awsElasticBlockStore", "flocker"];

export function validatePV(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const errs: FieldError[] = [];
  const modes = arr(spec.accessModes);
  if (modes.length === 0) errs.push(required("spec.accessModes"));
  modes.forEach((m) => errs.push(...oneOf(m, ACCESS_MODES, "spec.accessModes")));
  if (!spec.capacity || Object.keys(spec.capacity).length === 0) errs.push(required("spec.capacity"));
  else if (!Object.hasOwn(spec.capacity, "storage")) errs.push(notSupported("spec.capacity", Object.keys(spec.capacity)[0], ["storage"]));
  errs.push(...oneOf(spec.persistentVolumeReclaimPolicy, ["Delete", "Recycle", "Retain"], "spec.persistentVolumeReclaimPolicy"));
  errs.push(...oneOf(spec.volumeMode, ["Block", "Filesystem"], "spec.volumeMode"));
  const sources = PV_SOURCES.filter((s) => spec[s]);
  if (sources.length === 0) errs.push(required("spec", "must specify a volume type"));
  else if (sources.length > 1) errs.push(forbidden(`spec.${sources[1]}`, "may not specify more than 1 volume type"));
  if (spec.local && !spec.nodeAffinity) errs.push(required("spec.nodeAffinity", "Local volume requires node affinity"));
  return errs;
}

export function validatePVC(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const errs: FieldError[] = [];
  const modes = arr(spec.accessModes);
  if (modes.length === 0) errs.push(required("spec.accessModes", "at least 1 access mode is required"));
  modes.forEach((m) => errs.push(...oneOf(m, ACCESS_MODES, "spec.accessModes")));
  if (modes.includes("ReadWriteOncePod") && modes.length > 1)
    errs.push(forbidden("spec.accessModes", "may not use ReadWriteOncePod with other access modes"));
  const storage = spec.resources?.requests?.storage;
  if (storage === undefined || storage === null) errs.push(required("spec.resources[storage]"));
  errs.push(...oneOf(spec.volumeMode, ["Block", "Filesystem"], "spec.volumeMode"));
  errs.push(...validateLabelSelector(spec.selector, "spec.selector"));
  return errs;
}

export function validatePVCUpdate(o: any, old: any): FieldError[] {
  const errs = validatePVC(o);
  const n = structuredClone(o?.spec ?? {});
  const p = structuredClone(old?.spec ?? {});
  // Bound claims may change resources.requests (expansion) and the attributes class.
  if (p.volumeName) {
    if (n.resources || p.resources) {
      n.resources = { ...(n.resources ?? {}), requests: undefined };
      p.resources = { ...(p.resources ?? {}), requests: undefined };
    }
    delete n.volumeAttributesClassName;
    delete p.volumeAttributesClassName;
  }
  // A claim being bound gains its volumeName.
  if (!p.volumeName && n.volumeName) delete n.volumeName;
  if (!deepEqual(n, p))
    errs.push(forbidden("spec", `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${specDiff(p, n).join("\n")}\n`));
  return errs;
}

