// `bun run bench api`: request throughput and latency of the API server on a sandboxed node.
import { join } from "node:path";
import { percentile, type Benchmark } from "./lib.ts";
import { startNode } from "../test/harness/node.ts";

const bench: Benchmark = {
  name: "api",
  description: "GET/LIST/CREATE/PATCH latency and throughput, create→watch latency (targets: mutating p99 ≤ 50 ms, GET p99 ≤ 10 ms at 500 req/s)",
  async run(ctx) {
    const scale = Math.max(0.2, ctx.runs / 5);
    for (let r = 0; r < Math.min(ctx.runs, 3); r++) {
      const node = await startNode();
      ctx.defer(() => node.stop());
      try {
        const res = await node.exec([process.execPath, join(import.meta.dir, "load", "api-load.ts"), node.kubeconfig, String(scale)], { timeoutMs: 600_000 });
        if (res.code !== 0) throw new Error(`load generator failed: ${res.stderr}`);
        const out = JSON.parse(res.stdout.trim().split("\n").pop()!) as Record<string, { lat: number[]; rps: number }>;
        for (const [name, { lat, rps }] of Object.entries(out)) {
          ctx.record(`${name} p50`, "kubun", "ms", percentile(lat, 50));
          ctx.record(`${name} p99`, "kubun", "ms", percentile(lat, 99));
          if (rps) ctx.record(`${name} throughput`, "kubun", "req/s", rps, "higher");
        }
      } finally {
        await node.stop();
      }
    }
  },
};
export default bench;
