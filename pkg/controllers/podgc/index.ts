// The pod-garbage-collector descriptor.
import type { ControllerDescriptor } from "../types.ts";
import { startPodGC } from "./podgc.ts";

export { startPodGC, type PodGCOptions } from "./podgc.ts";
export const podGCController: ControllerDescriptor = { name: "pod-garbage-collector", start: (ctx) => startPodGC(ctx) };
