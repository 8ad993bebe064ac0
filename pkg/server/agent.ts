// Node agent entry point: the kubelet engineer replaces this with the real agent.
// Until then the server runs without a node (as with `--disable agent`).
import type { Agent, AgentOptions } from "./agent-types.ts";

export async function startAgent(o: AgentOptions): Promise<Agent> {
  o.logger.warn("the node agent is not built into this version; running API and controllers only");
  return {
    handle: () => undefined,
    upgrade: () => false,
    ready: async () => {},
    stop: async () => {},
  };
}
