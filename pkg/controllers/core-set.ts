// kube-controller-manager's core controllers (garbage collector, namespaces, workloads, endpoints…).
import type { ControllerDescriptor } from "./types.ts";
import { garbageCollectorController } from "./garbagecollector/index.ts";

export const coreControllers: ControllerDescriptor[] = [garbageCollectorController];
