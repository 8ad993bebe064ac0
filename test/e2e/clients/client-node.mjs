// Runs under Node.js (where @kubernetes/client-node users run it); driven by clients.test.ts
// over stdin/stdout: prints "STEP <name> <json>" lines and waits for "go" lines.
import * as k8s from "@kubernetes/client-node";
import { createInterface } from "node:readline";

const kc = new k8s.KubeConfig();
kc.loadFromFile(process.argv[2]);
const core = kc.makeApiClient(k8s.CoreV1Api);
const apps = kc.makeApiClient(k8s.AppsV1Api);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const say = (step, data) => console.log(`STEP ${step} ${JSON.stringify(data ?? null)}`);
const waitGo = async () => (await lines.next()).value;
const until = async (fn, ms) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (fn()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
};
const errOf = async (p) => {
  try {
    await p;
    return null;
  } catch (e) {
    return { code: e.code, reason: e.body ? JSON.parse(e.body).reason : undefined };
  }
};

// Typed CRUD
const created = await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "cn-1", labels: { via: "client-node" } }, data: { a: "1" } } });
const got = await core.readNamespacedConfigMap({ name: "cn-1", namespace: "default" });
const oldRV = got.metadata.resourceVersion;
got.data = { a: "2" };
const replaced = await core.replaceNamespacedConfigMap({ name: "cn-1", namespace: "default", body: got });
const list = await core.listNamespacedConfigMap({ namespace: "default", labelSelector: "via=client-node" });
const stale = await errOf(core.replaceNamespacedConfigMap({ name: "cn-1", namespace: "default", body: got }));
await core.deleteNamespacedConfigMap({ name: "cn-1", namespace: "default" });
const gone = await errOf(core.readNamespacedConfigMap({ name: "cn-1", namespace: "default" }));
const d = await apps.createNamespacedDeployment({
  namespace: "default",
  body: { metadata: { name: "cn-d" }, spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "busybox" }] } } } },
});
say("crud", {
  uid: created.metadata.uid, data: replaced.data, rvGrew: Number(replaced.metadata.resourceVersion) > Number(oldRV),
  listed: list.items.map((i) => i.metadata.name), stale, gone, replicas: d.spec.replicas, strategy: d.spec.strategy.type,
});

// Informer with add/update/delete that survives an outage with compaction (410 → relist)
await core.createNamespace({ body: { metadata: { name: "inf" } } });
const seen = [];
let stopped = false;
const informer = k8s.makeInformer(kc, "/api/v1/namespaces/inf/configmaps", () => core.listNamespacedConfigMap({ namespace: "inf" }));
informer.on("add", (o) => seen.push(`add:${o.metadata.name}`));
informer.on("update", (o) => seen.push(`update:${o.metadata.name}:${o.data?.v}`));
informer.on("delete", (o) => seen.push(`delete:${o.metadata.name}`));
informer.on("error", () => {
  if (!stopped) setTimeout(() => !stopped && informer.start().catch(() => {}), 300);
});
await informer.start();
await core.createNamespacedConfigMap({ namespace: "inf", body: { metadata: { name: "x" }, data: { v: "1" } } });
const added = await until(() => seen.includes("add:x"), 10_000);
await core.patchNamespacedConfigMap({ name: "x", namespace: "inf", body: { data: { v: "2" } } }, k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch));
const updated = await until(() => seen.includes("update:x:2"), 10_000);
say("informer-live", { added, updated });
await waitGo(); // the test cuts the network, churns and compacts, then restores it
const relisted = await until(() => seen.includes("delete:x") && seen.includes("add:churn-29"), 30_000);
const cached = informer.list().map((o) => o.metadata.name);
stopped = true;
await informer.stop();
say("informer-relist", { relisted, hasX: cached.includes("x"), churnCount: cached.filter((n) => n.startsWith("churn-")).length, seen: seen.slice(-5) });
process.exit(0);
