// Batch, stateful and policy controllers (statefulset, daemonset, job, cronjob, quota, PDB, HPA…).
import type { ControllerDescriptor } from "./types.ts";

export const workloadControllers: ControllerDescriptor[] = [];
