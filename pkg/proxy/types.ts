// Contracts of the service proxy: the inputs of the pure renderer and the rendered rule set.
import type { KubeObject } from "../api/types.ts";

export interface ProxyConfig {
  nodeName: string;
  /** The node's own IPv4 addresses (NodePort and ServiceLB traffic arrives on them). */
  nodeIPs: string[];
  /** Pod CIDR of the cluster: traffic from outside it is masqueraded. */
  clusterCIDR: string;
  /** NodePorts also answer on 127.0.0.1 (needs route_localnet). */
  localhostNodePorts: boolean;
}

/** The inputs: the current Services and EndpointSlices (any order). */
export interface ProxyState {
  services: KubeObject[];
  slices: KubeObject[];
}

/** One table's chains: name → rule lines (each a full "-A CHAIN …" line). */
export type ChainMap = Map<string, string[]>;

/** Everything kube-proxy owns in the nat and filter tables, plus the base hooks it needs. */
export interface RuleSet {
  nat: ChainMap;
  filter: ChainMap;
  /** UDP endpoints ("ip:port") currently programmed, for conntrack cleanup when they go. */
  udpEndpoints: Set<string>;
  /** UDP service "ip:port" destinations that have endpoints (stale-entry flush when they gain some). */
  udpServiceIPs: Set<string>;
}

/** A rule that jumps from a built-in chain into one of ours; inserted once, never duplicated. */
export interface JumpRule {
  table: "nat" | "filter";
  chain: string;
  /** The rule spec after "-A chain". */
  spec: string;
}
