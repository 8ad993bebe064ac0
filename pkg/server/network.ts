// Service networking entry point (proxy, cluster DNS, ServiceLB, NetworkPolicy): the
// networking engineer replaces this. Until then Services get no data path.
import type { Client, InformerFactory } from "../client/types.ts";
import type { Logger } from "../util/log.ts";
import type { ServerConfig } from "./types.ts";

export interface NetworkOptions {
  cfg: ServerConfig;
  nodeIPs: string[];
  client: Client;
  informers: InformerFactory;
  logger: Logger;
  signal: AbortSignal;
}

export interface NetworkComponents {
  stop(): Promise<void>;
}

export async function startNetworkComponents(o: NetworkOptions): Promise<NetworkComponents> {
  o.logger.v(1, "service networking is not built into this version");
  return { stop: async () => {} };
}
