// Contract between the wiring and the node agent (kubelet + runtime + pod networking).
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { Client, InformerFactory } from "../client/types.ts";
import type { RequestEnv, UserInfo } from "../apiserver/types.ts";
import type { EventRecorder } from "../controllers/shared/events.ts";
import type { Logger } from "../util/log.ts";
import type { StatusError } from "../api/errors.ts";
import type { ServerConfig } from "./types.ts";

export interface AgentOptions {
  cfg: ServerConfig;
  /** Detected or configured node addresses, first is the InternalIP. */
  nodeIPs: string[];
  /** In-process client acting as the node (admin identity for now). */
  client: Client;
  informers: InformerFactory;
  recorder(component: string): EventRecorder;
  logger: Logger;
  /** Aborted on shutdown (pods keep running). */
  signal: AbortSignal;
  /** The API server's authorization of a request the agent serves (null = allowed); none = allow. */
  authorize?(method: string, url: URL, user: UserInfo): Promise<StatusError | null>;
}

export interface Agent {
  /**
   * Requests the agent serves through the API server: pods/log and metrics.k8s.io.
   * Returns undefined for any other path (the API server answers it).
   */
  handle(req: Request, env: RequestEnv): Promise<Response> | undefined;
  /** The kubelet API behind nodes/proxy (`path` follows /proxy): /healthz, /pods, /stats/summary, /metrics/resource. */
  kubeletAPI(path: string): Response;
  /** Upgrade requests for pods/exec, pods/attach, pods/portforward; false = not the agent's. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, user: UserInfo): boolean;
  /** Resolves when the node is registered and Ready. */
  ready(): Promise<void>;
  /** Stops the agent; running pods keep running. */
  stop(): Promise<void>;
}
