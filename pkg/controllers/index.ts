// Every controller kubun runs in process, by upstream name.
import { coreControllers } from "./core-set.ts";
import { workloadControllers } from "./workload-set.ts";
import type { ControllerDescriptor } from "./types.ts";

export type { ControllerContext, ControllerConfig, ControllerDescriptor, RunningControllers } from "./types.ts";

export const allControllers = (): ControllerDescriptor[] => [...coreControllers, ...workloadControllers];
