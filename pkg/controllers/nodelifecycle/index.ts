// Node lifecycle and taint-eviction descriptors.
import type { ControllerDescriptor } from "../types.ts";
import { startNodeLifecycle } from "./lifecycle.ts";
import { startTaintEviction } from "./eviction.ts";

export { startNodeLifecycle, type NodeLifecycleOptions } from "./lifecycle.ts";
export { startTaintEviction } from "./eviction.ts";
export { evictionTime, tolerates } from "./taints.ts";
export const nodeLifecycleController: ControllerDescriptor = { name: "node-lifecycle", start: (ctx) => startNodeLifecycle(ctx) };
export const taintEvictionController: ControllerDescriptor = { name: "taint-eviction-controller", start: (ctx) => startTaintEviction(ctx) };
