// metrics.k8s.io/v1beta1 types (metrics-server's API); not part of the client models.
import type { TypeSchema } from "./types.ts";

const PKG = "io.k8s.metrics.pkg.apis.metrics.v1beta1";
const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
const usage = { type: "map", additionalProperties: { type: "quantity" }, description: "The memory and CPU usage." } as const;
const common = {
  apiVersion: { type: "string", description: "APIVersion defines the versioned schema of this representation of an object." },
  kind: { type: "string", description: "Kind is a string value representing the REST resource this object represents." },
  timestamp: { type: "time", format: "date-time", description: "The following fields define time interval from which metrics were collected from the interval [Timestamp-Window, Timestamp]." },
  window: { type: "string", description: "The length of the window the metrics were collected over." },
} as const;

export function metricsTypes(): TypeSchema[] {
  const gvk = (kind: string) => [{ group: "metrics.k8s.io", version: "v1beta1", kind }];
  const list = (kind: string, item: string): TypeSchema => ({
    name: `${PKG}.${kind}`,
    description: `${kind} is a list of ${item}.`,
    properties: {
      apiVersion: common.apiVersion,
      kind: common.kind,
      metadata: { type: "object", ref: `${META}.ListMeta` },
      items: { type: "array", items: { type: "object", ref: `${PKG}.${item}` } },
    },
    required: ["items"],
    gvk: gvk(kind),
  });
  return [
    {
      name: `${PKG}.NodeMetrics`,
      description: "NodeMetrics sets resource usage metrics of a node.",
      properties: { ...common, metadata: { type: "object", ref: `${META}.ObjectMeta` }, usage },
      required: ["timestamp", "window", "usage"],
      gvk: gvk("NodeMetrics"),
    },
    list("NodeMetricsList", "NodeMetrics"),
    {
      name: `${PKG}.PodMetrics`,
      description: "PodMetrics sets resource usage metrics of a pod.",
      properties: {
        ...common,
        metadata: { type: "object", ref: `${META}.ObjectMeta` },
        containers: { type: "array", items: { type: "object", ref: `${PKG}.ContainerMetrics` }, description: "Metrics for all containers are collected within the same time window.", listType: "atomic" },
      },
      required: ["timestamp", "window", "containers"],
      gvk: gvk("PodMetrics"),
    },
    list("PodMetricsList", "PodMetrics"),
    {
      name: `${PKG}.ContainerMetrics`,
      description: "ContainerMetrics sets resource usage metrics of a container.",
      properties: { name: { type: "string", description: "Container name corresponding to the one from pod.spec.containers." }, usage },
      required: ["name", "usage"],
    },
  ];
}
