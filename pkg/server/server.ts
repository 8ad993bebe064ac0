// Wiring: start order, readiness and one shutdown path for everything in the process.
import { mkdirSync } from "node:fs";
import { hostname, networkInterfaces } from "node:os";
import { join } from "node:path";
import { ensureCertificates, renderKubeconfig, writeKubeconfig } from "../apiserver/certs/index.ts";
import { createAuthenticator } from "../apiserver/authn/index.ts";
import { serveHTTPS } from "../apiserver/serve/index.ts";
import { createAPIApp } from "../apiserver/app.ts";
import type { APIApp, RequestEnv } from "../apiserver/types.ts";
import { createRegistry } from "../api/registry.ts";
import { createInProcessClient, createInformerFactory, defaultUserAgent } from "../client/index.ts";
import { allControllers } from "../controllers/index.ts";
import type { ControllerContext } from "../controllers/types.ts";
import { createEventRecorder } from "../controllers/shared/index.ts";
import { schedulerControllers } from "../scheduler/index.ts";
import { startAgent } from "./agent.ts";
import { startNetworkComponents } from "./network.ts";
import { manifestsDir, startManifestDeployer } from "./manifests.ts";
import { startSnapshotSchedule } from "./snapshots.ts";
import type { Agent } from "./agent-types.ts";
import { openSqliteBackend } from "../storage/index.ts";
import type { Backend } from "../storage/types.ts";
import type { Logger } from "../util/log.ts";
import { kubunVersion } from "../util/version.ts";
import type { ServerConfig } from "./types.ts";
import { createProxyConnect } from "./proxy-connect.ts";
import { serviceUnavailable } from "../api/errors.ts";

export interface RunningServer {
  port: number;
  kubeconfigPath: string;
  /** In-process requests as system:admin (controllers, kubelet, tests). */
  fetch(req: Request): Promise<Response>;
  close(): Promise<void>;
}

/** First usable IP of a CIDR: the kubernetes Service's ClusterIP. */
export function firstServiceIP(cidr: string): string {
  const [base] = cidr.split("/");
  const p = base.split(".").map(Number);
  const n = (((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0) + 1;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** Node IPs: --node-ip, else the first non-internal IPv4 address, else loopback. */
export function detectNodeIPs(cfg: ServerConfig): string[] {
  if (cfg.nodeIPs.length) return [...cfg.nodeIPs];
  for (const addrs of Object.values(networkInterfaces()))
    for (const a of addrs ?? []) if (a.family === "IPv4" && !a.internal) return [a.address];
  return ["127.0.0.1"];
}

const ADMIN_ENV: RequestEnv = { user: { username: "system:admin", groups: ["system:masters", "system:authenticated"] } };

export async function runServer(cfg: ServerConfig, log: Logger): Promise<RunningServer> {
  const t0 = performance.now();
  mkdirSync(join(cfg.dataDir, "server", "db"), { recursive: true, mode: 0o700 });
  const nodeIPs = detectNodeIPs(cfg);
  const closers: Array<() => Promise<unknown> | unknown> = [];
  const close = async () => {
    for (const c of closers.reverse()) {
      try {
        await c();
      } catch (e) {
        log.warn("shutdown step failed", { err: e instanceof Error ? e.message : String(e) });
      }
    }
  };
  try {
    const backend: Backend = await openSqliteBackend({
      path: join(cfg.dataDir, "server", "db", "state.db"),
      compactWindow: cfg.datastoreCompactWindow,
      compactIntervalMs: cfg.datastoreCompactIntervalSeconds * 1000,
    });
    closers.push(() => backend.close());
    const certs = await ensureCertificates({
      dataDir: cfg.dataDir,
      sans: [hostname(), cfg.nodeName, ...nodeIPs, ...cfg.tlsSANs],
      serviceIP: firstServiceIP(cfg.serviceCIDR),
      clusterDomain: cfg.clusterDomain,
    });
    if (certs.generated.length) log.info("certificates generated", { certs: certs.generated.join(",") });
    let port = cfg.httpsListenPort;
    const registry = createRegistry();
    const proxyConnect = createProxyConnect(() => client);
    const app: APIApp = createAPIApp({
      backend,
      registry,
      serviceCIDR: cfg.serviceCIDR,
      nodePortRange: cfg.nodePortRange,
      clusterDomain: cfg.clusterDomain,
      apiServerEndpoints: () => [{ ip: nodeIPs[0], port }],
      logger: log.child("apiserver"),
      // pods/proxy and services/proxy; nodes/proxy is this node's kubelet API (the in-process
      // client and the agent exist once the app does)
      connect: (r) => {
        if (r.resource !== "nodes") return proxyConnect(r);
        if (r.subresource !== "proxy" || r.name !== cfg.nodeName || !agent) throw serviceUnavailable(`no kubelet serves node "${r.name}" from this server`);
        return Promise.resolve(agent.kubeletAPI(r.path ?? "/"));
      },
    });
    closers.push(() => app.close());
    await app.bootstrap();
    let agent: Agent | undefined;
    const https = await serveHTTPS({
      bindAddress: cfg.bindAddress,
      port: cfg.httpsListenPort,
      certPem: certs.serving.certPem,
      keyPem: certs.serving.keyPem,
      caPem: certs.ca.certPem,
      authenticator: createAuthenticator({ dataDir: cfg.dataDir, extraAdminTokens: cfg.token ? [cfg.token] : [] }),
      handler: (req, env) => agent?.handle(req, env) ?? app.fetch(req, env),
      upgrade: (req, socket, head, user) => {
        if (!agent?.upgrade(req, socket, head, user)) socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      },
      logger: log.child("https"),
    });
    port = https.port;
    closers.push(() => https.close());

    const stopAll = new AbortController();
    closers.push(() => stopAll.abort());
    // In-process requests route like HTTPS ones: metrics.k8s.io (the HPA) and pods/log reach the agent.
    const local = (req: Request) => agent?.handle(req, ADMIN_ENV) ?? app.fetch(req, ADMIN_ENV);
    const client = createInProcessClient(local, { userAgent: defaultUserAgent("kube-controller-manager") });
    const informers = createInformerFactory(client);
    closers.push(() => informers.shutdown());
    const recorder = (component: string) => createEventRecorder({ client, component, logger: log.child("events") });
    const ctx: ControllerContext = {
      client,
      informers,
      recorder,
      logger: log.child("controllers"),
      signal: stopAll.signal,
      config: {
        serviceCIDR: cfg.serviceCIDR,
        clusterCIDR: cfg.clusterCIDR,
        clusterDomain: cfg.clusterDomain,
        nodeMonitorGracePeriodMs: 40_000,
        podEvictionTimeoutMs: 300_000,
        terminatedPodGCThreshold: 12_500,
        hpaSyncPeriodMs: 15_000,
        rootCAPem: certs.ca.certPem,
        localStoragePath: cfg.defaultLocalStoragePath,
        now: () => new Date(),
      },
    };
    const descriptors = [
      // local-path is a controller like the others, but k3s users switch it off on its own.
      ...(cfg.disable.has("controllers") ? [] : allControllers().filter((d) => !(d.name === "local-path-provisioner" && cfg.disable.has("local-storage")))),
      ...(cfg.disable.has("scheduler") ? [] : schedulerControllers),
    ];
    for (const d of descriptors) {
      const running = await d.start({ ...ctx, logger: log.child(d.name) });
      closers.push(() => running.stop());
    }
    const net = await startNetworkComponents({ cfg, nodeIPs, client, informers, logger: log.child("network"), signal: stopAll.signal });
    closers.push(() => net.stop());
    if (!cfg.disable.has("agent")) {
      const nodeClient = createInProcessClient(local, { userAgent: defaultUserAgent("kubelet") });
      agent = await startAgent({ cfg, nodeIPs, client: nodeClient, informers: createInformerFactory(nodeClient), recorder: (c) => createEventRecorder({ client: nodeClient, component: c, host: cfg.nodeName }), logger: log.child("agent"), signal: stopAll.signal, authorize: (method, url, user) => app.authorize(method, url, user) });
      const a = agent;
      closers.push(() => a.stop());
    }
    if (cfg.snapshotCron) {
      const snaps = startSnapshotSchedule({ dbPath: join(cfg.dataDir, "server", "db", "state.db"), dir: cfg.snapshotDir, cron: cfg.snapshotCron, retention: cfg.snapshotRetention, nodeName: cfg.nodeName, logger: log.child("snapshots") });
      closers.push(() => snaps.stop());
    }
    informers.start();
    const manifests = startManifestDeployer({ dir: manifestsDir(cfg.dataDir), client, registry, logger: log.child("manifests") });
    closers.push(() => manifests.stop());
    await manifests.scan();
    await agent?.ready();
    const host = cfg.bindAddress === "0.0.0.0" || cfg.bindAddress === "::" ? "127.0.0.1" : cfg.bindAddress;
    writeKubeconfig(cfg.writeKubeconfig, renderKubeconfig({ server: `https://${host}:${port}`, caPem: certs.ca.certPem, client: certs.admin }), cfg.writeKubeconfigMode);
    log.info("kubun is up", { version: kubunVersion, listen: `${cfg.bindAddress}:${port}`, kubeconfig: cfg.writeKubeconfig, ms: Math.round(performance.now() - t0) });
    return {
      port,
      kubeconfigPath: cfg.writeKubeconfig,
      fetch: (req) => agent?.handle(req, ADMIN_ENV) ?? app.fetch(req, ADMIN_ENV),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
