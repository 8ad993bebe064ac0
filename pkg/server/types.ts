// The typed, frozen configuration cmd/ hands to the server; nothing below cmd/ reads env or flags.

export type Component =
  | "dns"
  | "servicelb"
  | "local-storage"
  | "metrics"
  | "network-policy"
  | "proxy"
  | "scheduler"
  | "controllers"
  | "agent";

export interface ServerConfig {
  dataDir: string;
  bindAddress: string;
  httpsListenPort: number;
  /** Addresses put into the serving certificate besides the defaults. */
  tlsSANs: string[];
  nodeName: string;
  nodeIPs: string[];
  clusterCIDR: string;
  serviceCIDR: string;
  clusterDNS: string;
  clusterDomain: string;
  nodePortRange: [number, number];
  writeKubeconfig: string;
  writeKubeconfigMode: number;
  /** Shared secret accepted as a bearer token (and later for joining agents). */
  token?: string;
  nodeLabels: string[];
  nodeTaints: string[];
  disable: ReadonlySet<Component>;
  defaultLocalStoragePath: string;
  /** cgroup path (relative to each hierarchy's root) under which kubun puts pods. */
  cgroupRoot: string;
  /** Revisions kept before compaction, and how often compaction runs (seconds). */
  datastoreCompactWindow: number;
  datastoreCompactIntervalSeconds: number;
  /** Scheduled snapshots: cron expression (empty = disabled), retention and directory. */
  snapshotCron: string;
  snapshotRetention: number;
  snapshotDir: string;
  verbosity: number;
  logFormat: "text" | "json";
  /** Set under systemd Type=notify. */
  notifySocket?: string;
}
