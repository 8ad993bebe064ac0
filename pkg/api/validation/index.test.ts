import { describe, expect, test } from "bun:test";
import { applyDefaults } from "../defaults/index.ts";
import { invalid as invalidStatus } from "../errors.ts";
import type { FieldError, KubeObject, ResourceInfo } from "../types.ts";
import { validateCreate, validateUpdate } from "./index.ts";

const info = (group: string, kind: string, namespaced = true): ResourceInfo => ({
  group, version: "v1", kind, resource: kind.toLowerCase() + "s", singular: kind.toLowerCase(), listKind: kind + "List",
  namespaced, shortNames: [], categories: [], verbs: [], subresources: [],
});
/** "field: message" lines, as kubectl prints them. */
const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.message}`);
const create = (group: string, kind: string, obj: KubeObject, namespaced = true, defaults = true) => {
  const i = info(group, kind, namespaced);
  const o = structuredClone(obj);
  if (defaults) applyDefaults(i, o);
  return lines(validateCreate(i, o));
};
const update = (group: string, kind: string, obj: KubeObject, old: KubeObject, namespaced = true) => {
  const i = info(group, kind, namespaced);
  const [o, p] = [structuredClone(obj), structuredClone(old)];
  applyDefaults(i, o);
  applyDefaults(i, p);
  return lines(validateUpdate(i, o, p));
};
const md = (name = "x", extra: any = {}) => ({ name, namespace: "default", ...extra });
const pod = (spec: any, meta: any = md("p")) => ({ apiVersion: "v1", kind: "Pod", metadata: meta, spec });
const deploy = (spec: any, name = "d") => ({ metadata: md(name), spec });
const tpl = (labels: any, extra: any = {}) => ({ metadata: { labels }, spec: { containers: [{ name: "c", image: "nginx" }], ...extra } });

describe("object metadata", () => {
  test("valid objects pass", () => {
    expect(create("", "ConfigMap", { metadata: md("ok"), data: { "a.txt": "x" } })).toEqual([]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "busybox" }] }))).toEqual([]);
  });
  test("names by kind", () => {
    expect(create("", "ConfigMap", { metadata: md("Bad_Name") })).toEqual([
      `metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
    expect(create("", "Namespace", { metadata: { name: "a.b" } }, false)).toEqual([`metadata.name: Invalid value: "a.b": must not contain dots`]);
    expect(create("", "Service", { metadata: md("1svc"), spec: { ports: [{ port: 80 }] } })[0]).toStartWith(`metadata.name: Invalid value: "1svc": a DNS-1035 label must consist of`);
    expect(create("rbac.authorization.k8s.io", "ClusterRole", { metadata: { name: "system:Weird" }, rules: [] }, false)).toEqual([]);
    expect(create("rbac.authorization.k8s.io", "Role", { metadata: md("a/b"), rules: [] })).toEqual([`metadata.name: Invalid value: "a/b": may not contain '/'`]);
    expect(create("", "ConfigMap", { metadata: { namespace: "default" } })).toEqual(["metadata.name: Required value: name or generateName is required"]);
    expect(create("", "ConfigMap", { metadata: { name: "a" } })).toEqual(["metadata.namespace: Required value"]);
    expect(create("", "Namespace", { metadata: { name: "a", namespace: "b" } }, false)).toEqual(["metadata.namespace: Forbidden: not allowed on this type"]);
    expect(create("", "ConfigMap", { metadata: md("a", { generateName: "Gen-" }) })[0]).toStartWith(`metadata.generateName: Invalid value: "Gen-": a lowercase RFC 1123 subdomain`);
    expect(create("", "ConfigMap", { metadata: md("a", { generateName: "gen-" }) })).toEqual([]);
  });
  test("labels, annotations, owners, finalizers", () => {
    expect(create("", "ConfigMap", { metadata: md("a", { labels: { "a b": "x" } }) })[0]).toStartWith(`metadata.labels: Invalid value: "a b": name part must consist of alphanumeric characters`);
    expect(create("", "ConfigMap", { metadata: md("a", { labels: { ok: "-bad" } }) })[0]).toStartWith(`metadata.labels: Invalid value: "-bad": a valid label must be an empty string`);
    expect(create("", "ConfigMap", { metadata: md("a", { labels: { ok: "x".repeat(64) } }) })[0]).toEndWith(": must be no more than 63 characters");
    expect(create("", "ConfigMap", { metadata: md("a", { annotations: { big: "x".repeat(256 * 1024) } }) })).toEqual(["metadata.annotations: Too long: may not be more than 262144 bytes"]);
    expect(create("", "ConfigMap", { metadata: md("a", { annotations: { "Example.COM/Key": "v" } }) })).toEqual([]);
    expect(create("", "ConfigMap", { metadata: md("a", { ownerReferences: [{ apiVersion: "", kind: "", name: "", uid: "" }] }) })).toEqual([
      `metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty`,
      `metadata.ownerReferences.kind: Invalid value: "": kind must not be empty`,
      `metadata.ownerReferences.name: Invalid value: "": name must not be empty`,
      `metadata.ownerReferences.uid: Invalid value: "": uid must not be empty`,
    ]);
    const two = [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "a", uid: "1", controller: true }, { apiVersion: "apps/v1", kind: "ReplicaSet", name: "b", uid: "2", controller: true }];
    expect(create("", "ConfigMap", { metadata: md("a", { ownerReferences: two }) })[0]).toEndWith(`Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b`);
    expect(create("", "ConfigMap", { metadata: md("a", { finalizers: ["bad finalizer"] }) })[0]).toStartWith(`metadata.finalizers: Invalid value: "bad finalizer"`);
    expect(create("", "ConfigMap", { metadata: md("a", { finalizers: ["orphan", "foregroundDeletion"] }) })).toEqual([
      `metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set`,
    ]);
  });
  test("metadata updates", () => {
    const old = { metadata: md("a", { uid: "u1", resourceVersion: "1", creationTimestamp: "2024-01-01T00:00:00Z" }) };
    expect(update("", "ConfigMap", { metadata: md("a", { uid: "u2", resourceVersion: "1", creationTimestamp: "2024-01-01T00:00:00Z" }) }, old)).toEqual([
      `metadata.uid: Invalid value: "u2": field is immutable`,
    ]);
    expect(update("", "ConfigMap", { metadata: { ...old.metadata, namespace: "other" } }, old)).toEqual([`metadata.namespace: Invalid value: "other": field is immutable`]);
    const deleting = { metadata: { ...old.metadata, deletionTimestamp: "2024-01-02T00:00:00Z", finalizers: ["a/b"] } };
    expect(update("", "ConfigMap", { metadata: { ...deleting.metadata, finalizers: ["a/b", "c/d"] } }, deleting)).toEqual([
      `metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"c/d"}`,
    ]);
  });
  test("the Status message kubectl shows", () => {
    const errs = validateCreate(info("", "ConfigMap"), { metadata: md("Bad_Name") });
    const st = invalidStatus({ group: "", kind: "ConfigMap" }, "Bad_Name", errs).status;
    expect(st.message).toStartWith(`ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain`);
    expect(st.details?.causes?.[0]).toMatchObject({ reason: "FieldValueInvalid", field: "metadata.name" });
  });
});

describe("pods", () => {
  test("containers", () => {
    expect(create("", "Pod", pod({ containers: [] }))).toEqual(["spec.containers: Required value"]);
    expect(create("", "Pod", pod({ containers: [{ name: "c" }] }))).toEqual(["spec.containers[0].image: Required value"]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a" }, { name: "c", image: "b" }] }))).toEqual([`spec.containers[1].name: Duplicate value: "c"`]);
    expect(create("", "Pod", pod({ containers: [{ image: "a" }] }))).toEqual(["spec.containers[0].name: Required value"]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a", imagePullPolicy: "Sometimes" }] }))).toEqual([
      `spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"`,
    ]);
  });
  test("ports, restart policy, resources, probes, mounts", () => {
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a", ports: [{ containerPort: 70000 }] }] }))).toEqual([
      "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
    ]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a", ports: [{ containerPort: 80, protocol: "ICMP" }] }] }))).toEqual([
      `spec.containers[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"`,
    ]);
    expect(create("", "Pod", pod({ restartPolicy: "Sometimes", containers: [{ name: "c", image: "a" }] }))).toEqual([
      `spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`,
    ]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a", resources: { requests: { cpu: "2" }, limits: { cpu: "1" } } }] }))).toEqual([
      `spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1`,
    ]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a", resources: { requests: { memory: "1024Mi", cpu: "1500m" }, limits: { memory: "512Mi", cpu: "1.5" } } }] }))).toEqual([
      `spec.containers[0].resources.requests: Invalid value: "1Gi": must be less than or equal to memory limit of 512Mi`,
    ]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a", resources: { limits: { gpu: "1" }, requests: { "example.com/dongle": "1" } } }] }))).toEqual([
      `spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers`,
      "spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources",
      // requests default to limits, so the bad name shows up twice as upstream.
      `spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers`,
    ]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a", livenessProbe: { httpGet: { port: 80 }, successThreshold: 2 } }] }))).toEqual([
      "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
    ]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a", readinessProbe: { periodSeconds: -1, exec: { command: ["true"] } } }] }))).toEqual([
      "spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
    ]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a", readinessProbe: {} }] }))).toEqual(["spec.containers[0].readinessProbe: Required value: must specify a handler type"]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a", volumeMounts: [{ name: "v", mountPath: "/x" }] }] }))).toEqual([`spec.containers[0].volumeMounts[0].name: Not found: "v"`]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a", env: [{ name: "1X" }] }] }))).toEqual([]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a", env: [{ name: "A=B" }] }] }))).toEqual([
      `spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
    ]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a", env: [{ name: "X", valueFrom: { fieldRef: { fieldPath: "spec.bogus" } } }] }] }))[0]).toStartWith(
      `spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.bogus": supported values: "metadata.name"`,
    );
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a", ports: [{ containerPort: 80, hostPort: 8080 }] }, { name: "d", image: "b", ports: [{ containerPort: 81, hostPort: 8080 }] }] }))).toEqual([
      `spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"`,
    ]);
    expect(create("", "Pod", pod({ initContainers: [{ name: "c", image: "a" }], containers: [{ name: "c", image: "b" }] }))).toEqual([`spec.initContainers[0].name: Duplicate value: "c"`]);
    expect(create("", "Pod", pod({ initContainers: [{ name: "i", image: "a", readinessProbe: { exec: { command: ["x"] } } }], containers: [{ name: "c", image: "b" }] }))).toEqual([
      "spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
    ]);
    expect(create("", "Pod", pod({ initContainers: [{ name: "s", image: "a", restartPolicy: "Always", readinessProbe: { exec: { command: ["x"] } } }], containers: [{ name: "c", image: "b" }] }))).toEqual([]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a", terminationMessagePolicy: "Sometimes" }] }))).toEqual([
      `spec.containers[0].terminationMessagePolicy: Invalid value: "Sometimes": must be 'File' or 'FallbackToLogsOnError'`,
    ]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: " a" }] }))).toEqual([`spec.containers[0].image: Invalid value: " a": must not have leading or trailing whitespace`]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a" }], tolerations: [{ operator: "Equal", value: "x" }] }))).toEqual([
      `spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when \`key\` is empty, which means "match all values and all keys"`,
    ]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a" }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "k", operator: "In" }] }] } } } }))).toEqual([
      "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a" }], ephemeralContainers: [{ name: "e", image: "b" }] }))).toEqual(["spec.ephemeralContainers: Forbidden: cannot be set on create"]);
  });
  test("volumes", () => {
    const withVols = (volumes: any[]) => pod({ containers: [{ name: "c", image: "a" }], volumes });
    expect(create("", "Pod", withVols([{ name: "v", configMap: { name: "cm", items: [{ key: "k", path: "../x" }, { path: "/abs", mode: 1000 }] } }]))).toEqual([
      `spec.volumes[0].configMap.items[0].path: Invalid value: "../x": must not contain '..'`,
      `spec.volumes[0].configMap.items[0].path: Invalid value: "../x": must not start with '..'`,
      "spec.volumes[0].configMap.items[1].key: Required value",
      `spec.volumes[0].configMap.items[1].path: Invalid value: "/abs": must be a relative path`,
      "spec.volumes[0].configMap.items[1].mode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive",
    ]);
    expect(create("", "Pod", withVols([{ name: "h", hostPath: { path: "/x", type: "Dir" } }]))).toEqual([
      `spec.volumes[0].hostPath.type: Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"`,
    ]);
    expect(create("", "Pod", withVols([{ name: "a", emptyDir: {} }, { name: "a", secret: {} }]))).toEqual([
      `spec.volumes[1].name: Duplicate value: "a"`,
      "spec.volumes[1].secret.secretName: Required value",
    ]);
    expect(create("", "Pod", withVols([{ name: "two", emptyDir: {}, hostPath: { path: "/x" } }]))).toEqual(["spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type"]);
  });
  test("security contexts", () => {
    expect(create("", "Pod", pod({ securityContext: { runAsUser: -1, sysctls: [{ name: "net.ipv4.ip_forward", value: "1" }, { name: "Bad Name", value: "1" }] }, containers: [{ name: "c", image: "a", securityContext: { runAsGroup: -5, seccompProfile: { type: "Localhost" } } }] }))).toEqual([
      "spec.containers[0].securityContext.runAsGroup: Invalid value: -5: must be between 0 and 2147483647, inclusive",
      "spec.containers[0].securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost",
      "spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive",
      `spec.securityContext.sysctls[1].name: Invalid value: "Bad Name": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$`,
    ]);
    const errs = create("", "Pod", pod({ containers: [{ name: "c", image: "a", securityContext: { privileged: true, allowPrivilegeEscalation: false } }] }));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toEndWith("cannot set `allowPrivilegeEscalation` to false and `privileged` to true");
  });
  test("pod updates may only change images and a few fields", () => {
    const old = pod({ containers: [{ name: "c", image: "a" }] }, md("p", { resourceVersion: "1" }));
    expect(update("", "Pod", pod({ containers: [{ name: "c", image: "b" }] }, md("p", { resourceVersion: "1" })), old)).toEqual([]);
    const errs = update("", "Pod", pod({ containers: [{ name: "c", image: "a", command: ["sh"] }] }, md("p", { resourceVersion: "1" })), old);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toStartWith(
      "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n",
    );
    expect(errs[0]).toContain("containers[0].command");
    const withTol = pod({ containers: [{ name: "c", image: "a" }], tolerations: [{ key: "k", operator: "Exists", effect: "NoSchedule" }] }, md("p", { resourceVersion: "1" }));
    expect(update("", "Pod", withTol, old)).toEqual([]);
    const changedTol = pod({ containers: [{ name: "c", image: "a" }], tolerations: [{ key: "k", operator: "Exists", effect: "NoExecute" }] }, md("p", { resourceVersion: "1" }));
    expect(update("", "Pod", changedTol, withTol)).toEqual(["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"]);
    const withDeadline = (v?: number) => pod({ containers: [{ name: "c", image: "a" }], activeDeadlineSeconds: v }, md("p", { resourceVersion: "1" }));
    expect(update("", "Pod", withDeadline(30), withDeadline())).toEqual([]);
    expect(update("", "Pod", withDeadline(10), withDeadline(30))).toEqual([]);
    expect(update("", "Pod", withDeadline(60), withDeadline(30))).toEqual(["spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value"]);
    expect(update("", "Pod", withDeadline(), withDeadline(30))).toEqual(["spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value"]);
  });
});

describe("services", () => {
  const svc = (spec: any, name = "s") => ({ metadata: md(name), spec });
  test("ports and types", () => {
    expect(create("", "Service", svc({ ports: [] }))).toEqual(["spec.ports: Required value"]);
    expect(create("", "Service", svc({ clusterIP: "None", ports: [] }))).toEqual([]);
    expect(create("", "Service", svc({ type: "ExternalName", externalName: "example.com" }))).toEqual([]);
    expect(create("", "Service", svc({ ports: [{ port: 80 }, { port: 81 }] }))).toEqual(["spec.ports[0].name: Required value", "spec.ports[1].name: Required value"]);
    expect(create("", "Service", svc({ ports: [{ port: 0 }] }))).toEqual(["spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"]);
    expect(create("", "Service", svc({ type: "Magic", ports: [{ port: 80 }] }))).toEqual([
      `spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"`,
    ]);
    expect(create("", "Service", svc({ type: "NodePort", ports: [{ port: 80, nodePort: 80 }] }))).toEqual([
      "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767",
    ]);
    expect(create("", "Service", svc({ ports: [{ port: 80, nodePort: 30001 }] }))).toEqual(["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
    expect(create("", "Service", svc({ ports: [{ name: "a", port: 80 }, { name: "a", port: 81 }] }))).toEqual([`spec.ports[1].name: Duplicate value: "a"`]);
    expect(create("", "Service", svc({ ports: [{ name: "a", port: 80 }, { name: "b", port: 80 }] }))[0]).toStartWith(`spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP"`);
  });
  test("type-specific rules and traffic policies", () => {
    expect(create("", "Service", svc({ type: "NodePort", clusterIP: "None", ports: [{ port: 80 }] }))).toEqual([
      `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`,
    ]);
    expect(create("", "Service", svc({ type: "ExternalName", externalName: "db.example.com.", clusterIP: "10.43.0.9" }))).toEqual(["spec.clusterIPs: Forbidden: may not be set for ExternalName services"]);
    expect(create("", "Service", svc({ type: "ExternalName" }))).toEqual(["spec.externalName: Required value"]);
    expect(create("", "Service", svc({ ports: [{ port: 80 }], externalTrafficPolicy: "Local" }))).toEqual([
      `spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services`,
    ]);
    expect(create("", "Service", svc({ ports: [{ port: 80 }], externalIPs: ["192.0.2.1"] }))).toEqual([]);
    expect(create("", "Service", svc({ ports: [{ port: 80 }], clusterIP: "banana" }))).toEqual([
      `spec.clusterIPs[0]: Invalid value: "banana": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
    ]);
    expect(create("", "Service", svc({ ports: [{ port: 80 }], sessionAffinity: "ClientIP", sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } }))).toEqual([
      "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400",
    ]);
    expect(create("", "Service", svc({ type: "NodePort", ports: [{ port: 80, nodePort: 30001 }, { port: 81, nodePort: 30001, name: "b" }].map((p, i) => ({ ...p, name: `p${i}` })) }))).toEqual([
      "spec.ports[1].nodePort: Duplicate value: 30001",
    ]);
  });
  test("clusterIP may not change", () => {
    const old = svc({ clusterIP: "10.43.0.5", clusterIPs: ["10.43.0.5"], ports: [{ port: 80 }] });
    expect(update("", "Service", svc({ clusterIP: "10.43.0.5", clusterIPs: ["10.43.0.5"], ports: [{ port: 81 }] }), old)).toEqual([]);
    expect(update("", "Service", svc({ clusterIP: "10.43.0.9", clusterIPs: ["10.43.0.9"], ports: [{ port: 80 }] }), old)).toEqual([
      `spec.clusterIPs[0]: Invalid value: []string{"10.43.0.9"}: may not change once set`,
    ]);
  });
});

describe("workloads", () => {
  test("deployment selector and template", () => {
    expect(create("apps", "Deployment", deploy({ selector: { matchLabels: { app: "a" } }, template: tpl({ app: "a" }) }))).toEqual([]);
    expect(create("apps", "Deployment", deploy({ selector: { matchLabels: { app: "a" } }, template: tpl({ app: "b" }) }))).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`',
    ]);
    expect(create("apps", "Deployment", deploy({ template: tpl({ app: "b" }) }))).toEqual(["spec.selector: Required value"]);
    expect(create("apps", "Deployment", deploy({ selector: {}, template: tpl({ app: "b" }) }))).toEqual([
      "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
    ]);
    expect(create("apps", "Deployment", deploy({ replicas: -1, selector: { matchLabels: { app: "a" } }, template: tpl({ app: "a" }) }))).toEqual([
      "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
    ]);
    expect(create("apps", "Deployment", deploy({ selector: { matchLabels: { app: "a" } }, template: tpl({ app: "a" }, { restartPolicy: "Never" }) }))).toEqual([
      `spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"`,
    ]);
    expect(create("apps", "Deployment", deploy({ selector: { matchLabels: { app: "a" } }, template: { metadata: { labels: { app: "a" } }, spec: { containers: [{ name: "c" }] } } }))).toEqual([
      "spec.template.spec.containers[0].image: Required value",
    ]);
    expect(create("apps", "Deployment", deploy({ selector: { matchExpressions: [{ key: "a", operator: "In" }] }, template: tpl({ a: "x" }) }))).toEqual([
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      'spec.template.metadata.labels: Invalid value: map[string]string{"a":"x"}: `selector` does not match template `labels`',
    ]);
    expect(create("apps", "Deployment", deploy({ selector: { matchLabels: { app: "a" } }, template: tpl({ app: "a" }), strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }))).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
    ]);
    expect(create("apps", "Deployment", deploy({ selector: { matchLabels: { app: "a" } }, template: tpl({ app: "a" }), strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25x", maxSurge: 1 } } }))).toEqual([
      `spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"25x"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
    ]);
  });
  test("deployment selector is immutable", () => {
    const old = deploy({ selector: { matchLabels: { app: "a" } }, template: tpl({ app: "a", v: "1" }) });
    expect(update("apps", "Deployment", deploy({ selector: { matchLabels: { app: "a" } }, template: tpl({ app: "a", v: "2" }) }), old)).toEqual([]);
    expect(update("apps", "Deployment", deploy({ selector: { matchLabels: { app: "a", v: "1" } }, template: tpl({ app: "a", v: "1" }) }), old)).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"a", "v":"1"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });
  test("statefulset spec updates", () => {
    const s = (spec: any) => ({ metadata: md("web"), spec: { selector: { matchLabels: { app: "a" } }, template: tpl({ app: "a" }), serviceName: "web", ...spec } });
    expect(create("apps", "StatefulSet", s({}))).toEqual([]);
    expect(update("apps", "StatefulSet", s({ replicas: 3 }), s({}))).toEqual([]);
    expect(update("apps", "StatefulSet", s({ serviceName: "other" }), s({}))).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
    expect(create("apps", "StatefulSet", s({ podManagementPolicy: "Random" }))).toEqual([`spec.podManagementPolicy: Invalid value: "Random": must be 'OrderedReady' or 'Parallel'`]);
    // StatefulSet names are DNS labels; the template's pod spec is not validated at this level.
    expect(create("apps", "StatefulSet", { ...s({}), metadata: md("a.b") })).toEqual([`metadata.name: Invalid value: "a.b": must not contain dots`]);
    expect(create("apps", "StatefulSet", s({ template: { metadata: { labels: { app: "a" } }, spec: { containers: [{ name: "c" }] } } }))).toEqual([]);
    expect(create("apps", "StatefulSet", s({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0 } } }))).toEqual([
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: cannot be 0',
    ]);
  });
  test("daemonset and replicaset", () => {
    expect(create("apps", "DaemonSet", deploy({ selector: { matchLabels: { app: "a" } }, template: tpl({ app: "a" }) }))).toEqual([]);
    expect(create("apps", "DaemonSet", deploy({ selector: {}, template: tpl({ app: "a" }) }))[0]).toEndWith("empty selector is invalid for daemonset");
    expect(create("apps", "DaemonSet", deploy({ template: tpl({ app: "a" }) }))).toEqual(['spec.template.metadata.labels: Invalid value: map[string]string{"app":"a"}: `selector` does not match template `labels`']);
    expect(create("apps", "DaemonSet", deploy({ selector: { matchLabels: { app: "a" } }, template: tpl({ app: "a" }), updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } } }))).toEqual([
      'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero',
    ]);
    expect(create("apps", "ReplicaSet", deploy({ replicas: -2, selector: { matchLabels: { app: "a" } }, template: tpl({ app: "a" }) }))).toEqual(["spec.replicas: Invalid value: -2: must be greater than or equal to 0"]);
    expect(create("", "ReplicationController", deploy({ selector: { app: "a" }, template: tpl({ app: "b" }) }))).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`',
    ]);
  });
  test("jobs", () => {
    const job = (spec: any, meta: any = md("pi", { uid: "u1" })) => ({ metadata: meta, spec: { template: { spec: { containers: [{ name: "c", image: "perl" }], restartPolicy: "Never" } }, ...spec } });
    expect(create("batch", "Job", job({}))).toEqual([]);
    expect(create("batch", "Job", { metadata: md("pi", { uid: "u" }), spec: { template: { spec: { containers: [{ name: "c", image: "x" }] } } } })).toEqual([
      `spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"`,
    ]);
    expect(create("batch", "Job", job({ parallelism: -1 }))).toEqual(["spec.parallelism: Invalid value: -1: must be greater than or equal to 0"]);
    expect(create("batch", "Job", job({ completionMode: "Indexed", completions: null, parallelism: 2 }))).toEqual(["spec.completions: Required value: when completion mode is Indexed"]);
    const old = job({});
    const changed = job({ template: { spec: { containers: [{ name: "c", image: "other" }], restartPolicy: "Never" } } });
    const errs = update("batch", "Job", changed, old);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toStartWith("spec.template: Invalid value: ");
    expect(errs[0]).toEndWith(": field is immutable");
    expect(update("batch", "Job", job({ suspend: true }), old)).toEqual([]);
    const long = create("batch", "Job", job({}, md("x".repeat(64), { uid: "u" })));
    expect(long).toContain(`metadata.labels: Invalid value: "${"x".repeat(64)}": must be no more than 63 characters`);
    // Template labels are reported at <template>.labels, as upstream's ValidatePodTemplateSpec does.
    expect(long).toContain(`spec.template.labels: Invalid value: "${"x".repeat(64)}": must be no more than 63 characters`);
  });
  test("cronjobs", () => {
    const cj = (spec: any, name = "c") => ({ metadata: md(name), spec: { schedule: "*/1 * * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: "c", image: "x" }], restartPolicy: "OnFailure" } } } }, ...spec } });
    expect(create("batch", "CronJob", cj({}))).toEqual([]);
    expect(create("batch", "CronJob", cj({ schedule: "bogus" }))).toEqual([`spec.schedule: Invalid value: "bogus": expected exactly 5 fields, found 1: [bogus]`]);
    expect(create("batch", "CronJob", cj({ schedule: "" }))).toEqual(["spec.schedule: Required value"]);
    expect(create("batch", "CronJob", cj({ concurrencyPolicy: "Sometimes" }))).toEqual([`spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"`]);
    expect(create("batch", "CronJob", cj({}, "x".repeat(53)))).toEqual([`metadata.name: Invalid value: "${"x".repeat(53)}": must be no more than 52 characters`]);
    expect(create("batch", "CronJob", cj({ timeZone: "Mars/Olympus" }))).toEqual([`spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus`]);
    expect(create("batch", "CronJob", cj({ timeZone: "Europe/Berlin" }))).toEqual([]);
    const withSel = cj({});
    withSel.spec.jobTemplate.spec = { ...withSel.spec.jobTemplate.spec, selector: { matchLabels: { a: "b" } }, template: { ...withSel.spec.jobTemplate.spec.template, metadata: { labels: { a: "b" } } } } as any;
    expect(create("batch", "CronJob", withSel)).toEqual([
      'spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated',
    ]);
    expect(create("batch", "CronJob", cj({ schedule: "CRON_TZ=UTC 0 * * * *" }))).toEqual([
      `spec.schedule: Invalid value: "CRON_TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead`,
    ]);
    const legacy = cj({ schedule: "TZ=UTC 0 * * * *" });
    expect(update("batch", "CronJob", { ...legacy, spec: { ...legacy.spec, suspend: true } }, legacy)).toEqual([]);
    expect(update("batch", "CronJob", cj({}, "x".repeat(53)), cj({}, "x".repeat(53)))).toEqual([]);
  });
});

describe("config and other kinds", () => {
  test("configmaps and secrets", () => {
    expect(create("", "ConfigMap", { metadata: md("c"), data: { "bad key": "x" } })[0]).toStartWith(`data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters`);
    expect(create("", "ConfigMap", { metadata: md("c"), data: { a: "x".repeat(1024 * 1024 + 1) } })).toEqual([": Too long: may not be more than 1048576 bytes"]);
    const old = { metadata: md("c", { resourceVersion: "1" }), data: { a: "1" }, immutable: true };
    expect(update("", "ConfigMap", { ...old, data: { a: "2" } }, old)).toEqual(["data: Forbidden: field is immutable when `immutable` is set"]);
    expect(update("", "ConfigMap", { ...old, metadata: md("c", { resourceVersion: "1", labels: { a: "b" } }) }, old)).toEqual([]);
    expect(create("", "Secret", { metadata: md("s"), type: "kubernetes.io/tls", data: { "tls.crt": "" } })).toEqual(["data[tls.key]: Required value"]);
    expect(update("", "Secret", { metadata: md("s"), type: "kubernetes.io/basic-auth", data: { username: "" } }, { metadata: md("s"), data: {} })).toEqual([
      `type: Invalid value: "kubernetes.io/basic-auth": field is immutable`,
    ]);
    expect(create("", "Namespace", { metadata: { name: "n" }, spec: { finalizers: ["custom"] } }, false)).toEqual([
      `spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified`,
    ]);
  });
  test("rbac", () => {
    expect(create("rbac.authorization.k8s.io", "Role", { metadata: md("r"), rules: [{ apiGroups: [""], resources: ["pods"] }] })).toEqual([
      "rules[0].verbs: Required value: verbs must contain at least one value",
    ]);
    expect(create("rbac.authorization.k8s.io", "Role", { metadata: md("r"), rules: [{ verbs: ["get"], nonResourceURLs: ["/x"] }] })).toEqual([
      `rules[0].nonResourceURLs: Invalid value: []string{"/x"}: namespaced rules cannot apply to non-resource URLs`,
    ]);
    expect(create("rbac.authorization.k8s.io", "ClusterRole", { metadata: { name: "agg" }, aggregationRule: { clusterRoleSelectors: [] } }, false)).toEqual([
      "aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil",
    ]);
    const rb = (roleRef: any, subjects: any[] = [{ kind: "User", name: "u" }]) => ({ metadata: md("rb"), roleRef, subjects });
    expect(create("rbac.authorization.k8s.io", "RoleBinding", rb({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r" }))).toEqual([]);
    expect(create("rbac.authorization.k8s.io", "RoleBinding", rb({ apiGroup: "rbac.authorization.k8s.io", kind: "Pod", name: "r" }))).toEqual([
      `roleRef.kind: Unsupported value: "Pod": supported values: "Role", "ClusterRole"`,
    ]);
    expect(create("rbac.authorization.k8s.io", "ClusterRoleBinding", { ...rb({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "r" }, [{ kind: "ServiceAccount", name: "sa" }]), metadata: { name: "x" } }, false)).toEqual([
      "subjects[0].namespace: Required value",
    ]);
    const old = rb({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r" });
    expect(update("rbac.authorization.k8s.io", "RoleBinding", rb({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r2" }), old)).toEqual([
      `roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"r2"}: cannot change roleRef`,
    ]);
  });
  test("networking, policy, autoscaling, scheduling, storage, coordination", () => {
    expect(create("networking.k8s.io", "Ingress", { metadata: md("i"), spec: {} })).toEqual(["spec.rules: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"]);
    const ingPath = (path: string, pathType?: string, backend: any = { service: { name: "svc", port: { number: 80 } } }) => ({ metadata: md("i"), spec: { rules: [{ host: "*.example.com", http: { paths: [{ path, pathType, backend }] } }] } });
    expect(create("networking.k8s.io", "Ingress", ingPath("/a//b", "Prefix"))).toEqual([`spec.rules[0].http.paths[0].path: Invalid value: "/a//b": must not contain '//'`]);
    expect(create("networking.k8s.io", "Ingress", ingPath("/a/..", "Exact"))).toEqual([`spec.rules[0].http.paths[0].path: Invalid value: "/a/..": cannot end with '/..'`]);
    expect(create("networking.k8s.io", "Ingress", ingPath("", "ImplementationSpecific"))).toEqual([]);
    expect(create("networking.k8s.io", "Ingress", ingPath("/", "Prefix", { service: { name: "1svc", port: {} } }))).toEqual([
      `spec.rules[0].http.paths[0].backend.service.name: Invalid value: "1svc": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
      "spec.rules[0].http.paths[0].backend: Required value: port name or number is required",
    ]);
    expect(create("networking.k8s.io", "Ingress", { metadata: md("i"), spec: { rules: [{ host: "a.*.com" }] } })[0]).toStartWith(
      `spec.rules[0].host: Invalid value: "a.*.com": a wildcard DNS-1123 subdomain must start with '*.'`,
    );
    const ing = { metadata: md("i"), spec: { rules: [{ host: "1.2.3.4", http: { paths: [{ path: "x", backend: { service: { name: "s", port: { number: 80 } } } }] } }] } };
    expect(create("networking.k8s.io", "Ingress", ing)).toEqual([
      `spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address`,
      // Without a pathType upstream stops before looking at the path.
      "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified",
    ]);
    expect(create("networking.k8s.io", "NetworkPolicy", { metadata: md("n"), spec: { podSelector: {}, policyTypes: ["Sideways"] } })).toEqual([
      `spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Egress", "Ingress"`,
    ]);
    expect(create("policy", "PodDisruptionBudget", { metadata: md("p"), spec: { minAvailable: 1, maxUnavailable: 1 } })[0]).toStartWith("spec: Invalid value: ");
    expect(create("policy", "PodDisruptionBudget", { metadata: md("p"), spec: { minAvailable: "150%" } })).toEqual([`spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%`]);
    expect(create("networking.k8s.io", "NetworkPolicy", { metadata: md("n"), spec: { podSelector: {}, ingress: [{ from: [{}, { ipBlock: { cidr: "10.0.0.0/33" }, podSelector: {} }], ports: [{ port: "http", endPort: 90 }] }] } })).toEqual([
      `spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when \`port\` is non-numeric`,
      "spec.ingress[0].from[0]: Required value: must specify a peer",
      `spec.ingress[0].from[1].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
      "spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer",
    ]);
    const hpa = (spec: any) => ({ metadata: md("h"), spec: { scaleTargetRef: { kind: "Deployment", name: "d", apiVersion: "apps/v1" }, maxReplicas: 3, ...spec } });
    expect(create("autoscaling", "HorizontalPodAutoscaler", hpa({}))).toEqual([]);
    expect(create("autoscaling", "HorizontalPodAutoscaler", hpa({ minReplicas: 5 }))).toEqual(["spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`"]);
    expect(create("autoscaling", "HorizontalPodAutoscaler", hpa({ minReplicas: 0 }))).toEqual(["spec.minReplicas: Invalid value: 0: must be greater than or equal to 1"]);
    expect(create("scheduling.k8s.io", "PriorityClass", { metadata: { name: "system-x" }, value: 1 }, false)).toEqual([
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-x is not a known system priority class",
    ]);
    expect(create("scheduling.k8s.io", "PriorityClass", { metadata: { name: "system-node-critical" }, value: 2000001000 }, false)).toEqual([]);
    expect(create("scheduling.k8s.io", "PriorityClass", { metadata: { name: "hi" }, value: 2000000000 }, false)).toEqual(["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"]);
    expect(update("scheduling.k8s.io", "PriorityClass", { metadata: { name: "hi" }, value: 2 }, { metadata: { name: "hi" }, value: 1 }, false)).toEqual(["value: Forbidden: may not be changed in an update."]);
    expect(create("storage.k8s.io", "StorageClass", { metadata: { name: "s" } }, false)).toEqual(["provisioner: Required value"]);
    expect(update("storage.k8s.io", "StorageClass", { metadata: { name: "s" }, provisioner: "b.io/x" }, { metadata: { name: "s" }, provisioner: "a.io/x" }, false)).toEqual(["provisioner: Forbidden: updates to provisioner are forbidden."]);
    expect(create("coordination.k8s.io", "Lease", { metadata: md("l"), spec: { leaseDurationSeconds: 0 } })).toEqual(["spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"]);
  });
  test("volumes, claims and events", () => {
    expect(create("", "PersistentVolumeClaim", { metadata: md("c"), spec: {} })).toEqual([
      "spec.accessModes: Required value: at least 1 access mode is required",
      "spec.resources[storage]: Required value",
    ]);
    const pvc = { metadata: md("c"), spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, storageClassName: "a" } };
    expect(create("", "PersistentVolumeClaim", pvc)).toEqual([]);
    const changed = update("", "PersistentVolumeClaim", { ...pvc, spec: { ...pvc.spec, storageClassName: "b" } }, pvc);
    expect(changed[0]).toStartWith("spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n");
    expect(update("", "PersistentVolumeClaim", { ...pvc, spec: { ...pvc.spec, volumeName: "pv1" } }, pvc)).toEqual([]);
    expect(create("", "PersistentVolume", { metadata: { name: "pv" }, spec: {} }, false)).toEqual([
      "spec.accessModes: Required value",
      "spec.capacity: Required value",
      "spec: Required value: must specify a volume type",
    ]);
    expect(create("", "Event", { metadata: md("e"), involvedObject: { kind: "Pod", name: "p", namespace: "other" } })).toEqual([
      `involvedObject.namespace: Invalid value: "other": does not match event.namespace`,
    ]);
    expect(create("", "Event", { metadata: { name: "n.1", namespace: "default" }, involvedObject: { kind: "Node", name: "n" }, reason: "Starting" })).toEqual([]);
    expect(create("", "Event", { metadata: { name: "n.1", namespace: "other" }, involvedObject: { kind: "Node", name: "n" } })).toEqual([
      `involvedObject.namespace: Invalid value: "": does not match event.namespace`,
    ]);
    expect(create("events.k8s.io", "Event", { metadata: md("e"), type: "Normal", regarding: { kind: "Pod", name: "p", namespace: "default" } })).toEqual([
      "eventTime: Required value",
    ]);
    const ev = { metadata: md("e"), eventTime: "2024-01-01T00:00:00.000000Z", type: "Normal", reason: "Pulled", action: "Pull", reportingController: "kubelet", reportingInstance: "n1", regarding: { kind: "Pod", name: "p", namespace: "default" }, note: "x" };
    expect(create("events.k8s.io", "Event", ev)).toEqual([]);
    // The same event in the shared core-shaped storage form validates the same way.
    const { regarding, note, reportingController, ...rest } = ev;
    expect(create("events.k8s.io", "Event", { ...rest, involvedObject: regarding, message: note, reportingComponent: reportingController })).toEqual([]);
    expect(create("", "Event", { ...rest, involvedObject: regarding, message: note, reportingComponent: reportingController })).toEqual([]);
    expect(create("events.k8s.io", "Event", { ...ev, reportingController: "" })).toEqual([
      "reportingController: Required value",
      `reportingController: Invalid value: "": name part must be non-empty`,
      `reportingController: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ]);
    expect(create("events.k8s.io", "Event", { ...ev, type: "Info", deprecatedCount: 3 })).toEqual(["type: Invalid value: \"\": has invalid value: Info", `count: Invalid value: "": needs to be unset`]);
    expect(update("events.k8s.io", "Event", { ...ev, reason: "Other" }, ev)).toEqual([`reason: Invalid value: "Other": field is immutable`]);
  });
  test("keys that shadow Object.prototype are plain data", () => {
    expect(create("", "Secret", { metadata: md("s"), type: "constructor", data: { constructor: "" } })).toEqual([]);
    expect(create("", "ConfigMap", { metadata: md("c"), data: { toString: "x" }, binaryData: {} })).toEqual([]);
    expect(create("", "Pod", pod({ containers: [{ name: "c", image: "a", resources: { requests: { constructor: "1" } } }] }))).toEqual([
      `spec.containers[0].resources.requests[constructor]: Invalid value: "constructor": must be a standard resource for containers`,
    ]);
  });
  test("unknown kinds get metadata validation only", () => {
    expect(create("example.com", "Widget", { metadata: md("w"), spec: { anything: true } })).toEqual([]);
    expect(create("example.com", "Widget", { metadata: md("W") })[0]).toStartWith(`metadata.name: Invalid value: "W"`);
  });
});
