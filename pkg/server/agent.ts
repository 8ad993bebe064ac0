// Node agent: the kubelet (node registration and lease, pod workers, volumes, probes, logs, metrics)
// over the runtime and pod networking. Pods outlive the agent: stop() leaves them running.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cpus, totalmem } from "node:os";
import type { Agent, AgentOptions } from "./agent-types.ts";
import { createRuntime } from "../runtime/runtime.ts";
import { spreadSubdirs } from "../runtime/fshints.ts";
import { ContentStore } from "../runtime/images/store.ts";
import { createCgroupManager } from "../kubelet/cgroups.ts";
import { registerNode, nodePodCIDR, fsCapacity } from "../kubelet/node.ts";
import { PodNetwork } from "../kubelet/network/sandbox.ts";
import { NatRules, detectIptables } from "../kubelet/network/iptables.ts";
import { ImageManager } from "../kubelet/images.ts";
import { Backoff } from "../kubelet/backoff.ts";
import { Kubelet } from "../kubelet/kubelet.ts";
import { logResponse, parseLogOptions, statusResponse } from "../kubelet/logs.ts";
import { MetricsProvider } from "../kubelet/metrics.ts";
import { rotateLogs } from "../kubelet/rotate.ts";
import { handleUpgrade, isStreamPath } from "../kubelet/stream.ts";
import { serveKubeletAPI } from "../kubelet/kubeletapi.ts";
import { failUpgrade } from "../kubelet/streaming/http.ts";
import { startEvictor } from "../kubelet/evictor.ts";
import { badRequest, internalError, notFound } from "../api/errors.ts";
import type { KubeletContext } from "../kubelet/context.ts";
import type { RequestEnv } from "../apiserver/types.ts";

const GVR = (resource: string) => ({ group: "", version: "v1", resource });

/** Import airgap archives once: a marker remembers name, size and mtime of what was imported. */
async function importImages(store: ContentStore, dir: string, marker: string, log: AgentOptions["logger"]) {
  if (!existsSync(dir)) return;
  let done: Record<string, string> = {};
  try { done = JSON.parse(readFileSync(marker, "utf8")); } catch {}
  for (const name of readdirSync(dir).sort()) {
    if (!/\.(tar|tar\.gz|tgz|tar\.zst|tar\.zstd|tzst)$/.test(name)) continue;
    const st = statSync(join(dir, name));
    const sig = `${st.size}:${st.mtimeMs}`;
    if (done[name] === sig) continue;
    try {
      const imgs = await store.importArchive(join(dir, name));
      done[name] = sig;
      log.info("imported images", { file: name, images: imgs.flatMap((i) => i.refs) });
    } catch (e) {
      log.warn("image import failed", { file: name, err: (e as Error).message });
    }
  }
  writeFileSync(marker, JSON.stringify(done));
}

export async function startAgent(o: AgentOptions): Promise<Agent> {
  const { cfg, client, informers, logger } = o;
  const startTime = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const agentDir = join(cfg.dataDir, "agent");
  for (const d of ["containers", "pods", "logs", "content"]) mkdirSync(join(agentDir, d), { recursive: true });
  // one subdirectory per container/pod, created and removed all day: spread them over the disk
  for (const d of ["containers", "pods", "logs"]) spreadSubdirs(join(agentDir, d));
  const { manager: cgroups, resolved } = createCgroupManager(cfg.cgroupRoot);
  logger.v(1, "pod cgroup root", resolved);
  const runtime = await createRuntime({ stateDir: join(agentDir, "containers"), cgroupRoot: "/", cgroups });
  const store = new ContentStore({ root: join(agentDir, "content") });
  await importImages(store, join(agentDir, "images"), join(agentDir, "content", "imported.json"), logger);
  const podCIDR = nodePodCIDR(cfg.clusterCIDR);
  let network: PodNetwork | null = new PodNetwork(join("/run/kubun/netns", cfg.nodeName), agentDir, podCIDR);
  let nat: NatRules | null = null;
  try {
    await network.setupHost();
    nat = new NatRules(await detectIptables(), cfg.clusterCIDR);
    await nat.apply([]);
    await NatRules.localnet();
    // a few ready sandboxes, made in the background: a new pod then skips its network setup
    void network.prewarm(2).catch((e) => logger.warn("sandbox prewarm failed", { err: String(e) }));
  } catch (e) {
    logger.error("pod networking unavailable; pods get an isolated network namespace", { err: (e as Error).message });
    if (!nat) network = null;
  }
  const nodeAgent = await registerNode(client, { nodeName: cfg.nodeName, nodeIPs: o.nodeIPs, podCIDR, labels: cfg.nodeLabels, taints: cfg.nodeTaints, fsCapacity: fsCapacity(cfg.dataDir) }, (e) => logger.warn("node status update failed", { err: String(e) }));
  const configMaps = informers.forResource(GVR("configmaps"));
  const secrets = informers.forResource(GVR("secrets"));
  const services = informers.forResource(GVR("services"));
  informers.start();
  let hostResolv = "";
  try { hostResolv = readFileSync("/etc/resolv.conf", "utf8"); } catch {}
  let kubelet: Kubelet;
  let natPending = false;
  const ctx: KubeletContext = {
    client, runtime, cgroups, images: new ImageManager(store), network, nat, recorder: o.recorder("kubelet"), logger, backoff: new Backoff(),
    nodeName: cfg.nodeName, nodeIPs: o.nodeIPs, clusterDNS: cfg.clusterDNS, clusterDomain: cfg.clusterDomain,
    podsDir: join(agentDir, "pods"), logsDir: join(agentDir, "logs"), hostResolvConf: hostResolv,
    nodeAllocatable: { cpu: String(cpus().length), memory: String(totalmem()) },
    configMaps: configMaps.store, secrets: secrets.store, services: services.store,
    hostPorts: () => kubelet.hostPorts(),
    hostPortsChanged: () => {
      if (!nat || natPending) return;
      natPending = true;
      queueMicrotask(() => {
        natPending = false;
        nat!.apply(kubelet.hostPorts()).catch((e) => logger.warn("hostport rules failed", { err: String(e) }));
      });
    },
  };
  kubelet = new Kubelet(ctx, informers);
  const synced = informers.waitForCacheSync(o.signal).then(() => kubelet.start());
  const metrics = new MetricsProvider(runtime, () => kubelet.workers.values(), () => cfg.nodeName);
  const rotation = setInterval(() => rotateLogs(runtime), 10_000);
  const evictor = startEvictor({ dataDir: cfg.dataDir, runtime, workers: () => kubelet.workers.values(), setPressure: (p) => nodeAgent.update(p), logger,
    // unreferenced blobs and layers only: images themselves stay (airgap images must survive, like k3s's pinned ones)
    reclaimImages: () => store.gc() });
  o.signal.addEventListener("abort", () => clearInterval(rotation));

  // the same authorization as any API request, before the agent does anything for it
  const allowed = async (method: string, url: URL, user: RequestEnv["user"]) => (o.authorize && user ? o.authorize(method, url, user) : null);
  const serve = (req: Request, env: RequestEnv, url: URL, run: () => Promise<Response> | Response): Promise<Response> =>
    allowed(req.method, url, env?.user)
      .then((denied) => (denied ? statusResponse(denied) : run()))
      .catch((e) => statusResponse(e)); // a Status error from the handler (e.g. 404) is the answer

  return {
    handle(req, env) {
      const url = new URL(req.url);
      const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(url.pathname);
      if (m && req.method === "GET") {
        return serve(req, env, url, async () => {
          try {
            const [ns, name] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])];
            const w = kubelet.findPod(ns, name);
            if (!w) {
              const pod: any = await client.get(GVR("pods"), name, { namespace: ns }); // 404 with the API's message
              if (!pod.spec?.nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
              throw notFound({ group: "", resource: "pods" }, name);
            }
            return logResponse(w, runtime, parseLogOptions(url.searchParams), req.signal);
          } catch (e) {
            return statusResponse(e);
          }
        });
      }
      // authorized before any cgroup is read
      if (req.method === "GET" && !cfg.disable.has("metrics") && metrics.serves(url.pathname))
        return serve(req, env, url, () => metrics.handle(url.pathname, url.searchParams)!);
      return undefined;
    },
    kubeletAPI: (path) => serveKubeletAPI({ nodeName: cfg.nodeName, startTime, workers: () => kubelet.workers.values(), metrics }, path),
    upgrade: (req, socket, head, user) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (!isStreamPath(url.pathname)) return false;
      // the socket buffers what the client sends meanwhile; head is kept for the handshake
      allowed(req.method ?? "GET", url, user).then(
        (denied) => (denied ? failUpgrade(socket, denied) : void handleUpgrade(kubelet, runtime, req, socket, head)),
        (e) => failUpgrade(socket, internalError(String((e as Error).message ?? e))),
      );
      return true;
    },
    async ready() {
      await synced;
    },
    async stop() {
      clearInterval(rotation);
      evictor.stop();
      metrics.stop();
      nodeAgent.stop();
      await kubelet.stop();
      await o.recorder("kubelet").flush().catch(() => {});
      await runtime.close();
    },
  };
}
