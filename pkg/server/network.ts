// Service networking: the iptables service proxy, the built-in ServiceLB, cluster DNS (served
// through the kube-system/kube-dns Service) and NetworkPolicy enforcement. Each honours
// --disable. Rules are left in place on stop so traffic keeps flowing across restarts.
import { existsSync } from "node:fs";
import type { KubeObject } from "../api/types.ts";
import type { Client, InformerFactory, SharedInformer } from "../client/types.ts";
import type { Logger } from "../util/log.ts";
import type { ServerConfig } from "./types.ts";
import { createRunner } from "../proxy/exec.ts";
import { startProxier, type Proxier } from "../proxy/proxier.ts";
import { startServiceLB } from "../proxy/servicelb.ts";
import { ensureServiceRoute } from "../proxy/route.ts";
import { buildZone, type ZoneIndex } from "../dns/zone.ts";
import { startDnsServer } from "../dns/server.ts";
import { Forwarder } from "../dns/forward.ts";
import { readResolvConf } from "../dns/resolvconf.ts";
import { ensureKubeDns } from "../dns/service.ts";
import { cleanupPolicies, startPolicyEnforcer } from "../netpol/enforcer.ts";
import { cleanupRules, detectBackend } from "../proxy/iptables.ts";

export interface NetworkOptions {
  cfg: ServerConfig;
  nodeIPs: string[];
  client: Client;
  informers: InformerFactory;
  logger: Logger;
  signal: AbortSignal;
  /** Host resolver configuration to forward to (default /etc/resolv.conf, or systemd-resolved's real one). */
  resolvConfPath?: string;
  /** Port the DNS server listens on at the node IP (the kube-dns Service targets it). */
  dnsPort?: number;
  /** How often resolv.conf is re-read. */
  resolvReloadMs?: number;
}

export interface NetworkComponents {
  stop(): Promise<void>;
}

const SERVICES = { group: "", version: "v1", resource: "services" };
const SLICES = { group: "discovery.k8s.io", version: "v1", resource: "endpointslices" };
const PODS = { group: "", version: "v1", resource: "pods" };
const NAMESPACES = { group: "", version: "v1", resource: "namespaces" };
const POLICIES = { group: "networking.k8s.io", version: "v1", resource: "networkpolicies" };
export const DEFAULT_DNS_PORT = 10053;

/** k3s: when the host resolv.conf only names a loopback stub (systemd-resolved), use the real one. */
function hostResolvConf(path?: string): string {
  if (path) return path;
  const conf = readResolvConf("/etc/resolv.conf");
  const stub = conf.nameservers.length > 0 && conf.nameservers.every((n) => n.startsWith("127.") || n === "::1");
  return stub && existsSync("/run/systemd/resolve/resolv.conf") ? "/run/systemd/resolve/resolv.conf" : "/etc/resolv.conf";
}

export async function startNetworkComponents(o: NetworkOptions): Promise<NetworkComponents> {
  const { cfg, logger } = o;
  const stops: Array<() => void | Promise<void>> = [];
  const services = o.informers.forResource<KubeObject>(SERVICES);
  const slices = o.informers.forResource<KubeObject>(SLICES);
  const nodeIP = o.nodeIPs.find((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip)) ?? "127.0.0.1";
  const run = createRunner();
  let proxier: Proxier | undefined;

  if (!cfg.disable.has("proxy")) {
    // NodePorts on 127.0.0.1 need route_localnet (kube-proxy sets it too)
    await run(["sysctl", "-qw", "net.ipv4.conf.all.route_localnet=1"]).catch((e) => logger.warn("cannot enable route_localnet", { err: e }));
    await ensureServiceRoute(run, cfg.serviceCIDR).then(
      (added) => added && logger.info("no default route: added a fallback route for the service CIDR", { cidr: cfg.serviceCIDR }),
      (e) => logger.warn("cannot check the route to the service CIDR", { err: e }),
    );
    proxier = await startProxier({
      cfg: { nodeName: cfg.nodeName, nodeIPs: o.nodeIPs, clusterCIDR: cfg.clusterCIDR, localhostNodePorts: true },
      run,
      services,
      slices,
      logger: logger.child("proxy"),
    });
    const p = proxier;
    stops.push(() => p.stop());
    logger.info("service proxy started", { backend: p.backend.mode });
  }

  if (!cfg.disable.has("servicelb")) {
    const lb = startServiceLB({ client: o.client, services, nodeIPs: o.nodeIPs, logger: logger.child("servicelb") });
    stops.push(() => lb.stop());
  }

  if (!cfg.disable.has("dns")) {
    // a DNS port already taken must not keep the rest of the node from starting
    try {
      stops.push(await startClusterDNS(o, services, slices, nodeIP));
    } catch (e) {
      logger.error("cluster DNS could not start", { err: e });
    }
  }

  if (!cfg.disable.has("network-policy")) {
    const enforcer = await startPolicyEnforcer({
      run,
      backend: proxier?.backend,
      clusterCIDR: cfg.clusterCIDR,
      nodeName: cfg.nodeName,
      pods: o.informers.forResource<KubeObject>(PODS),
      namespaces: o.informers.forResource<KubeObject>(NAMESPACES),
      policies: o.informers.forResource<KubeObject>(POLICIES),
      logger: logger.child("netpol"),
    });
    stops.push(() => enforcer.stop());
  }

  return {
    async stop() {
      for (const s of stops.reverse()) await s();
    },
  };
}

/** Cluster DNS: the server on the node IP, its zone index, forwarding and the kube-dns Service. */
async function startClusterDNS(o: NetworkOptions, services: SharedInformer<KubeObject>, slices: SharedInformer<KubeObject>, nodeIP: string): Promise<() => void> {
  const { cfg, logger } = o;
  const stops: Array<() => void> = [];
  const pods = o.informers.forResource<KubeObject>(PODS);
  let zone: ZoneIndex | undefined;
  const dirty = () => {
    zone = undefined;
  };
  for (const inf of [services, slices, pods]) {
    const reg = inf.addEventHandler({ onAdd: dirty, onUpdate: (a, b) => a !== b && dirty(), onDelete: dirty });
    stops.push(() => reg.remove());
  }
  const port = o.dnsPort ?? DEFAULT_DNS_PORT;
  const upstreams = () =>
    readResolvConf(hostResolvConf(o.resolvConfPath))
      .nameservers.filter((n) => !n.includes(":"))
      .map((host) => ({ host, port: 53 }));
  const self = new Set([nodeIP, cfg.clusterDNS]);
  const forwarder = new Forwarder({
    upstreams: upstreams(),
    isSelf: (u) => (self.has(u.host) && (u.port === 53 || u.port === port)) || (u.host.startsWith("127.") && u.port === port),
    logger: logger.child("dns"),
  });
  const server = await startDnsServer({
    host: nodeIP,
    port,
    domain: cfg.clusterDomain,
    zone: () => (zone ??= buildZone(cfg.clusterDomain, services.store.list(), slices.store.list(), pods.store.list())),
    forwarder,
    logger: logger.child("dns"),
  }).catch((e) => {
    for (const s of stops) s();
    throw e;
  });
  stops.push(() => server.stop());
  const target = { clusterDNS: cfg.clusterDNS, nodeName: cfg.nodeName, ip: nodeIP, port: server.port };
  let ensuring = false;
  const ensure = async () => {
    if (ensuring || o.signal.aborted) return;
    ensuring = true;
    try {
      // bounded retries: the API may still be finishing its bootstrap
      for (let i = 0; i < 20 && !o.signal.aborted; i++) {
        try {
          await ensureKubeDns(o.client, target);
          return;
        } catch (e) {
          if (i === 19) logger.error("cannot create the kube-dns service", { err: e });
          await Bun.sleep(250 * Math.min(i + 1, 8));
        }
      }
    } finally {
      ensuring = false;
    }
  };
  void ensure();
  // re-create it if someone deletes it
  const isDns = (x: KubeObject) => x.metadata?.namespace === "kube-system" && (x.metadata?.name === "kube-dns" || x.metadata?.name === "kube-dns-kubun");
  for (const inf of [services, slices]) {
    const reg = inf.addEventHandler({ onDelete: (x) => isDns(x) && void ensure() });
    stops.push(() => reg.remove());
  }
  void forwarder.probe();
  // resolv.conf changes (DHCP, VPN) are picked up without a restart
  const reload = setInterval(() => {
    const next = upstreams();
    if (JSON.stringify(next) === JSON.stringify(forwarder.upstreams)) return;
    forwarder.setUpstreams(next);
    void forwarder.probe();
    logger.info("DNS upstreams changed", { upstreams: next.map((u) => u.host) });
  }, o.resolvReloadMs ?? 5000);
  stops.push(() => clearInterval(reload));
  logger.info("cluster DNS started", { listen: `${nodeIP}:${server.port}`, clusterDNS: cfg.clusterDNS, upstreams: forwarder.upstreams.map((u) => u.host) });
  return () => {
    for (const s of stops.reverse()) s();
  };
}

/**
 * Removes every iptables chain and hook the proxy and the policy enforcer own, in whichever
 * backend holds them (for `kubun killall`; a normal stop leaves them so traffic keeps flowing).
 */
export async function cleanupNetworkRules(): Promise<void> {
  const run = createRunner();
  const b = await detectBackend(run);
  await cleanupRules(run, b);
  await cleanupPolicies(run, b);
}
