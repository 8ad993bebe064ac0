// What every pod worker shares: the runtime, images, network, caches and the node's facts.
import type { Client, Store } from "../client/types.ts";
import type { CgroupManager, Runtime } from "../runtime/types.ts";
import type { EventRecorder } from "../controllers/shared/events.ts";
import type { Logger } from "../util/log.ts";
import type { ImageManager } from "./images.ts";
import type { PodNetwork } from "./network/sandbox.ts";
import type { NatRules, HostPort } from "./network/iptables.ts";
import type { Backoff } from "./backoff.ts";

export interface KubeletContext {
  client: Client;
  runtime: Runtime;
  cgroups: CgroupManager;
  images: ImageManager;
  network: PodNetwork | null;
  nat: NatRules | null;
  recorder: EventRecorder;
  logger: Logger;
  backoff: Backoff;
  nodeName: string;
  nodeIPs: string[];
  clusterDNS: string;
  clusterDomain: string;
  /** <dataDir>/agent/pods */
  podsDir: string;
  /** <dataDir>/agent/logs (upstream /var/log/pods) */
  logsDir: string;
  hostResolvConf: string;
  nodeAllocatable: { cpu: string; memory: string };
  configMaps: Store;
  secrets: Store;
  services: Store;
  /** a worker's host ports changed: re-render the DNAT rules */
  hostPortsChanged(): void;
  hostPorts(): HostPort[];
}
