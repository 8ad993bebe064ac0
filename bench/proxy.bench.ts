// Service proxy and cluster DNS: full sync of 1,000 Services × 10 endpoints (render +
// iptables-restore inside a throwaway network namespace), an incremental one-endpoint change,
// and DNS queries/s for a Service name over UDP on loopback (client in a separate process).
import type { Benchmark, BenchContext } from "./lib.ts";
import { createRunner } from "../pkg/proxy/exec.ts";
import { applyRules, detectBackend } from "../pkg/proxy/iptables.ts";
import { newRenderCache, renderRules } from "../pkg/proxy/render.ts";
import { svc, slice } from "../pkg/proxy/testdata.ts";
import type { KubeObject } from "../pkg/api/types.ts";
import { buildZone } from "../pkg/dns/zone.ts";
import { startDnsServer } from "../pkg/dns/server.ts";
import type { Logger } from "../pkg/util/log.ts";

const N_SVC = 1000;
const N_EP = 10;
const cfg = { nodeName: "node1", nodeIPs: ["192.168.77.1"], clusterCIDR: "10.42.0.0/16", localhostNodePorts: true };
const logger: Logger = { v: () => {}, info: () => {}, warn: () => {}, error: () => {}, child: () => logger };

function cluster(changed = -1): { services: KubeObject[]; slices: KubeObject[] } {
  const services: KubeObject[] = [];
  const slices: KubeObject[] = [];
  for (let i = 0; i < N_SVC; i++) {
    const ip = `10.43.${Math.floor(i / 250) + 1}.${(i % 250) + 1}`;
    services.push(svc("bench", `svc-${i}`, { clusterIP: ip, clusterIPs: [ip], ports: [{ name: "http", port: 80, protocol: "TCP" }] }));
    const eps = Array.from({ length: N_EP }, (_, j) => ({ ip: `10.42.${(i * N_EP + j) >> 8}.${(i * N_EP + j) & 255}` }));
    if (i === changed) eps[0] = { ip: "10.42.250.250" };
    slices.push(slice("bench", `svc-${i}`, [{ name: "http", port: 8080 }], eps));
  }
  return { services, slices };
}

async function proxySync(ctx: BenchContext, mode: "nft" | "legacy") {
  const full: number[] = [];
  const fullOver: number[] = [];
  const incr: number[] = [];
  const render: number[] = [];
  let rules = 0;
  for (let r = 0; r < ctx.runs; r++) {
    const ns = `kbn-bench-${process.pid.toString(36)}-${r}`;
    const sh = createRunner();
    await sh(["ip", "netns", "add", ns]);
    ctx.defer(() => sh(["ip", "netns", "del", ns]).catch(() => {}));
    try {
      // nsenter is lighter than `ip netns exec` (no /sys remount), closer to running on the host
      const run = createRunner(["nsenter", `--net=/run/netns/${ns}`]);
      const detected = await detectBackend(run);
      const b = mode === detected.mode ? detected : { mode, save: `iptables-${mode}-save`, restore: `iptables-${mode}-restore` };
      const base = cluster();
      // informer objects are immutable and replaced on change: the cache keys on identity
      const cache = newRenderCache();
      let t0 = performance.now();
      const first = renderRules(cfg, base, cache);
      render.push(performance.now() - t0);
      const { text } = await applyRules(run, b, first);
      full.push(performance.now() - t0);
      rules = text.split("\n").filter((l) => l.startsWith("-A ")).length;
      // the periodic verifying resync over the rules already in place
      t0 = performance.now();
      const again = renderRules(cfg, base, cache);
      await applyRules(run, b, again, first, { verify: true });
      fullOver.push(performance.now() - t0);
      // one endpoint of one service changes
      const changed = r * 37 + 1;
      const slices = [...base.slices];
      slices[changed] = cluster(changed).slices[changed]!;
      t0 = performance.now();
      const next = renderRules(cfg, { services: base.services, slices }, cache);
      await applyRules(run, b, next, again);
      incr.push(performance.now() - t0);
      const save = await run([b.save, "-t", "nat"]);
      if (!save.includes("10.42.250.250:8080")) throw new Error("incremental change not applied");
      if (r === 0) ctx.log(`backend ${b.mode} (host default ${detected.mode}); ${rules} rules in the full restore`);
    } finally {
      await sh(["ip", "netns", "del", ns]).catch(() => {});
    }
  }
  if (mode === "nft") ctx.record("proxy-render-1000x10", "kubun", "ms", render, "lower");
  ctx.record(`proxy-full-sync-1000x10-${mode}`, "kubun", "ms", full, "lower");
  ctx.record(`proxy-verify-resync-1000x10-${mode}`, "kubun", "ms", fullOver, "lower");
  ctx.record(`proxy-incremental-sync-1-endpoint-${mode}`, "kubun", "ms", incr, "lower");
}

// The load generator runs in its own process so it does not share the server's event loop.
const CLIENT = `
const dgram = require("node:dgram");
const packet = require("dns-packet");
const [port, seconds, sockets, window] = process.argv.slice(-4).map(Number);
const q = packet.encode({ type: "query", id: 1, flags: packet.RECURSION_DESIRED, questions: [{ type: "A", name: "svc-500.bench.svc.cluster.local", class: "IN" }] });
let answered = 0, bad = 0, counting = false;
for (let s = 0; s < sockets; s++) {
  const sock = dgram.createSocket("udp4");
  sock.on("message", (m) => {
    if (counting) { if (m.readUInt16BE(2) & 0xf || m.readUInt16BE(6) !== 1) bad++; else answered++; }
    sock.send(q, port, "127.0.0.1");
  });
  sock.bind(0, () => { for (let i = 0; i < window; i++) sock.send(q, port, "127.0.0.1"); });
  // lost datagrams are re-sent so the window never drains
  setInterval(() => { for (let i = 0; i < 4; i++) sock.send(q, port, "127.0.0.1"); }, 50).unref();
}
setTimeout(() => { counting = true; const t0 = performance.now();
  setTimeout(() => { console.log(JSON.stringify({ qps: answered / ((performance.now() - t0) / 1000), bad })); process.exit(0); }, seconds * 1000);
}, 300);
`;

async function dnsQps(ctx: BenchContext) {
  const { services, slices } = cluster();
  const zone = buildZone("cluster.local", services, slices);
  const server = await startDnsServer({ host: "127.0.0.1", port: 0, domain: "cluster.local", zone: () => zone, logger });
  ctx.defer(() => server.stop());
  const samples: number[] = [];
  const dir = ctx.tmpdir();
  const file = `${dir}/client.cjs`;
  await Bun.write(file, CLIENT);
  for (let r = 0; r < ctx.runs; r++) {
    const p = Bun.spawn([process.execPath, file, String(server.port), "2", "4", "32"], { stdout: "pipe", stderr: "pipe", cwd: import.meta.dir + "/.." , env: { ...process.env, NODE_PATH: import.meta.dir + "/../node_modules" } });
    const timer = setTimeout(() => p.kill(9), 15_000);
    const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
    clearTimeout(timer);
    const res = JSON.parse(out.trim() || "{}");
    if (!res.qps) throw new Error(`dns client failed: ${err}`);
    if (res.bad) throw new Error(`${res.bad} wrong DNS answers`);
    samples.push(Math.round(res.qps));
  }
  ctx.record("dns-udp-qps-service-A", "kubun", "queries/s", samples, "higher");
}

export default {
  name: "proxy",
  description: "service proxy full/incremental iptables sync (1,000 Services × 10 endpoints) and cluster DNS queries/s",
  async run(ctx) {
    await proxySync(ctx, "nft");
    await proxySync(ctx, "legacy");
    await dnsQps(ctx);
  },
} satisfies Benchmark;
