// The garbage-collector controller descriptor.
import type { ControllerDescriptor } from "../types.ts";
import { startGarbageCollector } from "./gc.ts";

export { startGarbageCollector, type GCOptions } from "./gc.ts";
export const garbageCollectorController: ControllerDescriptor = { name: "garbage-collector", start: (ctx) => startGarbageCollector(ctx) };
