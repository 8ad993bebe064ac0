// Printers of persistent volumes and claims.
import type { KubeObject } from "../types.ts";
import { accessModes, ageCol, col, nameCol, str } from "./columns.ts";
import { since } from "./duration.ts";
import type { Printer } from "./types.ts";

const name = (o: KubeObject) => o.metadata?.name ?? "";
const age = (o: KubeObject, now: number) => since(o.metadata?.creationTimestamp, now);

const storageClassOf = (o: KubeObject) =>
  o.spec?.storageClassName ?? o.metadata?.annotations?.["volume.beta.kubernetes.io/storage-class"] ?? "";

export const pvPrinter: Printer = {
  columns: [
    nameCol(),
    col("Capacity", "string", "capacity is the description of the persistent volume's resources and capacity."),
    col("Access Modes", "string", "accessModes contains all ways the volume can be mounted."),
    col("Reclaim Policy", "string", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim."),
    col("Status", "string", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
    col("Claim", "string", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
    col("StorageClass", "string", "storageClassName is the name of StorageClass to which this persistent volume belongs."),
    col("VolumeAttributesClass", "string", "Name of VolumeAttributesClass to which this persistent volume belongs."),
    col("Reason", "string", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
    ageCol(),
    col("VolumeMode", "string", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.", 1),
  ],
  cells: (o, now) => {
    const ref = o.spec?.claimRef;
    const claim = ref ? `${ref.namespace ?? ""}/${ref.name ?? ""}` : "";
    const phase = o.metadata?.deletionTimestamp ? "Terminating" : str(o.status?.phase);
    return [
      name(o),
      str(o.spec?.capacity?.storage || "0"),
      accessModes(o.spec?.accessModes),
      str(o.spec?.persistentVolumeReclaimPolicy),
      phase,
      claim,
      storageClassOf(o),
      o.spec?.volumeAttributesClassName || "<unset>",
      str(o.status?.reason),
      age(o, now),
      o.spec?.volumeMode || "<unset>",
    ];
  },
};

export const pvcPrinter: Printer = {
  columns: [
    nameCol(),
    col("Status", "string", "phase represents the current phase of PersistentVolumeClaim."),
    col("Volume", "string", "volumeName is the binding reference to the PersistentVolume backing this claim."),
    col("Capacity", "string", "capacity represents the actual resources of the underlying volume."),
    col("Access Modes", "string", "accessModes contains the desired access modes the volume should have."),
    col("StorageClass", "string", "storageClassName is the name of the StorageClass required by the claim."),
    col("VolumeAttributesClass", "string", "volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim."),
    ageCol(),
    col("VolumeMode", "string", "volumeMode defines what type of volume is required by the claim.", 1),
  ],
  cells: (o, now) => {
    const bound = !!o.spec?.volumeName;
    return [
      name(o),
      o.metadata?.deletionTimestamp ? "Terminating" : str(o.status?.phase),
      str(o.spec?.volumeName),
      bound ? str(o.status?.capacity?.storage || "0") : "",
      bound ? accessModes(o.status?.accessModes) : "",
      storageClassOf(o),
      o.spec?.volumeAttributesClassName || "<unset>",
      age(o, now),
      o.spec?.volumeMode || "<unset>",
    ];
  },
};
