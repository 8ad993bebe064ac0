// Seeded random requests: malformed paths, methods, media types and bodies must never give a 5xx,
// and a rejected request must never change what is stored.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { makeHarness, type Harness } from "./testing/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await makeHarness({}, { storage: "memory" });
  await h.call("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" }, data: { a: "1" } });
  await h.call("POST", "/apis/apps/v1/namespaces/default/deployments", {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "d" },
    spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "x" }] } } },
  });
});
afterAll(async () => {
  await h.close();
});

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

const PATHS = [
  "/api/v1/namespaces/default/configmaps",
  "/api/v1/namespaces/default/configmaps/cm",
  "/api/v1/namespaces/default/configmaps/cm/status",
  "/apis/apps/v1/namespaces/default/deployments/d",
  "/apis/apps/v1/namespaces/default/deployments/d/scale",
  "/apis/apps/v1/namespaces/default/deployments/d/status",
  "/api/v1/namespaces/default/pods/nope/binding",
  "/api/v1/namespaces/default/pods/nope/eviction",
  "/api/v1/namespaces",
  "/api/v1/namespaces/default",
  "/api/v1/namespaces/default/finalize",
  "/api/v1/nodes/n1",
  "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
  "/apis/nope/v1/things",
  "/api/v1/namespaces/%2F/configmaps",
];
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const TYPES = [
  "application/json",
  "application/yaml",
  "application/merge-patch+json",
  "application/json-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
  "application/vnd.kubernetes.protobuf",
  "text/plain",
  "",
];
const QUERIES = ["", "?dryRun=All", "?fieldValidation=Strict", "?watch=true&timeoutSeconds=1&resourceVersion=999999999", "?limit=-1", "?continue=%%%", "?labelSelector=a%20in%20(", "?fieldSelector=x%3D%3D%3D", "?resourceVersion=abc", "?force=true&fieldManager=f", "?gracePeriodSeconds=x"];

function randomValue(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 4 ? 4 : 8));
  switch (k) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return Math.floor(r() * 2000) - 1000;
    case 3:
      return ["", "x", "a/b", "..", "\u0000", "Bad_Name", "10.43.0.1"][Math.floor(r() * 7)];
    case 4:
    case 5:
      return Array.from({ length: Math.floor(r() * 3) }, () => randomValue(r, depth + 1));
    default: {
      const keys = ["apiVersion", "kind", "metadata", "name", "spec", "status", "data", "op", "path", "value", "replicas", "finalizers", "$patch", "items"];
      const o: Record<string, unknown> = {};
      for (let i = 0; i < Math.floor(r() * 4); i++) o[keys[Math.floor(r() * keys.length)]!] = randomValue(r, depth + 1);
      return o;
    }
  }
}

function randomBody(r: () => number): string | Uint8Array | undefined {
  const k = Math.floor(r() * 6);
  if (k === 0) return undefined;
  if (k === 1) return new Uint8Array(Array.from({ length: Math.floor(r() * 40) }, () => Math.floor(r() * 256)));
  if (k === 2) return JSON.stringify(randomValue(r, 0)).slice(0, Math.floor(r() * 200));
  const v = randomValue(r, 0);
  if (v && typeof v === "object" && !Array.isArray(v) && r() < 0.5) Object.assign(v, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" } });
  return JSON.stringify(v);
}

test("500 seeded random requests: no 5xx, failures change nothing", async () => {
  const r = rng(20260101);
  let failures = 0;
  for (let i = 0; i < 500; i++) {
    const method = METHODS[Math.floor(r() * METHODS.length)]!;
    const path = PATHS[Math.floor(r() * PATHS.length)]! + QUERIES[Math.floor(r() * QUERIES.length)]!;
    const type = TYPES[Math.floor(r() * TYPES.length)]!;
    const body = method === "GET" || method === "OPTIONS" ? undefined : randomBody(r);
    const before = await h.snapshot();
    const res = await h.call(method, path, body, type ? { "content-type": type } : {});
    // 504 is the defined answer for a resourceVersion from the future.
    if (res.status >= 500 && res.status !== 504) throw new Error(`#${i} ${method} ${path} (${type}) ${String(body).slice(0, 80)} → ${res.status} ${res.text.slice(0, 300)}`);
    if (res.status >= 400) {
      failures++;
      expect(res.body?.kind).toBe("Status");
      expect(await h.snapshot()).toBe(before);
    }
  }
  expect(failures).toBeGreaterThan(100);
}, 60_000);
