// Load generator run inside a node's network namespace: drives the API over HTTPS with the
// admin client certificate and prints one JSON object of latencies (ms) per scenario.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

const [kubeconfigPath, scale] = [process.argv[2], Number(process.argv[3] ?? 1)];
const kc = parse(readFileSync(kubeconfigPath, "utf8"));
const b64 = (s: string) => Buffer.from(s, "base64").toString();
const server: string = kc.clusters[0].cluster.server;
const tls = {
  ca: b64(kc.clusters[0].cluster["certificate-authority-data"]),
  cert: b64(kc.users[0].user["client-certificate-data"]),
  key: b64(kc.users[0].user["client-key-data"]),
};

async function call(method: string, path: string, body?: unknown, contentType = "application/json") {
  const r = await fetch(server + path, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? {} : { "content-type": contentType },
    tls,
  } as any);
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text.slice(0, 200)}`);
  return text;
}

/** Closed loop: `conc` workers issue `total` requests back to back. */
async function closed(total: number, conc: number, fn: (i: number) => Promise<unknown>) {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (next < total) {
        const i = next++;
        const s = performance.now();
        await fn(i);
        lat.push(performance.now() - s);
      }
    }),
  );
  return { lat, rps: total / ((performance.now() - t0) / 1000) };
}

/** Open loop at a fixed rate: latency as the SLO sees it (no coordinated omission). */
async function openLoop(rate: number, seconds: number, fn: (i: number) => Promise<unknown>) {
  const lat: number[] = [];
  const n = rate * seconds;
  const t0 = performance.now();
  const all: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await Bun.sleep(wait);
    // Late sends count their queueing delay (no coordinated omission); early ones count from the send.
    const from = Math.max(due, performance.now());
    all.push(fn(i).then(() => void lat.push(performance.now() - from)));
  }
  await Promise.all(all);
  return { lat, rps: n / ((performance.now() - t0) / 1000) };
}

const pod = (name: string) => ({
  apiVersion: "v1", kind: "Pod", metadata: { name, labels: { app: "bench" } },
  spec: { containers: [{ name: "c", image: "busybox", command: ["sleep", "3600"] }] },
});
const out: Record<string, { lat: number[]; rps: number }> = {};
await call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "bench" } }).catch(() => {});
await closed(Math.round(1000 * scale), 16, (i) => call("POST", "/api/v1/namespaces/bench/pods", pod(`p-${i}`)));
out["GET one pod"] = await closed(Math.round(2000 * scale), 16, () => call("GET", "/api/v1/namespaces/bench/pods/p-1"));
out["LIST 1000 pods"] = await closed(Math.max(5, Math.round(40 * scale)), 4, () => call("GET", "/api/v1/namespaces/bench/pods"));
for (const c of [1, 16, 64]) {
  out[`CREATE configmap c=${c}`] = await closed(Math.round(600 * scale), c, (i) =>
    call("POST", "/api/v1/namespaces/bench/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cm-${c}-${i}` }, data: { v: String(i) } }),
  );
  out[`PATCH configmap c=${c}`] = await closed(Math.round(600 * scale), c, (i) =>
    call("PATCH", `/api/v1/namespaces/bench/configmaps/cm-${c}-${i % 50}`, { data: { v: `p${i}` } }, "application/merge-patch+json"),
  );
}
out["GET one pod @500/s"] = await openLoop(500, Math.max(1, Math.round(4 * scale)), () => call("GET", "/api/v1/namespaces/bench/pods/p-2"));
out["CREATE configmap @500/s"] = await openLoop(500, Math.max(1, Math.round(4 * scale)), (i) =>
  call("POST", "/api/v1/namespaces/bench/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `open-${i}` } }),
);
// create → watch event latency
const watchLat: number[] = [];
for (let i = 0; i < Math.max(5, Math.round(30 * scale)); i++) {
  const rv = JSON.parse(await call("GET", "/api/v1/namespaces/bench/configmaps?limit=1")).metadata.resourceVersion;
  const ac = new AbortController();
  const r = await fetch(`${server}/api/v1/namespaces/bench/configmaps?watch=true&resourceVersion=${rv}&fieldSelector=metadata.name%3Dw-${i}`, { tls, signal: ac.signal } as any);
  const reader = r.body!.getReader();
  const s = performance.now();
  await call("POST", "/api/v1/namespaces/bench/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `w-${i}` } });
  let buf = "";
  while (!buf.includes(`"w-${i}"`)) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += new TextDecoder().decode(value);
  }
  watchLat.push(performance.now() - s);
  ac.abort();
}
out["create→watch event"] = { lat: watchLat, rps: 0 };
console.log(JSON.stringify(out));
