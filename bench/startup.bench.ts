// `bun run bench startup`: fresh data dir → node Ready as kubectl sees it, warm restart → Ready,
// binary size and idle RSS, for the compiled binary in a sandboxed node.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Benchmark } from "./lib.ts";
import { REPO, run, startNode, type TestNode } from "../test/harness/node.ts";

async function nodeReady(node: TestNode, timeoutMs: number): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    const r = await node.kubectl("1.33", ["get", "nodes", "-o", "jsonpath={.items[*].status.conditions[?(@.type==\"Ready\")].status}"]);
    if (r.code === 0 && r.stdout.split(" ").includes("True")) return true;
    await Bun.sleep(20);
  }
  return false;
}

const rssKiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);

const bench: Benchmark = {
  name: "startup",
  description: "cold and warm start to a Ready node, binary size, idle RSS (targets: cold ≤ 1.5 s, warm ≤ 1.0 s, idle RSS ≤ 150 MB; k3s ~15 s and 500+ MB, not installable here)",
  async run(ctx) {
    const bin = join(ctx.tmpdir(), "kubun");
    const b = await run([process.execPath, join(REPO, "cmd", "build.ts"), bin], { cwd: REPO, timeoutMs: 300_000 });
    if (b.code !== 0) throw new Error(`build failed: ${b.stderr}`);
    ctx.record("binary size", "kubun", "MB", statSync(bin).size / 1e6);
    for (let i = 0; i < ctx.runs; i++) {
      const t0 = performance.now();
      const node = await startNode({ binary: bin });
      ctx.defer(() => node.stop());
      try {
        const readyz = node.lastStartMs;
        if (!(await nodeReady(node, 30_000))) {
          ctx.log("node never became Ready (is the agent disabled or missing?)");
          ctx.record("cold start → /readyz", "kubun", "ms", readyz);
          continue;
        }
        ctx.record("cold start → node Ready (incl. sandbox setup)", "kubun", "ms", performance.now() - t0);
        ctx.record("cold start → /readyz", "kubun", "ms", readyz);
        const t1 = performance.now();
        await node.restart();
        await nodeReady(node, 30_000);
        ctx.record("warm restart → node Ready (incl. stop)", "kubun", "ms", performance.now() - t1);
        ctx.record("warm restart → /readyz", "kubun", "ms", node.lastStartMs);
        if (i === 0) {
          await Bun.sleep(ctx.runs >= 5 ? 60_000 : 10_000);
          ctx.record(`idle RSS after ${ctx.runs >= 5 ? 60 : 10} s`, "kubun", "MB", rssKiB(node.pid()) / 1024);
        }
      } finally {
        await node.stop();
      }
    }
  },
};
export default bench;
