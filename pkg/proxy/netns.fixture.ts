// Test-only: a throwaway "node" network namespace with a cni0 bridge, pod namespaces running
// busybox httpd, and an "outside" namespace on a second link. Everything is removed by close().
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRunner, type Runner } from "./exec.ts";

export interface Pod {
  ns: string;
  ip: string;
  veth: string;
}

export interface NetFixture {
  node: string;
  outside: string;
  nodeIP: string;
  outsideIP: string;
  /** Runs a command inside the node namespace. */
  runNode: Runner;
  pods: Pod[];
  /** Starts a pod namespace at 10.42.0.<n> (httpd on `port` answering its name, if port > 0). */
  addPod(n: number, port?: number): Promise<Pod>;
  /** HTTP GET from inside a namespace; returns the body, or an Error (failure) and how long it took. */
  get(ns: string, url: string, timeoutS?: number): Promise<{ body?: string; error?: string; ms: number }>;
  close(): Promise<void>;
}

const sh = createRunner();

export async function createNetFixture(tag: string): Promise<NetFixture> {
  const id = `${tag}${process.pid.toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`.slice(0, 9);
  const node = `kbn-${id}-n`;
  const outside = `kbn-${id}-o`;
  const dir = mkdtempSync(join(tmpdir(), "kubun-netns-"));
  const nsList: string[] = [];
  const procs: Array<ReturnType<typeof Bun.spawn>> = [];
  const pods: Pod[] = [];
  const runNode = createRunner(["ip", "netns", "exec", node]);
  const fx: NetFixture = {
    node,
    outside,
    nodeIP: "192.168.77.1",
    outsideIP: "192.168.77.2",
    runNode,
    pods,
    async addPod(n, port = 8080) {
      const ns = `kbn-${id}-p${n}`;
      const veth = `kv${id.slice(-6)}${n}`;
      await sh(["ip", "netns", "add", ns]);
      nsList.push(ns);
      await sh(["ip", "link", "add", veth, "netns", node, "type", "veth", "peer", "name", "eth0", "netns", ns]);
      await runNode(["ip", "link", "set", veth, "master", "cni0", "up"]);
      await runNode(["bridge", "link", "set", "dev", veth, "hairpin", "on"]);
      const inPod = createRunner(["ip", "netns", "exec", ns]);
      await inPod(["ip", "addr", "add", `10.42.0.${n}/24`, "dev", "eth0"]);
      await inPod(["ip", "link", "set", "eth0", "up"]);
      await inPod(["ip", "link", "set", "lo", "up"]);
      await inPod(["ip", "route", "add", "default", "via", "10.42.0.1"]);
      const pod = { ns, ip: `10.42.0.${n}`, veth };
      if (port > 0) {
        const www = join(dir, `pod${n}`);
        rmSync(www, { recursive: true, force: true });
        await sh(["mkdir", "-p", www]);
        writeFileSync(join(www, "index.html"), `pod${n}\n`);
        procs.push(Bun.spawn(["ip", "netns", "exec", ns, "busybox", "httpd", "-f", "-p", String(port), "-h", www], { stdout: "ignore", stderr: "ignore" }));
        // wait until it listens (bounded)
        for (let i = 0; i < 100; i++) {
          const r = await fx.get(ns, `http://127.0.0.1:${port}/`, 1);
          if (r.body) break;
          await Bun.sleep(20);
        }
      }
      pods.push(pod);
      return pod;
    },
    async get(ns, url, timeoutS = 3) {
      const t0 = performance.now();
      const p = Bun.spawn(["ip", "netns", "exec", ns, "timeout", String(timeoutS), "busybox", "wget", "-q", "-O-", url], { stdout: "pipe", stderr: "pipe" });
      const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
      const ms = performance.now() - t0;
      return code === 0 ? { body: out.trim(), ms } : { error: err.trim() || `exit ${code}`, ms };
    },
    async close() {
      for (const p of procs) {
        p.kill(9);
        await p.exited;
      }
      for (const ns of [...nsList].reverse()) await sh(["ip", "netns", "del", ns]).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    for (const ns of [node, outside]) {
      await sh(["ip", "netns", "add", ns]);
      nsList.push(ns);
    }
    const inOut = createRunner(["ip", "netns", "exec", outside]);
    await runNode(["ip", "link", "set", "lo", "up"]);
    await inOut(["ip", "link", "set", "lo", "up"]);
    await runNode(["ip", "link", "add", "cni0", "type", "bridge"]);
    await runNode(["ip", "addr", "add", "10.42.0.1/24", "dev", "cni0"]);
    await runNode(["ip", "link", "set", "cni0", "up"]);
    await runNode(["ip", "link", "add", "ext0", "type", "veth", "peer", "name", "ext0", "netns", outside]);
    await runNode(["ip", "addr", "add", "192.168.77.1/24", "dev", "ext0"]);
    await runNode(["ip", "link", "set", "ext0", "up"]);
    await inOut(["ip", "addr", "add", "192.168.77.2/24", "dev", "ext0"]);
    await inOut(["ip", "link", "set", "ext0", "up"]);
    // like a real node: a default route out of the uplink (service IPs need *a* route for
    // OUTPUT DNAT, and one via cni0 would make the node send redirects instead of REJECTs)
    await runNode(["ip", "route", "add", "default", "via", "192.168.77.2"]);
    await runNode(["sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.route_localnet=1", "net.bridge.bridge-nf-call-iptables=1"]);
    return fx;
  } catch (e) {
    await fx.close();
    throw e;
  }
}
