// `kubun server`: flags → frozen ServerConfig → pkg/server.
import { Cron } from "croner";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Component, ServerConfig } from "../pkg/server/types.ts";
import { parseFlags, readConfigFile, renderHelp, UsageError, type FlagSpec } from "./flags.ts";

const COMPONENTS: Component[] = ["dns", "servicelb", "local-storage", "metrics", "network-policy", "proxy", "scheduler", "controllers", "agent"];

export const serverFlags: FlagSpec[] = [
  { name: "config", short: "c", type: "string", default: "/etc/kubun/config.yaml", usage: "Load configuration from FILE", category: "", placeholder: "FILE" },
  { name: "v", type: "int", default: 0, usage: "Number for the log level verbosity", category: "", env: "KUBUN_VERBOSITY" },
  { name: "log-format", type: "string", default: "text", usage: "Log format: text or json", category: "" },
  { name: "bind-address", type: "string", default: "0.0.0.0", usage: "kubun bind address", category: "Listener:", placeholder: "ADDRESS" },
  { name: "https-listen-port", type: "int", default: 6443, usage: "HTTPS listen port", category: "Listener:", placeholder: "PORT" },
  { name: "tls-san", type: "strings", default: [], usage: "Add additional hostnames or IPv4/IPv6 addresses as Subject Alternative Names on the server TLS cert", category: "Listener:" },
  { name: "data-dir", short: "d", type: "string", default: "/var/lib/kubun", usage: "Folder to hold state", category: "Data:", placeholder: "DIR" },
  { name: "datastore-compact-window", type: "int", default: 1000, usage: "Revisions of history kept for watches before compaction", category: "Data:", hidden: true },
  { name: "datastore-compact-interval", type: "int", default: 300, usage: "Seconds between datastore compactions", category: "Data:", hidden: true },
  { name: "datastore-snapshot-schedule-cron", type: "string", default: "0 */12 * * *", usage: "Snapshot interval time in cron spec. eg. every 5 hours '0 */5 * * *'", category: "Data:" },
  { name: "datastore-snapshot-retention", type: "int", default: 5, usage: "Number of snapshots to retain", category: "Data:" },
  { name: "datastore-snapshot-dir", type: "string", default: "", usage: "Directory to save datastore snapshots (default: <data-dir>/server/db/snapshots)", category: "Data:" },
  { name: "datastore-disable-snapshots", type: "bool", default: false, usage: "Disable automatic datastore snapshots", category: "Data:" },
  { name: "cluster-cidr", type: "string", default: "10.42.0.0/16", usage: "IPv4 network CIDR to use for pod IPs", category: "Networking:" },
  { name: "service-cidr", type: "string", default: "10.43.0.0/16", usage: "IPv4 network CIDR to use for service IPs", category: "Networking:" },
  { name: "service-node-port-range", type: "string", default: "30000-32767", usage: "Port range to reserve for services with NodePort visibility", category: "Networking:" },
  { name: "cluster-dns", type: "string", default: "", usage: "IPv4 Cluster IP for coredns service. Should be in your service-cidr range (default: 10.43.0.10)", category: "Networking:" },
  { name: "cluster-domain", type: "string", default: "cluster.local", usage: "Cluster Domain", category: "Networking:" },
  { name: "write-kubeconfig", short: "o", type: "string", default: "/etc/kubun/kubun.yaml", usage: "Write kubeconfig for admin client to this file", category: "Client:", env: "KUBUN_KUBECONFIG_OUTPUT" },
  { name: "write-kubeconfig-mode", type: "string", default: "0600", usage: "Write kubeconfig with this mode", category: "Client:", env: "KUBUN_KUBECONFIG_MODE" },
  { name: "token", short: "t", type: "string", default: "", usage: "Shared secret used to join a server or agent to a cluster (also accepted as an admin bearer token)", category: "Cluster:" },
  { name: "disable", type: "strings", default: [], usage: `Do not deploy packaged components (valid items: ${COMPONENTS.join(", ")})`, category: "Components:" },
  { name: "default-local-storage-path", type: "string", default: "", usage: "Default local storage path for local provisioner storage class (default: <data-dir>/storage)", category: "Components:" },
  { name: "node-name", type: "string", default: "", usage: "Node name", category: "Agent/Node:", env: "KUBUN_NODE_NAME" },
  { name: "node-ip", short: "i", type: "strings", default: [], usage: "IPv4/IPv6 addresses to advertise for node", category: "Agent/Networking:" },
  { name: "node-label", type: "strings", default: [], usage: "Registering and starting kubelet with set of labels", category: "Agent/Node:" },
  { name: "node-taint", type: "strings", default: [], usage: "Registering kubelet with set of taints", category: "Agent/Node:" },
  { name: "cgroup-root", type: "string", default: "/kubun", usage: "cgroup path under which pods are placed", category: "Agent/Runtime:", hidden: false },
];

export const serverHelp = () =>
  renderHelp("kubun server - Run management server", "Runs the API server, controllers, scheduler, service proxy, DNS and kubelet in one process.", serverFlags);

function ipv4ToInt(ip: string): number {
  const p = ip.split(".").map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) throw new UsageError(`invalid IPv4 address ${ip}`);
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
}
const intToIpv4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

function checkCIDR(flag: string, cidr: string): { base: number; bits: number } {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr);
  if (!m || Number(m[2]) > 30) throw new UsageError(`--${flag}: invalid IPv4 CIDR "${cidr}"`);
  return { base: ipv4ToInt(m[1]), bits: Number(m[2]) };
}

/** Parse `kubun server` argv + env + config file into a frozen ServerConfig. */
export async function loadServerConfig(argv: string[], env: Record<string, string | undefined>): Promise<ServerConfig> {
  // The config file path itself comes from flag or env only.
  const pre = parseFlags(serverFlags, argv, env);
  const cfgPath = String(pre.values.config);
  const file = await readConfigFile(cfgPath, pre.explicit.has("config"));
  const { values: v, args } = parseFlags(serverFlags, argv, env, file);
  if (args.length) throw new UsageError(`unexpected arguments: ${args.join(" ")}`);
  const disable = new Set<Component>();
  for (const d of v.disable as string[]) {
    if (!COMPONENTS.includes(d as Component)) throw new UsageError(`--disable: unknown component "${d}" (valid: ${COMPONENTS.join(", ")})`);
    disable.add(d as Component);
  }
  const svc = checkCIDR("service-cidr", String(v["service-cidr"]));
  checkCIDR("cluster-cidr", String(v["cluster-cidr"]));
  const clusterDNS = String(v["cluster-dns"]) || intToIpv4(((svc.base >>> 0) + 10) >>> 0);
  const pr = /^(\d+)-(\d+)$/.exec(String(v["service-node-port-range"]));
  if (!pr || Number(pr[1]) > Number(pr[2]) || Number(pr[2]) > 65535) throw new UsageError(`--service-node-port-range: invalid range "${v["service-node-port-range"]}"`);
  const mode = String(v["write-kubeconfig-mode"]);
  if (!/^0?[0-7]{3}$/.test(mode)) throw new UsageError(`--write-kubeconfig-mode: invalid mode "${mode}"`);
  const port = Number(v["https-listen-port"]);
  if (port < 0 || port > 65535) throw new UsageError(`--https-listen-port: invalid port ${port}`);
  const dataDir = String(v["data-dir"]);
  const logFormat = String(v["log-format"]);
  if (logFormat !== "text" && logFormat !== "json") throw new UsageError(`--log-format: must be text or json`);
  if (!v["datastore-disable-snapshots"]) {
    try {
      new Cron(String(v["datastore-snapshot-schedule-cron"]), { paused: true }).stop();
    } catch (e) {
      throw new UsageError(`--datastore-snapshot-schedule-cron: ${(e as Error).message}`);
    }
  }
  const cfg: ServerConfig = {
    dataDir,
    bindAddress: String(v["bind-address"]),
    httpsListenPort: port,
    tlsSANs: v["tls-san"] as string[],
    nodeName: (String(v["node-name"]) || hostname()).toLowerCase(),
    nodeIPs: v["node-ip"] as string[],
    clusterCIDR: String(v["cluster-cidr"]),
    serviceCIDR: String(v["service-cidr"]),
    clusterDNS,
    clusterDomain: String(v["cluster-domain"]),
    nodePortRange: [Number(pr[1]), Number(pr[2])],
    writeKubeconfig: String(v["write-kubeconfig"]),
    writeKubeconfigMode: parseInt(mode, 8),
    token: String(v.token) || undefined,
    nodeLabels: v["node-label"] as string[],
    nodeTaints: v["node-taint"] as string[],
    disable,
    defaultLocalStoragePath: String(v["default-local-storage-path"]) || join(dataDir, "storage"),
    cgroupRoot: String(v["cgroup-root"]),
    datastoreCompactWindow: Number(v["datastore-compact-window"]),
    datastoreCompactIntervalSeconds: Number(v["datastore-compact-interval"]),
    snapshotCron: v["datastore-disable-snapshots"] ? "" : String(v["datastore-snapshot-schedule-cron"]),
    snapshotRetention: Number(v["datastore-snapshot-retention"]),
    snapshotDir: String(v["datastore-snapshot-dir"]) || join(dataDir, "server", "db", "snapshots"),
    verbosity: Number(v.v),
    logFormat,
    notifySocket: env.NOTIFY_SOCKET || undefined,
  };
  return Object.freeze(cfg);
}
