import { describe, expect, test } from "bun:test";
import type { KubeObject, ResourceInfo } from "../types.ts";
import { applyDefaults, imageTag, podQOSClass } from "./index.ts";

const info = (group: string, kind: string, version = "v1"): ResourceInfo => ({
  group, version, kind, resource: kind.toLowerCase() + "s", singular: kind.toLowerCase(), listKind: kind + "List",
  namespaced: true, shortNames: [], categories: [], verbs: [], subresources: [],
});
const run = (group: string, kind: string, obj: KubeObject, version = "v1") => {
  applyDefaults(info(group, kind, version), obj);
  return obj as any;
};

describe("pod defaults", () => {
  test("spec, container, status and admission defaults", () => {
    const p = run("", "Pod", {
      metadata: { name: "p" },
      spec: {
        containers: [
          {
            name: "c", image: "nginx:1.25",
            ports: [{ containerPort: 80 }],
            env: [{ name: "N", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
            livenessProbe: { httpGet: { port: 80 } },
            resources: { limits: { cpu: "1" } },
          },
          { name: "d", image: "busybox" },
        ],
        volumes: [{ name: "cm", configMap: { name: "x" } }, { name: "e" }, { name: "h", hostPath: { path: "/tmp" } }],
      },
    });
    expect(p.spec).toMatchObject({
      restartPolicy: "Always", dnsPolicy: "ClusterFirst", terminationGracePeriodSeconds: 30, schedulerName: "default-scheduler",
      securityContext: {}, enableServiceLinks: true, serviceAccountName: "default", serviceAccount: "default", priority: 0,
      preemptionPolicy: "PreemptLowerPriority",
    });
    expect(p.spec.tolerations).toEqual([
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    ]);
    const [c, d] = p.spec.containers;
    expect(c).toMatchObject({ terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File", imagePullPolicy: "IfNotPresent" });
    expect(c.ports[0].protocol).toBe("TCP");
    expect(c.env[0].valueFrom.fieldRef.apiVersion).toBe("v1");
    expect(c.livenessProbe).toEqual({ httpGet: { port: 80, path: "/", scheme: "HTTP" }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(c.resources).toEqual({ limits: { cpu: "1" }, requests: { cpu: "1" } });
    expect(d.imagePullPolicy).toBe("Always");
    expect(d.resources).toEqual({});
    expect(p.spec.volumes).toEqual([
      { name: "cm", configMap: { name: "x", defaultMode: 420 } },
      { name: "e", emptyDir: {} },
      { name: "h", hostPath: { path: "/tmp", type: "" } },
    ]);
    expect(p.status).toEqual({ phase: "Pending", qosClass: "Burstable" });
  });
  test("user choices are kept; existing tolerations respected", () => {
    const p = run("", "Pod", {
      spec: {
        restartPolicy: "Never", serviceAccountName: "sa",
        tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" }],
        containers: [{ name: "c", image: "x", imagePullPolicy: "Never" }],
      },
    });
    expect(p.spec.restartPolicy).toBe("Never");
    expect(p.spec.serviceAccount).toBe("sa");
    expect(p.spec.containers[0].imagePullPolicy).toBe("Never");
    expect(p.spec.tolerations.map((t: any) => t.key)).toEqual(["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]);
  });
  test("resource names that shadow Object.prototype still default", () => {
    const p = run("", "Pod", { spec: { containers: [{ image: "a", resources: { limits: { constructor: "1" } } }] } });
    expect(Object.hasOwn(p.spec.containers[0].resources.requests, "constructor")).toBe(true);
    expect(p.spec.containers[0].resources.requests.constructor).toBe("1");
  });
  test("image tags and qos", () => {
    expect(imageTag("localhost:5000/app")).toBe("");
    expect(imageTag("localhost:5000/app:v1")).toBe("v1");
    expect(imageTag("app@sha256:abc")).toBe("");
    expect(run("", "Pod", { spec: { containers: [{ image: "a:latest" }] } }).spec.containers[0].imagePullPolicy).toBe("Always");
    expect(run("", "Pod", { spec: { containers: [{ image: "a@sha256:0" }] } }).spec.containers[0].imagePullPolicy).toBe("IfNotPresent");
    expect(podQOSClass({ containers: [{}] })).toBe("BestEffort");
    expect(podQOSClass({ containers: [{ resources: { limits: { cpu: "1", memory: "1Gi" } } }] })).toBe("Burstable");
    expect(podQOSClass({ containers: [{ resources: { limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "1000m", memory: "1024Mi" } } }] })).toBe("Guaranteed");
    expect(podQOSClass({ containers: [{ resources: { limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "500m", memory: "1Gi" } } }] })).toBe("Burstable");
    expect(podQOSClass({ containers: [{ resources: { requests: { "example.com/x": "1" } } }] })).toBe("BestEffort");
    // After defaulting (requests copied from limits) a limits-only pod is Guaranteed.
    expect(run("", "Pod", { spec: { containers: [{ image: "a", resources: { limits: { cpu: "1", memory: "1Gi" } } }] } }).status.qosClass).toBe("Guaranteed");
  });
});

describe("workload defaults", () => {
  test("deployment", () => {
    const d = run("apps", "Deployment", { spec: { template: { spec: { containers: [{ name: "c", image: "x" }] } } } });
    expect(d.spec).toMatchObject({
      replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
    });
    expect(d.spec.template.spec.restartPolicy).toBe("Always");
    expect(d.spec.template.spec.serviceAccountName).toBeUndefined();
    expect(run("apps", "Deployment", { spec: { strategy: { type: "Recreate" } } }).spec.strategy).toEqual({ type: "Recreate" });
  });
  test("statefulset, daemonset, replicaset", () => {
    const s = run("apps", "StatefulSet", { spec: { volumeClaimTemplates: [{ metadata: { name: "d" }, spec: {} }] } });
    expect(s.spec).toMatchObject({
      podManagementPolicy: "OrderedReady", replicas: 1, revisionHistoryLimit: 10,
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
    });
    expect(s.spec.volumeClaimTemplates[0]).toEqual({ metadata: { name: "d" }, spec: { volumeMode: "Filesystem" }, status: { phase: "Pending" } });
    expect(run("apps", "DaemonSet", {}).spec).toEqual({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 });
    expect(run("apps", "ReplicaSet", {}).spec.replicas).toBe(1);
  });
  test("job with generated selector", () => {
    const j = run("batch", "Job", { metadata: { name: "pi", uid: "u-1" }, spec: { template: { spec: { containers: [{ image: "x" }], restartPolicy: "Never" } } } });
    expect(j.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: "NonIndexed", suspend: false, podReplacementPolicy: "TerminatingOrFailed" });
    expect(j.spec.selector).toEqual({ matchLabels: { "batch.kubernetes.io/controller-uid": "u-1" } });
    const labels = { "batch.kubernetes.io/controller-uid": "u-1", "batch.kubernetes.io/job-name": "pi", "controller-uid": "u-1", "job-name": "pi" };
    expect(j.spec.template.metadata.labels).toEqual(labels);
    expect(j.metadata.labels).toEqual(labels);
    // A user selector without manualSelector gains the controller-uid match; user labels win.
    const merged = run("batch", "Job", { metadata: { name: "m", uid: "u2" }, spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b", "job-name": "custom" } } } } });
    expect(merged.spec.selector).toEqual({ matchLabels: { a: "b", "batch.kubernetes.io/controller-uid": "u2" } });
    expect(merged.spec.template.metadata.labels["job-name"]).toBe("custom");
    expect(merged.spec.template.metadata.labels["batch.kubernetes.io/job-name"]).toBe("m");
    const manual = run("batch", "Job", { metadata: { name: "m", uid: "u" }, spec: { manualSelector: true, parallelism: 3, selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } } } } });
    expect(manual.spec.selector).toEqual({ matchLabels: { a: "b" } });
    expect(manual.spec.completions).toBeUndefined();
    expect(manual.spec.parallelism).toBe(3);
  });
  test("cronjob", () => {
    const c = run("batch", "CronJob", { spec: { schedule: "* * * * *", jobTemplate: { spec: { template: { spec: { containers: [{ image: "x" }] } } } } } });
    expect(c.spec).toMatchObject({ concurrencyPolicy: "Allow", suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(c.spec.jobTemplate.spec.template.spec.containers[0].terminationMessagePolicy).toBe("File");
    expect(c.spec.jobTemplate.spec.backoffLimit).toBeUndefined();
  });
});

describe("other kinds", () => {
  test("service", () => {
    const s = run("", "Service", { spec: { type: "NodePort", ports: [{ port: 80 }, { port: 53, protocol: "UDP", targetPort: "dns" }] } });
    expect(s.spec).toEqual({
      type: "NodePort", sessionAffinity: "None", externalTrafficPolicy: "Cluster", internalTrafficPolicy: "Cluster",
      ipFamilyPolicy: "SingleStack", ipFamilies: ["IPv4"],
      ports: [{ port: 80, protocol: "TCP", targetPort: 80 }, { port: 53, protocol: "UDP", targetPort: "dns" }],
    });
    const e = run("", "Service", { spec: { type: "ExternalName", externalName: "x.com" } });
    expect(e.spec.ipFamilies).toBeUndefined();
    expect(run("", "Service", { spec: { sessionAffinity: "ClientIP" } }).spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
  });
  test("namespace, secret, pv, pvc", () => {
    expect(run("", "Namespace", { metadata: { name: "ns" } })).toEqual({
      metadata: { name: "ns", labels: { "kubernetes.io/metadata.name": "ns" } }, status: { phase: "Active" },
    });
    // A finalized namespace keeps its empty finalizer list through later writes.
    expect(run("", "Namespace", { metadata: { name: "ns" }, spec: {}, status: { phase: "Terminating" } })).toEqual({
      metadata: { name: "ns", labels: { "kubernetes.io/metadata.name": "ns" } }, spec: {}, status: { phase: "Terminating" },
    });
    expect(run("", "Secret", {}).type).toBe("Opaque");
    expect(run("", "Secret", { type: "kubernetes.io/tls" }).type).toBe("kubernetes.io/tls");
    expect(run("", "PersistentVolume", { spec: {} }).spec.persistentVolumeReclaimPolicy).toBe("Retain");
    expect(run("", "PersistentVolumeClaim", { spec: {} })).toEqual({ spec: { volumeMode: "Filesystem" }, status: { phase: "Pending" } });
  });
  test("networking, rbac, storage, scheduling, autoscaling", () => {
    expect(run("networking.k8s.io", "NetworkPolicy", { spec: { egress: [{ ports: [{ port: 53 }] }] } }).spec).toEqual({
      egress: [{ ports: [{ port: 53, protocol: "TCP" }] }], policyTypes: ["Ingress", "Egress"],
    });
    expect(run("rbac.authorization.k8s.io", "RoleBinding", { subjects: [{ kind: "User", name: "u" }, { kind: "ServiceAccount", name: "s" }] }).subjects).toEqual([
      { kind: "User", name: "u", apiGroup: "rbac.authorization.k8s.io" },
      { kind: "ServiceAccount", name: "s", apiGroup: "" },
    ]);
    expect(run("networking.k8s.io", "IngressClass", { spec: { controller: "a/b", parameters: { kind: "K", name: "n" } } }).spec.parameters.scope).toBe("Cluster");
    expect(run("storage.k8s.io", "StorageClass", {})).toEqual({ reclaimPolicy: "Delete", volumeBindingMode: "Immediate" });
    expect(run("scheduling.k8s.io", "PriorityClass", { value: 5 }).preemptionPolicy).toBe("PreemptLowerPriority");
    const hpa = run("autoscaling", "HorizontalPodAutoscaler", { spec: { maxReplicas: 3, behavior: {} } }, "v2");
    expect(hpa.spec.minReplicas).toBe(1);
    expect(hpa.spec.metrics[0].resource.target).toEqual({ type: "Utilization", averageUtilization: 80 });
    expect(hpa.spec.behavior.scaleUp).toEqual({ selectPolicy: "Max", stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 4, periodSeconds: 15 }, { type: "Percent", value: 100, periodSeconds: 15 }] });
    expect(run("autoscaling", "HorizontalPodAutoscaler", { spec: {} }).spec).toEqual({ minReplicas: 1 });
  });
  test("unknown kinds are untouched", () => {
    const o = { spec: { a: 1 } };
    expect(run("example.com", "Widget", o)).toEqual({ spec: { a: 1 } });
  });
});

test("secret stringData is merged into data and dropped", () => {
  const s: any = { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { a: Buffer.from("old").toString("base64"), b: "Yg==" }, stringData: { a: "new", c: "sée" } };
  applyDefaults({ group: "", version: "v1", resource: "secrets", kind: "Secret" } as any, s);
  expect(s.stringData).toBeUndefined();
  expect(s.data).toEqual({ a: Buffer.from("new").toString("base64"), b: "Yg==", c: Buffer.from("sée").toString("base64") });
});
