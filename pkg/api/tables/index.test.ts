import { describe, expect, test } from "bun:test";
import type { KubeObject, ResourceInfo } from "../types.ts";
import { humanDuration, tableConvertorFor, toTable } from "./index.ts";

const NOW = Date.UTC(2024, 0, 10, 12, 0, 0);
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace(".000Z", "Z");
const info = (group: string, kind: string): ResourceInfo => ({
  group, version: "v1", kind, resource: kind.toLowerCase() + "s", singular: kind.toLowerCase(), listKind: kind + "List",
  namespaced: true, shortNames: [], categories: [], verbs: [], subresources: [],
});
const cells = (group: string, kind: string, obj: KubeObject) => tableConvertorFor(info(group, kind)).cells(obj, NOW);
const header = (group: string, kind: string, wide = false) =>
  tableConvertorFor(info(group, kind)).columns.filter((c) => wide || c.priority === 0).map((c) => c.name.toUpperCase());

describe("humanDuration", () => {
  test("matches upstream's buckets", () => {
    const cases: Array<[number, string]> = [
      [-3, "<invalid>"], [-1, "0s"], [0, "0s"], [5, "5s"], [119, "119s"], [120, "2m"], [182, "3m2s"], [600, "10m"],
      [179 * 60, "179m"], [3 * 3600, "3h"], [3 * 3600 + 5 * 60, "3h5m"], [8 * 3600 + 59, "8h"], [47 * 3600, "47h"],
      [51 * 3600, "2d3h"], [48 * 3600, "2d"], [10 * 86400, "10d"], [800 * 86400, "2y70d"], [730 * 86400, "2y"], [9 * 365 * 86400, "9y"],
    ];
    for (const [s, want] of cases) expect([s, humanDuration(s * 1000)]).toEqual([s, want]);
  });
});

describe("pod printer", () => {
  const base = (status: any, spec: any = { containers: [{ name: "a" }] }, md: any = {}) => ({
    metadata: { name: "p", creationTimestamp: ago(65), ...md }, spec, status,
  });
  test("headers", () => {
    expect(header("", "Pod")).toEqual(["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    expect(header("", "Pod", true)).toEqual(["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
    expect(tableConvertorFor(info("", "Pod")).columns[0]).toMatchObject({ format: "name", type: "string", priority: 0 });
  });
  test("running with a restart", () => {
    const c = cells("", "Pod", base({
      phase: "Running", podIPs: [{ ip: "10.42.0.5" }],
      containerStatuses: [{ name: "a", ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { finishedAt: ago(300) } } }],
    }, { containers: [{ name: "a" }], nodeName: "n1" }));
    expect(c).toEqual(["p", "1/1", "Running", "2 (5m ago)", "65s", "10.42.0.5", "n1", "<none>", "<none>"]);
  });
  test("pending, crashloop, completed, terminating", () => {
    expect(cells("", "Pod", base({ phase: "Pending" })).slice(1, 4)).toEqual(["0/1", "Pending", "0"]);
    expect(cells("", "Pod", base({ phase: "Running", containerStatuses: [{ name: "a", restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } } }] }))[2]).toBe("CrashLoopBackOff");
    expect(cells("", "Pod", base({ phase: "Succeeded", containerStatuses: [{ name: "a", state: { terminated: { reason: "Completed", exitCode: 0 } } }] }))[2]).toBe("Completed");
    expect(cells("", "Pod", base({ phase: "Failed", containerStatuses: [{ name: "a", state: { terminated: { exitCode: 3 } } }] }))[2]).toBe("ExitCode:3");
    expect(cells("", "Pod", base({ phase: "Running" }, undefined, { deletionTimestamp: ago(1) }))[2]).toBe("Terminating");
    expect(cells("", "Pod", base({ phase: "Failed", reason: "Evicted" }))[2]).toBe("Evicted");
    expect(cells("", "Pod", base({ phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }] }))[2]).toBe("SchedulingGated");
  });
  test("mixed container states", () => {
    const two = { containers: [{ name: "a" }, { name: "b" }] };
    // One finished container and one still running: Completed is shown as Running/NotReady.
    const st = (ready: boolean) => ({ phase: "Running", conditions: [{ type: "Ready", status: ready ? "True" : "False" }], containerStatuses: [
      { name: "a", ready: false, state: { terminated: { reason: "Completed", exitCode: 0 } } },
      { name: "b", ready: true, state: { running: {} } },
    ] });
    expect(cells("", "Pod", base(st(true), two)).slice(1, 3)).toEqual(["1/2", "Running"]);
    expect(cells("", "Pod", base(st(false), two)).slice(1, 3)).toEqual(["1/2", "NotReady"]);
    expect(cells("", "Pod", base({ phase: "Failed", containerStatuses: [{ name: "a", state: { terminated: { signal: 9, exitCode: 137 } } }] }))[2]).toBe("Signal:9");
    expect(cells("", "Pod", base({ phase: "Running", reason: "NodeLost" }, undefined, { deletionTimestamp: ago(1) }))[2]).toBe("Unknown");
    expect(cells("", "Pod", base({ phase: "Succeeded" }, undefined, { deletionTimestamp: ago(1) }))[2]).toBe("Succeeded");
  });
  test("init containers", () => {
    const spec = { initContainers: [{ name: "i1" }, { name: "i2" }], containers: [{ name: "a" }] };
    const st = (s2: any) => ({ phase: "Pending", initContainerStatuses: [{ name: "i1", state: { terminated: { exitCode: 0 } } }, { name: "i2", ...s2 }], containerStatuses: [{ name: "a", state: { waiting: { reason: "PodInitializing" } } }] });
    expect(cells("", "Pod", base(st({ state: { running: {} } }), spec))[2]).toBe("Init:1/2");
    expect(cells("", "Pod", base(st({ state: { waiting: { reason: "ImagePullBackOff" } } }), spec))[2]).toBe("Init:ImagePullBackOff");
    expect(cells("", "Pod", base(st({ state: { terminated: { exitCode: 1, reason: "Error" } } }), spec))[2]).toBe("Init:Error");
    expect(cells("", "Pod", base(st({ state: { terminated: { exitCode: 0 } } }), spec))[2]).toBe("PodInitializing");
    const sidecar = { initContainers: [{ name: "s", restartPolicy: "Always" }], containers: [{ name: "a" }] };
    const c = cells("", "Pod", base({ phase: "Running", initContainerStatuses: [{ name: "s", started: true, ready: true, state: { running: {} } }], containerStatuses: [{ name: "a", ready: true, state: { running: {} } }] }, sidecar));
    expect(c.slice(1, 3)).toEqual(["2/2", "Running"]);
  });
  test("readiness gates and completed row conditions", () => {
    const c = cells("", "Pod", base({ phase: "Running", conditions: [{ type: "x/ok", status: "True" }] }, { containers: [], readinessGates: [{ conditionType: "x/ok" }, { conditionType: "y" }] }));
    expect(c[8]).toBe("1/2");
    const t = toTable(tableConvertorFor(info("", "Pod")), [base({ phase: "Succeeded" })], { now: NOW, includeObject: "None" }) as any;
    expect(t.rows[0].conditions).toEqual([{ type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." }]);
  });
});

describe("workload printers", () => {
  const tpl = { spec: { containers: [{ name: "web", image: "nginx:1" }, { name: "side", image: "busybox" }] } };
  test("deployment", () => {
    expect(header("apps", "Deployment", true)).toEqual(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]);
    const d = { metadata: { name: "d", creationTimestamp: ago(3600 * 26) }, spec: { replicas: 3, selector: { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["b", "a"] }] }, template: tpl }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
    expect(cells("apps", "Deployment", d)).toEqual(["d", "2/3", 3, 2, "26h", "web,side", "nginx:1,busybox", "app=web,tier in (a,b)"]);
  });
  test("replicaset, statefulset, daemonset, rc", () => {
    expect(header("apps", "ReplicaSet")).toEqual(["NAME", "DESIRED", "CURRENT", "READY", "AGE"]);
    expect(cells("apps", "StatefulSet", { metadata: { name: "s" }, spec: { replicas: 2, template: tpl } })).toEqual(["s", "0/2", "<unknown>", "web,side", "nginx:1,busybox"]);
    expect(header("apps", "DaemonSet")).toEqual(["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"]);
    expect(cells("apps", "DaemonSet", { metadata: { name: "ds" }, spec: { template: { spec: { nodeSelector: { "kubernetes.io/os": "linux" } } } }, status: { desiredNumberScheduled: 1 } }).slice(0, 7)).toEqual(["ds", 1, 0, 0, 0, 0, "kubernetes.io/os=linux"]);
    expect(cells("", "ReplicationController", { metadata: { name: "rc" }, spec: { replicas: 1, selector: { b: "2", a: "1" } } })[7]).toBe("a=1,b=2");
    expect(cells("apps", "ReplicaSet", { metadata: { name: "rs" }, spec: { selector: {} } })[7]).toBe("<none>");
    expect(cells("apps", "Deployment", { metadata: { name: "d" }, spec: { selector: {} } })[7]).toBe("");
  });
  test("job and cronjob", () => {
    expect(header("batch", "Job")).toEqual(["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]);
    const j = { metadata: { name: "pi", creationTimestamp: ago(100) }, spec: { completions: 1, template: tpl, selector: { matchLabels: { "batch.kubernetes.io/controller-uid": "u" } } }, status: { succeeded: 1, startTime: ago(100), completionTime: ago(90), conditions: [{ type: "Complete", status: "True" }] } };
    expect(cells("batch", "Job", j).slice(0, 5)).toEqual(["pi", "Complete", "1/1", "10s", "100s"]);
    expect(cells("batch", "Job", { metadata: { name: "r" }, spec: { parallelism: 3 }, status: { startTime: ago(30) } }).slice(1, 4)).toEqual(["Running", "0/1 of 3", "30s"]);
    expect(cells("batch", "Job", { metadata: { name: "s" }, spec: { completions: 2 }, status: { conditions: [{ type: "Suspended", status: "True" }, { type: "FailureTarget", status: "True" }] } }).slice(1, 4)).toEqual(["Suspended", "0/2", ""]);
    expect(cells("batch", "Job", { metadata: { name: "f", deletionTimestamp: ago(1) }, spec: {}, status: { conditions: [{ type: "Failed", status: "True" }] } })[1]).toBe("Failed");
    expect(cells("batch", "Job", { metadata: { name: "t", deletionTimestamp: ago(1) }, spec: {}, status: {} })[1]).toBe("Terminating");
    expect(cells("batch", "Job", j)[7]).toBe("batch.kubernetes.io/controller-uid=u");
    expect(cells("batch", "Job", { metadata: { name: "n" }, spec: {} })[7]).toBe("<none>");
    expect(header("batch", "CronJob")).toEqual(["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"]);
    expect(cells("batch", "CronJob", { metadata: { name: "c", creationTimestamp: ago(10) }, spec: { schedule: "*/1 * * * *", suspend: false } }).slice(0, 7)).toEqual(["c", "*/1 * * * *", "<none>", "False", 0, "<none>", "10s"]);
  });
  test("hpa, pdb, controllerrevision", () => {
    const h = { metadata: { name: "h" }, spec: { scaleTargetRef: { kind: "Deployment", name: "web" }, maxReplicas: 5, minReplicas: 1, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }] }, status: { currentReplicas: 1 } };
    expect(cells("autoscaling", "HorizontalPodAutoscaler", h).slice(0, 6)).toEqual(["h", "Deployment/web", "cpu: <unknown>/80%", "1", 5, 1]);
    const many = { ...h, spec: { ...h.spec, metrics: [
      { type: "Resource", resource: { name: "memory", target: { type: "AverageValue", averageValue: "100Mi" } } },
      { type: "Pods", pods: { metric: { name: "qps" }, target: { type: "AverageValue", averageValue: "10" } } },
      { type: "External", external: { metric: { name: "q" }, target: { type: "Value", value: "5" } } },
    ] }, status: { currentReplicas: 2, currentMetrics: [{ type: "Resource", resource: { name: "memory", current: { averageValue: "50Mi" } } }] } };
    expect(cells("autoscaling", "HorizontalPodAutoscaler", many)[2]).toBe("memory: 50Mi/100Mi, <unknown>/10 + 1 more...");
    expect(cells("autoscaling", "HorizontalPodAutoscaler", { metadata: { name: "v1" }, spec: { scaleTargetRef: { kind: "Deployment", name: "d" }, maxReplicas: 2, targetCPUUtilizationPercentage: 50 }, status: {} })[2]).toBe("cpu: <unknown>/50%");
    expect(cells("policy", "PodDisruptionBudget", { metadata: { name: "b" }, spec: { minAvailable: 1 } }).slice(0, 4)).toEqual(["b", "1", "N/A", 0]);
    expect(cells("apps", "ControllerRevision", { metadata: { name: "r", ownerReferences: [{ apiVersion: "apps/v1", kind: "StatefulSet", name: "web", uid: "u", controller: true }] }, revision: 2 }).slice(0, 3)).toEqual(["r", "statefulset.apps/web", 2]);
  });
});

describe("core printers", () => {
  test("services", () => {
    expect(header("", "Service", true)).toEqual(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"]);
    const svc = (spec: any, status: any = {}) => cells("", "Service", { metadata: { name: "s", creationTimestamp: ago(5) }, spec, status });
    expect(svc({ type: "ClusterIP", clusterIP: "10.43.0.1", clusterIPs: ["10.43.0.1"], ports: [{ port: 443, protocol: "TCP" }] })).toEqual(["s", "ClusterIP", "10.43.0.1", "<none>", "443/TCP", "5s", "<none>"]);
    expect(svc({ type: "NodePort", clusterIPs: ["10.43.0.9"], ports: [{ port: 80, nodePort: 30080, protocol: "TCP" }, { port: 53, protocol: "UDP" }], selector: { app: "x" } }).slice(2, 7)).toEqual(["10.43.0.9", "<none>", "80:30080/TCP,53/UDP", "5s", "app=x"]);
    expect(svc({ type: "LoadBalancer", clusterIPs: ["10.43.0.9"], ports: [] })[3]).toBe("<pending>");
    expect(svc({ type: "LoadBalancer", ports: [] }, { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } }).slice(2, 5)).toEqual(["<none>", "1.2.3.4", "<none>"]);
    expect(svc({ type: "LoadBalancer", externalIPs: ["9.9.9.9"], ports: [] }, { loadBalancer: { ingress: [{ ip: "5.5.5.5" }, { hostname: "lb.example" }, { ip: "1.1.1.1" }] } })[3]).toBe("1.1.1.1,5.5.5.5,lb.example,9.9.9.9");
    expect(svc({ type: "ExternalName", externalName: "example.com" })[3]).toBe("example.com");
    expect(svc({ clusterIP: "None", clusterIPs: ["None"] })[2]).toBe("None");
  });
  test("nodes", () => {
    expect(header("", "Node", true)).toEqual(["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"]);
    const n = {
      metadata: { name: "n1", creationTimestamp: ago(7200), labels: { "node-role.kubernetes.io/master": "true", "node-role.kubernetes.io/control-plane": "true" } },
      spec: { unschedulable: true },
      status: { conditions: [{ type: "Ready", status: "True" }], addresses: [{ type: "InternalIP", address: "10.0.0.2" }], nodeInfo: { kubeletVersion: "v1.33.0+kubun", osImage: "Debian GNU/Linux 12 (bookworm)", kernelVersion: "6.1.0", containerRuntimeVersion: "kubun://0.1.0" } },
    };
    expect(cells("", "Node", n)).toEqual(["n1", "Ready,SchedulingDisabled", "control-plane,master", "120m", "v1.33.0+kubun", "10.0.0.2", "<none>", "Debian GNU/Linux 12 (bookworm)", "6.1.0", "kubun://0.1.0"]);
    expect(cells("", "Node", { metadata: { name: "x" }, status: { conditions: [{ type: "Ready", status: "Unknown" }] } }).slice(1, 3)).toEqual(["NotReady", "<none>"]);
  });
  test("events", () => {
    expect(header("", "Event")).toEqual(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    const e = { metadata: { name: "p.17" }, involvedObject: { kind: "Pod", name: "p", fieldPath: "spec.containers{a}" }, reason: "Pulled", type: "Normal", message: " pulled \n", firstTimestamp: ago(600), lastTimestamp: ago(60), count: 3, source: { component: "kubelet", host: "n1" } };
    expect(cells("", "Event", e)).toEqual(["60s", "Normal", "Pulled", "pod/p", "spec.containers{a}", "kubelet, n1", "pulled", "10m", 3, "p.17"]);
    expect(cells("", "Event", { metadata: { name: "y" }, involvedObject: { kind: "Pod" }, reportingComponent: "sched", reportingInstance: "i1", eventTime: "2024-01-10T11:59:00.000000Z" }).slice(3, 6)).toEqual(["pod", "", "sched, i1"]);
    const ev2 = { metadata: { name: "x" }, regarding: { kind: "Node", name: "n" }, note: "hi", type: "Warning", reason: "R", eventTime: "2024-01-10T11:59:00.000000Z", reportingController: "ctl" };
    expect(cells("events.k8s.io", "Event", ev2)).toEqual(["60s", "Warning", "R", "node/n", "", "ctl", "hi", "60s", 1, "x"]);
  });
  test("configmaps, secrets, serviceaccounts, namespaces, endpoints", () => {
    expect(cells("", "ConfigMap", { metadata: { name: "c" }, data: { a: "1", b: "2" }, binaryData: { c: "" } }).slice(0, 2)).toEqual(["c", 3]);
    expect(header("", "Secret")).toEqual(["NAME", "TYPE", "DATA", "AGE"]);
    expect(cells("", "Secret", { metadata: { name: "s" }, type: "Opaque", data: { a: "" } }).slice(0, 3)).toEqual(["s", "Opaque", 1]);
    expect(cells("", "ServiceAccount", { metadata: { name: "default" } }).slice(0, 2)).toEqual(["default", 0]);
    expect(cells("", "Namespace", { metadata: { name: "n" }, status: { phase: "Active" } }).slice(0, 2)).toEqual(["n", "Active"]);
    const ep = { metadata: { name: "e" }, subsets: [{ addresses: [{ ip: "10.42.0.1" }, { ip: "10.42.0.2" }], ports: [{ port: 80 }, { port: 81 }] }] };
    expect(cells("", "Endpoints", ep)[1]).toBe("10.42.0.1:80,10.42.0.2:80,10.42.0.1:81 + 1 more...");
    expect(cells("", "Endpoints", { metadata: { name: "e" } })[1]).toBe("<none>");
    const sl = { metadata: { name: "s" }, addressType: "IPv4", ports: [{ port: 80 }], endpoints: [{ addresses: ["10.42.0.1"] }] };
    expect(cells("discovery.k8s.io", "EndpointSlice", sl).slice(0, 4)).toEqual(["s", "IPv4", "80", "10.42.0.1"]);
  });
  test("storage", () => {
    expect(header("", "PersistentVolumeClaim")).toEqual(["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"]);
    const pvc = { metadata: { name: "c" }, spec: { volumeName: "pv1", storageClassName: "local-path", volumeMode: "Filesystem" }, status: { phase: "Bound", capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce", "ReadOnlyMany"] } };
    expect(cells("", "PersistentVolumeClaim", pvc)).toEqual(["c", "Bound", "pv1", "1Gi", "RWO,ROX", "local-path", "<unset>", "<unknown>", "Filesystem"]);
    const pv = { metadata: { name: "pv1" }, spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], persistentVolumeReclaimPolicy: "Delete", claimRef: { namespace: "d", name: "c" }, storageClassName: "local-path" }, status: { phase: "Bound" } };
    expect(cells("", "PersistentVolume", pv).slice(0, 9)).toEqual(["pv1", "1Gi", "RWO", "Delete", "Bound", "d/c", "local-path", "<unset>", ""]);
    const sc = { metadata: { name: "local-path", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }, provisioner: "rancher.io/local-path", reclaimPolicy: "Delete", volumeBindingMode: "WaitForFirstConsumer" };
    expect(cells("storage.k8s.io", "StorageClass", sc).slice(0, 5)).toEqual(["local-path (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer", false]);
    const rq = { metadata: { name: "q" }, spec: { hard: { pods: "10", "limits.cpu": "2", cpu: "1" } }, status: { used: { pods: "1" }, hard: { pods: "10", "limits.cpu": "2", cpu: "1" } } };
    expect(header("", "ResourceQuota")).toEqual(["NAME", "REQUEST", "LIMIT", "AGE"]);
    expect(cells("", "ResourceQuota", rq).slice(0, 3)).toEqual(["q", "cpu: 0/1, pods: 1/10", "limits.cpu: 0/2"]);
  });
  test("networking, rbac and the rest", () => {
    const ing = { metadata: { name: "i" }, spec: { ingressClassName: "traefik", rules: [{ host: "a.com" }, { host: "b.com" }], tls: [{}] }, status: { loadBalancer: { ingress: [{ ip: "10.0.0.2" }] } } };
    expect(cells("networking.k8s.io", "Ingress", ing).slice(0, 5)).toEqual(["i", "traefik", "a.com,b.com", "10.0.0.2", "80, 443"]);
    expect(cells("networking.k8s.io", "Ingress", { metadata: { name: "i" }, spec: { rules: [{}] } }).slice(1, 5)).toEqual(["<none>", "*", "", "80"]);
    expect(cells("networking.k8s.io", "NetworkPolicy", { metadata: { name: "n" }, spec: { podSelector: {} } })[1]).toBe("<none>");
    expect(cells("networking.k8s.io", "NetworkPolicy", { metadata: { name: "n" }, spec: { podSelector: { matchLabels: { app: "a" } } } })[1]).toBe("app=a");
    const rb = { metadata: { name: "rb" }, roleRef: { kind: "ClusterRole", name: "view" }, subjects: [{ kind: "User", name: "u" }, { kind: "ServiceAccount", name: "sa", namespace: "ns" }, { kind: "Group", name: "g" }] };
    expect(header("rbac.authorization.k8s.io", "RoleBinding", true)).toEqual(["NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"]);
    expect(cells("rbac.authorization.k8s.io", "RoleBinding", rb)).toEqual(["rb", "ClusterRole/view", "<unknown>", "u", "g", "ns/sa"]);
    expect(header("rbac.authorization.k8s.io", "ClusterRole")).toEqual(["NAME", "CREATED AT"]);
    expect(cells("rbac.authorization.k8s.io", "Role", { metadata: { name: "r", creationTimestamp: "2024-01-01T00:00:00Z" } })).toEqual(["r", "2024-01-01T00:00:00Z"]);
    expect(cells("scheduling.k8s.io", "PriorityClass", { metadata: { name: "high" }, value: 1000, globalDefault: false }).slice(0, 3)).toEqual(["high", 1000, false]);
    expect(cells("coordination.k8s.io", "Lease", { metadata: { name: "l" }, spec: { holderIdentity: "n1" } }).slice(0, 2)).toEqual(["l", "n1"]);
    expect(cells("node.k8s.io", "RuntimeClass", { metadata: { name: "r" }, handler: "crun" }).slice(0, 2)).toEqual(["r", "crun"]);
    expect(cells("networking.k8s.io", "IngressClass", { metadata: { name: "c" }, spec: { controller: "x/y", parameters: { apiGroup: "k.io", kind: "P", name: "p" } } }).slice(1, 3)).toEqual(["x/y", "P.k.io/p"]);
  });
  test("certificate signing requests", () => {
    const csr = { metadata: { name: "c", creationTimestamp: ago(60) }, spec: { signerName: "kubernetes.io/kube-apiserver-client", username: "admin", expirationSeconds: 86400 }, status: { conditions: [{ type: "Approved" }], certificate: "LS0t" } };
    expect(cells("certificates.k8s.io", "CertificateSigningRequest", csr)).toEqual(["c", "60s", "kubernetes.io/kube-apiserver-client", "admin", "24h", "Approved,Issued"]);
    expect(cells("certificates.k8s.io", "CertificateSigningRequest", { metadata: { name: "p" }, spec: {} }).slice(2)).toEqual(["<none>", "", "<none>", "Pending"]);
  });
  test("kinds on upstream's default convertor show CREATED AT", () => {
    for (const [g, k] of [["apiextensions.k8s.io", "CustomResourceDefinition"], ["", "LimitRange"], ["rbac.authorization.k8s.io", "Role"]] as const)
      expect(header(g, k)).toEqual(["NAME", "CREATED AT"]);
  });
  test("unknown kinds get NAME and AGE", () => {
    expect(header("example.com", "Widget")).toEqual(["NAME", "AGE"]);
    expect(cells("example.com", "Widget", { metadata: { name: "w", creationTimestamp: ago(30) } })).toEqual(["w", "30s"]);
  });
});

describe("toTable", () => {
  const objs = [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", creationTimestamp: ago(1), resourceVersion: "7" }, data: {} }];
  const conv = tableConvertorFor(info("", "ConfigMap"));
  test("metadata rows by default", () => {
    const t = toTable(conv, objs, { now: NOW, includeObject: "Metadata", resourceVersion: "9", continue: "tok", remainingItemCount: 4 }) as any;
    expect(t.kind).toBe("Table");
    expect(t.apiVersion).toBe("meta.k8s.io/v1");
    expect(t.metadata).toEqual({ resourceVersion: "9", continue: "tok", remainingItemCount: 4 });
    expect(t.columnDefinitions.map((c: any) => c.name)).toEqual(["Name", "Data", "Age"]);
    expect(t.rows).toEqual([{ cells: ["a", 0, "1s"], object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: objs[0]!.metadata } }]);
  });
  test("object, none and no headers", () => {
    expect((toTable(conv, objs, { now: NOW, includeObject: "Object" }) as any).rows[0].object).toBe(objs[0]);
    const t = toTable(conv, objs, { now: NOW, includeObject: "None", noHeaders: true }) as any;
    expect(t.rows[0].object).toBeNull();
    expect(t.columnDefinitions).toEqual([]);
    expect(t.metadata).toEqual({});
  });
});
