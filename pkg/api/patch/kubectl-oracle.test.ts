// Oracle: kubectl's `patch --local` runs upstream's own patch libraries (strategicpatch with the
// compiled-in types, evanphx json-patch v4) on a file. Our results must match it exactly.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StatusError } from "../errors.ts";
import { builtinSchemas } from "../schema/index.ts";
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from "./index.ts";

const KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33";
const dir = mkdtempSync(join(tmpdir(), "kubun-patch-oracle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const schemas = builtinSchemas();

type Kind = "strategic" | "merge" | "json";
let n = 0;

/** kubectl's result: the patched object, or the error text it printed. */
async function kubectl(doc: object, patch: unknown, type: Kind): Promise<{ out?: unknown; error?: string }> {
  const file = join(dir, `doc${n++}.json`);
  writeFileSync(file, JSON.stringify(doc));
  const p = Bun.spawn([KUBECTL, "patch", "--local", "-f", file, "--type", type, "-p", JSON.stringify(patch), "-o", "json"], {
    env: { HOME: dir, PATH: "/usr/bin:/bin", KUBECONFIG: join(dir, "none") },
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => p.kill(), 20_000);
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  clearTimeout(timer);
  if (code === 0) return { out: JSON.parse(stdout) };
  const error = stderr.trim().replace(/^error: /, "");
  // kubectl rewrites the library's "doc is missing key" (only replace says it) on the client side
  const missing = /^Object to be patched is missing field \((.*)\)$/.exec(error);
  return { error: missing ? `replace operation does not apply: doc is missing key: ${missing[1]}` : error };
}

function ours(doc: object, patch: unknown, type: Kind, typeName: string): { out?: unknown; error?: string } {
  try {
    if (type === "strategic") return { out: applyStrategicMergePatch(doc, patch, schemas, typeName) };
    if (type === "merge") return { out: applyMergePatch(doc, patch) };
    return { out: applyJsonPatch(doc, patch) };
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    return { error: e.code === 422 ? e.status.details?.causes?.[0]?.message : e.status.message };
  }
}

const pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", labels: { a: "1", b: "2" }, finalizers: ["x", "y"], ownerReferences: [{ apiVersion: "v1", kind: "X", name: "o", uid: "u1" }] },
  spec: {
    containers: [
      { name: "a", image: "a:1", ports: [{ containerPort: 80, protocol: "TCP" }], env: [{ name: "E1", value: "1" }, { name: "E2", value: "2" }] },
      { name: "b", image: "b:1", args: ["--x"], volumeMounts: [{ name: "v", mountPath: "/v" }] },
      { name: "c", image: "c:1" },
    ],
    volumes: [{ name: "v", emptyDir: {} }],
    tolerations: [{ key: "k", operator: "Exists" }],
    nodeSelector: { disk: "ssd" },
  },
};
const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}" } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "web" } },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 1 } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx:1" }, { name: "side", image: "busybox" }] } },
  },
};
const service = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "s" },
  spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }, { name: "https", port: 443, protocol: "TCP" }] },
};

const POD = "io.k8s.api.core.v1.Pod";
const DEP = "io.k8s.api.apps.v1.Deployment";
const SVC = "io.k8s.api.core.v1.Service";

const cases: Array<[string, object, unknown, Kind, string]> = [
  ["set image", pod, { spec: { containers: [{ name: "b", image: "b:2" }] } }, "strategic", POD],
  ["add container and env", pod, { spec: { containers: [{ name: "a", env: [{ name: "E3", value: "3" }] }, { name: "d", image: "d" }] } }, "strategic", POD],
  ["delete container", pod, { spec: { containers: [{ name: "b", $patch: "delete" }] } }, "strategic", POD],
  ["replace containers", pod, { spec: { containers: [{ name: "z", image: "z" }, { $patch: "replace" }] } }, "strategic", POD],
  ["replace labels map", pod, { metadata: { labels: { $patch: "replace", c: "3" } } }, "strategic", POD],
  ["delete labels map", pod, { metadata: { labels: { $patch: "delete" } } }, "strategic", POD],
  ["null deletes", pod, { metadata: { labels: { a: null, q: null } }, spec: { nodeSelector: null } }, "strategic", POD],
  ["finalizers union", pod, { metadata: { finalizers: ["z", "x"] } }, "strategic", POD],
  ["deleteFromPrimitiveList", pod, { metadata: { "$deleteFromPrimitiveList/finalizers": ["x"] } }, "strategic", POD],
  [
    "setElementOrder reorders containers",
    pod,
    { spec: { "$setElementOrder/containers": [{ name: "c" }, { name: "a" }, { name: "b" }], containers: [{ name: "a", image: "a:2" }] } },
    "strategic",
    POD,
  ],
  [
    "setElementOrder with deletion and addition",
    pod,
    { spec: { "$setElementOrder/containers": [{ name: "a" }, { name: "n" }, { name: "c" }], containers: [{ name: "n", image: "n" }, { name: "b", $patch: "delete" }] } },
    "strategic",
    POD,
  ],
  ["setElementOrder finalizers", pod, { metadata: { "$setElementOrder/finalizers": ["y", "w", "x"], finalizers: ["w"] } }, "strategic", POD],
  ["ports merge by containerPort", pod, { spec: { containers: [{ name: "a", ports: [{ containerPort: 80, name: "http" }, { containerPort: 81 }] }] } }, "strategic", POD],
  ["volume source swap with retainKeys", pod, { spec: { volumes: [{ name: "v", $retainKeys: ["configMap", "name"], configMap: { name: "cm" } }] } }, "strategic", POD],
  ["atomic lists replace", pod, { spec: { tolerations: [{ key: "j", operator: "Exists" }], containers: [{ name: "b", args: ["--y"] }] } }, "strategic", POD],
  ["ownerReferences merge by uid", pod, { metadata: { ownerReferences: [{ apiVersion: "v1", kind: "Y", name: "o2", uid: "u2" }] } }, "strategic", POD],
  ["strategy retainKeys", deployment, { spec: { strategy: { $retainKeys: ["type"], type: "Recreate", rollingUpdate: null } } }, "strategic", DEP],
  ["rollout restart", deployment, { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "2024-01-01T00:00:00Z" } } } } }, "strategic", DEP],
  [
    "client-side apply patch",
    deployment,
    {
      metadata: { annotations: { "kubectl.kubernetes.io/last-applied-configuration": '{"a":1}' } },
      spec: { replicas: 3, template: { spec: { "$setElementOrder/containers": [{ name: "nginx" }], containers: [{ name: "nginx", image: "nginx:2" }, { $patch: "delete", name: "side" }] } } },
    },
    "strategic",
    DEP,
  ],
  ["service ports by port", service, { spec: { ports: [{ port: 443, targetPort: 8443 }, { port: 8080, name: "alt" }], selector: { tier: "fe" } } }, "strategic", SVC],
  ["unknown directive", pod, { metadata: { $patch: "frob" } }, "strategic", POD],
  ["missing merge key", pod, { spec: { containers: [{ image: "x" }] } }, "strategic", POD],
  ["bad retainKeys", pod, { spec: { volumes: [{ name: "v", $retainKeys: ["name"], hostPath: { path: "/x" } }] } }, "strategic", POD],
  ["merge patch labels", pod, { metadata: { labels: { a: null, c: "3" } }, spec: { containers: [{ name: "only" }] } }, "merge", POD],
  [
    "json patch ops",
    pod,
    [
      { op: "add", path: "/metadata/labels/new", value: "v" },
      { op: "remove", path: "/spec/containers/1" },
      { op: "replace", path: "/spec/containers/0/image", value: "a:9" },
      { op: "move", from: "/metadata/labels/a", path: "/metadata/labels/moved" },
      { op: "copy", from: "/spec/nodeSelector", path: "/metadata/annotations" },
      { op: "add", path: "/metadata/finalizers/-", value: "z" },
      { op: "test", path: "/metadata/name", value: "p" },
    ],
    "json",
    POD,
  ],
  ["json patch failing test", pod, [{ op: "test", path: "/metadata/name", value: "q" }], "json", POD],
  ["json patch remove missing", pod, [{ op: "remove", path: "/metadata/nope" }], "json", POD],
  ["json patch bad index", pod, [{ op: "add", path: "/spec/containers/9", value: { name: "x" } }], "json", POD],
  ["setElementOrder without an original list", { ...pod, spec: { containers: [{ name: "a", image: "a" }] } }, { spec: { "$setElementOrder/volumes": [{ name: "n" }], volumes: [{ name: "n", emptyDir: {} }] } }, "strategic", POD],
  ["nested setElementOrder for env", pod, { spec: { containers: [{ name: "a", "$setElementOrder/env": [{ name: "E2" }, { name: "E1" }] }] } }, "strategic", POD],
  ["deleteFromPrimitiveList on a missing list", { ...pod, metadata: { name: "p" } }, { metadata: { "$deleteFromPrimitiveList/finalizers": ["x"] } }, "strategic", POD],
  ["type change map to scalar", pod, { spec: { nodeSelector: "x" } }, "strategic", POD],
  ["new map with nulls", { ...pod, metadata: { name: "p" } }, { metadata: { annotations: { a: "1", b: null } } }, "strategic", POD],
  ["ports with the same containerPort and two protocols", pod, { spec: { containers: [{ name: "a", ports: [{ containerPort: 80, protocol: "UDP", name: "u" }] }] } }, "strategic", POD],
  ["delete directive for a missing element", pod, { spec: { containers: [{ name: "zz", $patch: "delete" }] } }, "strategic", POD],
  ["duplicate finalizers dedupe", pod, { metadata: { finalizers: ["y", "y", "q"] } }, "strategic", POD],
  ["new primitive list is stored as sent", { ...pod, metadata: { name: "p" } }, { metadata: { finalizers: ["b", "a", "a"] } }, "strategic", POD],
  ["json patch replace of a missing key adds it (v4)", pod, [{ op: "replace", path: "/metadata/nope", value: "q" }], "json", POD],
  ["json patch negative index", pod, [{ op: "remove", path: "/spec/containers/-1" }], "json", POD],
  ["json patch test null on a missing key", pod, [{ op: "test", path: "/metadata/nope", value: null }], "json", POD],
  ["json patch copy from a missing path", pod, [{ op: "copy", from: "/nope/x", path: "/metadata/x" }], "json", POD],
  ["json patch move into a new key", pod, [{ op: "move", from: "/spec/nodeSelector", path: "/metadata/labels/moved" }], "json", POD],
  ["json patch replace with '-'", pod, [{ op: "replace", path: "/spec/containers/-", value: { name: "x" } }], "json", POD],
  ["merge patch replaces lists and nested nulls", pod, { spec: { containers: [{ name: "n", image: null }], nodeSelector: { disk: null, zone: "a" } } }, "merge", POD],
];

describe("patches agree with kubectl patch --local", () => {
  for (const [name, doc, patch, type, typeName] of cases) {
    test(name, async () => {
      const want = await kubectl(doc, patch, type);
      const got = ours(doc, patch, type, typeName);
      expect(got).toEqual(want);
    }, 30_000);
  }
});
