// A small hand-written SchemaRegistry covering Pod/Deployment/Service fields with upstream's
// patch strategies, merge keys and list types, for the patch and managedfields tests.
import type { FieldSchema, SchemaRegistry, TypeSchema } from "../../schema/types.ts";

const P = "io.k8s.api.core.v1.";
const A = "io.k8s.api.apps.v1.";
const M = "io.k8s.apimachinery.pkg.apis.meta.v1.";

const str: FieldSchema = { type: "string" };
const int: FieldSchema = { type: "integer" };
const bool: FieldSchema = { type: "boolean" };
const ref = (name: string, extra: Partial<FieldSchema> = {}): FieldSchema => ({ type: "object", ref: name, ...extra });
const strMap: FieldSchema = { type: "map", additionalProperties: str };
const atomicList = (items: FieldSchema): FieldSchema => ({ type: "array", items, listType: "atomic" });
const keyedList = (items: FieldSchema, keys: string[], mergeKey = keys[0]!, strategy = "merge"): FieldSchema => ({
  type: "array",
  items,
  listType: "map",
  listMapKeys: keys,
  patchStrategy: strategy,
  patchMergeKey: mergeKey,
});

const types: TypeSchema[] = [
  {
    name: `${M}ObjectMeta`,
    properties: {
      name: str,
      generateName: str,
      namespace: str,
      uid: str,
      resourceVersion: str,
      generation: int,
      creationTimestamp: { type: "time" },
      labels: strMap,
      annotations: strMap,
      finalizers: { type: "array", items: str, listType: "set", patchStrategy: "merge" },
      ownerReferences: keyedList(ref(`${M}OwnerReference`), ["uid"]),
      managedFields: atomicList(ref(`${M}ManagedFieldsEntry`)),
    },
  },
  { name: `${M}OwnerReference`, properties: { apiVersion: str, kind: str, name: str, uid: str, controller: bool } },
  { name: `${M}ManagedFieldsEntry`, properties: { manager: str, operation: str, apiVersion: str, time: { type: "time" }, fieldsType: str, fieldsV1: { type: "any" } } },
  {
    name: `${M}LabelSelector`,
    properties: { matchLabels: strMap, matchExpressions: atomicList(ref(`${M}LabelSelectorRequirement`)) },
  },
  { name: `${M}LabelSelectorRequirement`, properties: { key: str, operator: str, values: atomicList(str) } },
  {
    name: `${P}Pod`,
    gvk: [{ group: "", version: "v1", kind: "Pod" }],
    properties: { apiVersion: str, kind: str, metadata: ref(`${M}ObjectMeta`), spec: ref(`${P}PodSpec`), status: ref(`${P}PodStatus`) },
  },
  { name: `${P}PodStatus`, properties: { phase: str, podIP: str } },
  {
    name: `${P}PodSpec`,
    required: ["containers"],
    properties: {
      containers: keyedList(ref(`${P}Container`), ["name"]),
      initContainers: keyedList(ref(`${P}Container`), ["name"]),
      volumes: keyedList(ref(`${P}Volume`), ["name"], "name", "merge,retainKeys"),
      nodeSelector: strMap,
      nodeName: str,
      restartPolicy: str,
      tolerations: atomicList(ref(`${P}Toleration`)),
      terminationGracePeriodSeconds: int,
    },
  },
  { name: `${P}Toleration`, properties: { key: str, operator: str, value: str, effect: str } },
  {
    name: `${P}Container`,
    properties: {
      name: str,
      image: str,
      command: atomicList(str),
      args: atomicList(str),
      ports: keyedList(ref(`${P}ContainerPort`), ["containerPort", "protocol"], "containerPort"),
      env: keyedList(ref(`${P}EnvVar`), ["name"]),
      volumeMounts: keyedList(ref(`${P}VolumeMount`), ["mountPath"], "mountPath"),
      resources: ref(`${P}ResourceRequirements`),
      imagePullPolicy: str,
    },
  },
  { name: `${P}ContainerPort`, properties: { name: str, containerPort: int, protocol: str, hostPort: int } },
  { name: `${P}EnvVar`, properties: { name: str, value: str } },
  { name: `${P}VolumeMount`, properties: { name: str, mountPath: str, readOnly: bool } },
  {
    name: `${P}ResourceRequirements`,
    properties: { limits: { type: "map", additionalProperties: { type: "quantity" } }, requests: { type: "map", additionalProperties: { type: "quantity" } } },
  },
  {
    name: `${P}Volume`,
    properties: { name: str, emptyDir: ref(`${P}EmptyDirVolumeSource`), configMap: ref(`${P}ConfigMapVolumeSource`), hostPath: ref(`${P}HostPathVolumeSource`) },
  },
  { name: `${P}EmptyDirVolumeSource`, properties: { medium: str } },
  { name: `${P}ConfigMapVolumeSource`, properties: { name: str } },
  { name: `${P}HostPathVolumeSource`, properties: { path: str, type: str } },
  { name: `${P}PodTemplateSpec`, properties: { metadata: ref(`${M}ObjectMeta`), spec: ref(`${P}PodSpec`) } },
  {
    name: `${A}Deployment`,
    gvk: [{ group: "apps", version: "v1", kind: "Deployment" }],
    properties: { apiVersion: str, kind: str, metadata: ref(`${M}ObjectMeta`), spec: ref(`${A}DeploymentSpec`), status: ref(`${A}DeploymentStatus`) },
  },
  {
    name: `${A}DeploymentSpec`,
    properties: {
      replicas: int,
      selector: ref(`${M}LabelSelector`, { structType: "atomic" }),
      template: ref(`${P}PodTemplateSpec`),
      strategy: ref(`${A}DeploymentStrategy`, { patchStrategy: "retainKeys" }),
      paused: bool,
    },
  },
  { name: `${A}DeploymentStrategy`, properties: { type: str, rollingUpdate: ref(`${A}RollingUpdateDeployment`) } },
  { name: `${A}RollingUpdateDeployment`, properties: { maxSurge: { type: "int-or-string" }, maxUnavailable: { type: "int-or-string" } } },
  { name: `${A}DeploymentStatus`, properties: { replicas: int, readyReplicas: int, observedGeneration: int } },
  {
    name: `${P}Service`,
    gvk: [{ group: "", version: "v1", kind: "Service" }],
    properties: { apiVersion: str, kind: str, metadata: ref(`${M}ObjectMeta`), spec: ref(`${P}ServiceSpec`) },
  },
  {
    name: `${P}ServiceSpec`,
    properties: {
      ports: keyedList(ref(`${P}ServicePort`), ["port", "protocol"], "port"),
      selector: { ...strMap, mapType: "atomic" },
      type: str,
      clusterIP: str,
      clusterIPs: atomicList(str),
    },
  },
  { name: `${P}ServicePort`, properties: { name: str, port: int, protocol: str, targetPort: { type: "int-or-string" }, nodePort: int } },
];

const byName = new Map(types.map((t) => [t.name, t]));

export const fixtureSchemas: SchemaRegistry = {
  type: (name) => byName.get(name),
  typeNameFor: (group, version, kind) =>
    types.find((t) => t.gvk?.some((g) => g.group === group && g.version === version && g.kind === kind))?.name,
  all: () => types,
};

export const POD = `${P}Pod`;
export const DEPLOYMENT = `${A}Deployment`;
export const SERVICE = `${P}Service`;
