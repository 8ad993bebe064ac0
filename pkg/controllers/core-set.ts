// kube-controller-manager's core controllers (garbage collector, namespaces, workloads, endpoints…).
import type { ControllerDescriptor } from "./types.ts";

export const coreControllers: ControllerDescriptor[] = [];
