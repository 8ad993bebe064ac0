// Contract between pkg/server and the controllers: one shared context, one starter per controller.
import type { Client, InformerFactory } from "../client/types.ts";
import type { EventRecorder } from "./shared/events.ts";
import type { Logger } from "../util/log.ts";

export interface ControllerConfig {
  serviceCIDR: string;
  clusterCIDR: string;
  clusterDomain: string;
  /** Node lifecycle: a node whose Lease is older than this is NotReady/Unknown (40 s upstream). */
  nodeMonitorGracePeriodMs: number;
  /** NoExecute default tolerationSeconds for not-ready/unreachable taints is 300 s (set by admission). */
  podEvictionTimeoutMs: number;
  /** Terminated-pod GC threshold (12 500 upstream). */
  terminatedPodGCThreshold: number;
  /** HPA sync period (15 s upstream). */
  hpaSyncPeriodMs: number;
  /** CA bundle published as the kube-root-ca.crt ConfigMap in every namespace. */
  rootCAPem: string;
  /** Default StorageClass local-path directory (local-path provisioner). */
  localStoragePath: string;
  now: () => Date;
}

export interface ControllerContext {
  /** In-process client acting as the controller manager (admin identity). */
  client: Client;
  /** Shared informers: one list+watch per resource for all controllers. */
  informers: InformerFactory;
  /** Event recorder for a component name such as "deployment-controller". */
  recorder(component: string): EventRecorder;
  logger: Logger;
  config: ControllerConfig;
  /** Aborted on shutdown. */
  signal: AbortSignal;
}

export interface RunningControllers {
  stop(): Promise<void>;
}

/** Each controller (or small group) is started by one of these; informers are started by the caller after all starters ran. */
export type ControllerStarter = (ctx: ControllerContext) => RunningControllers | Promise<RunningControllers>;

export interface ControllerDescriptor {
  /** e.g. "deployment", "garbage-collector" (upstream's controller names). */
  name: string;
  start: ControllerStarter;
}
