// Pod start latency through the whole node (API → kubelet → runtime → status), observed via a watch
// like a user would: one pod at a time and a burst of 100; kubun's resident memory idle and with 100 pods.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { Benchmark } from "./lib.ts";
import { percentile } from "./lib.ts";
import { startNode } from "../test/harness/node.ts";
import { buildBusyboxImage } from "../test/fixtures/busybox-image.ts";

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;

const bench: Benchmark = {
  name: "pods",
  description: "POST pod → Running seen on a watch (single and burst of 100), kubun RSS with 0 and 100 running pods",
  async run(ctx) {
    const node = await startNode({
      async prepare(dataDir) {
        const dir = join(dataDir, "agent", "images");
        mkdirSync(dir, { recursive: true });
        await buildBusyboxImage({ dir, format: "oci", name: "docker.io/library/busybox:test" });
      },
    });
    ctx.defer(() => node.stop());
    const kc = parse(readFileSync(node.hostKubeconfig, "utf8"));
    const user = kc.users[0].user;
    const tls = { cert: Buffer.from(user["client-certificate-data"], "base64").toString(), key: Buffer.from(user["client-key-data"], "base64").toString(), rejectUnauthorized: false };
    const base = `https://127.0.0.1:${node.hostPort}/api/v1/namespaces/default/pods`;
    const api = (path: string, init: RequestInit = {}) => fetch(base + path, { ...init, tls, headers: { "Content-Type": "application/json" } } as RequestInit);

    // one watch for every pod: record the first time each is Running
    const running = new Map<string, number>();
    const waiters = new Map<string, () => void>();
    const ac = new AbortController();
    ctx.defer(() => ac.abort());
    const w = await api(`?watch=1&fieldSelector=spec.nodeName%3Dnode-${node.id}`, { signal: ac.signal });
    (async () => {
      const dec = new TextDecoder();
      let buf = "";
      try {
        for await (const chunk of w.body as ReadableStream<Uint8Array>) {
          buf += dec.decode(chunk, { stream: true });
          let nl;
          while ((nl = buf.indexOf("\n")) >= 0) {
            const ev = JSON.parse(buf.slice(0, nl));
            buf = buf.slice(nl + 1);
            const p = ev.object;
            if (p?.status?.phase === "Running" && !running.has(p.metadata.name)) {
              running.set(p.metadata.name, performance.now());
              waiters.get(p.metadata.name)?.();
            }
          }
        }
      } catch {}
    })();
    const pod = (name: string) => JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { nodeName: `node-${node.id}`, terminationGracePeriodSeconds: 0, containers: [{ name: "c", image: "busybox:test", command: ["sleep", "3600"] }] } });
    const startPod = async (name: string): Promise<number> => {
      const seen = new Promise<void>((ok) => waiters.set(name, ok));
      const t0 = performance.now();
      const r = await api("", { method: "POST", body: pod(name) });
      if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${await r.text()}`);
      await Promise.race([seen, Bun.sleep(60_000).then(() => { throw new Error(`${name} not Running after 60 s\n${node.logs().split("\n").slice(-30).join("\n")}`); })]);
      return running.get(name)! - t0;
    };

    await Bun.sleep(2000); // let start-up work settle before measuring idle memory
    ctx.record("rss idle (0 pods)", "kubun", "MiB", rssMiB(node.pid()));
    const single: number[] = [];
    for (let i = 0; i < Math.max(5, ctx.runs); i++) single.push(await startPod(`single-${i}`));
    ctx.record("single pod POST→Running p50", "kubun", "ms", percentile(single, 50));
    for (let i = 0; i < single.length; i++) await api(`/single-${i}?gracePeriodSeconds=0`, { method: "DELETE" });

    const t0 = performance.now();
    const burst = await Promise.all(Array.from({ length: 100 }, (_, i) => startPod(`burst-${i}`)));
    ctx.record("burst of 100: all Running", "kubun", "ms", performance.now() - t0);
    ctx.record("burst of 100 POST→Running p50", "kubun", "ms", percentile(burst, 50));
    ctx.record("burst of 100 POST→Running p99", "kubun", "ms", percentile(burst, 99));
    // Running must mean running: every burst pod reports a started container, and its process exists
    const list = (await (await api("")).json()) as { items: any[] };
    const started = list.items.filter((p) => p.metadata.name.startsWith("burst-") && p.status?.containerStatuses?.[0]?.state?.running && p.status.containerStatuses[0].containerID);
    const sleeping = node.cgroup.pids().filter((pid) => { try { return readFileSync(`/proc/${pid}/cmdline`, "utf8") === "sleep\x003600\x00"; } catch { return false; } });
    if (started.length !== 100 || sleeping.length < 100) throw new Error(`burst: ${started.length} pods report a running container, ${sleeping.length} container processes found`);
    await Bun.sleep(2000);
    ctx.record("rss with 100 running pods", "kubun", "MiB", rssMiB(node.pid()));
    ctx.log(`single: ${single.map((x) => x.toFixed(0)).join(" ")} ms`);
  },
};
export default bench;
