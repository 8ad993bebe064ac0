// Protobuf wire schema of storage/v1: per message, "<json name> <field number> <type> [flags]".
// Field numbers/types are the Kubernetes protocol (k8s.io/api storage/v1 generated.proto, v0.35); flags from the Go
// types: p = pointer, o = omitempty, i = inline (embedded struct merged into the parent JSON).
// Types: scalars, local or "<group>.<Message>" messages, "[]" repeated, "{}" map keyed by string.

export const storage: Record<string, string> = {
  CSIDriver: "metadata 1 meta.ObjectMeta o, spec 2 CSIDriverSpec",
  CSIDriverList: "metadata 1 meta.ListMeta o, items 2 []CSIDriver",
  CSIDriverSpec: "attachRequired 1 bool po, podInfoOnMount 2 bool po, volumeLifecycleModes 3 []string o, storageCapacity 4 bool po, fsGroupPolicy 5 string po, tokenRequests 6 []TokenRequest o, requiresRepublish 7 bool po, seLinuxMount 8 bool po, nodeAllocatableUpdatePeriodSeconds 9 int64 po, serviceAccountTokenInSecrets 10 bool po",
  CSINode: "metadata 1 meta.ObjectMeta o, spec 2 CSINodeSpec",
  CSINodeDriver: "name 1 string, nodeID 2 string, topologyKeys 3 []string, allocatable 4 VolumeNodeResources po",
  CSINodeList: "metadata 1 meta.ListMeta o, items 2 []CSINode",
  CSINodeSpec: "drivers 1 []CSINodeDriver",
  CSIStorageCapacity: "metadata 1 meta.ObjectMeta o, nodeTopology 2 meta.LabelSelector po, storageClassName 3 string, capacity 4 Quantity po, maximumVolumeSize 5 Quantity po",
  CSIStorageCapacityList: "metadata 1 meta.ListMeta o, items 2 []CSIStorageCapacity",
  StorageClass: "metadata 1 meta.ObjectMeta o, provisioner 2 string, parameters 3 {}string o, reclaimPolicy 4 string po, mountOptions 5 []string o, allowVolumeExpansion 6 bool po, volumeBindingMode 7 string po, allowedTopologies 8 []core.TopologySelectorTerm o",
  StorageClassList: "metadata 1 meta.ListMeta o, items 2 []StorageClass",
  TokenRequest: "audience 1 string, expirationSeconds 2 int64 po",
  VolumeAttachment: "metadata 1 meta.ObjectMeta o, spec 2 VolumeAttachmentSpec, status 3 VolumeAttachmentStatus o",
  VolumeAttachmentList: "metadata 1 meta.ListMeta o, items 2 []VolumeAttachment",
  VolumeAttachmentSource: "persistentVolumeName 1 string po, inlineVolumeSpec 2 core.PersistentVolumeSpec po",
  VolumeAttachmentSpec: "attacher 1 string, source 2 VolumeAttachmentSource, nodeName 3 string",
  VolumeAttachmentStatus: "attached 1 bool, attachmentMetadata 2 {}string o, attachError 3 VolumeError po, detachError 4 VolumeError po",
  VolumeAttributesClass: "metadata 1 meta.ObjectMeta o, driverName 2 string, parameters 3 {}string o",
  VolumeAttributesClassList: "metadata 1 meta.ListMeta o, items 2 []VolumeAttributesClass",
  VolumeError: "time 1 Time o, message 2 string o, errorCode 3 int32 po",
  VolumeNodeResources: "count 1 int32 po",
};
