// kube-scheduler semantics in process; started like a controller.
import type { ControllerDescriptor } from "../controllers/types.ts";
import { startScheduler } from "./scheduler.ts";
import { DEFAULT_SCHEDULER } from "./types.ts";

export { startScheduler, resolvePriority, type Scheduler, type SchedulerOptions } from "./scheduler.ts";
export { fitErrorMessage } from "./framework.ts";

export const schedulerControllers: ControllerDescriptor[] = [
  {
    name: "scheduler",
    start(ctx) {
      const s = startScheduler({
        client: ctx.client,
        informers: ctx.informers,
        recorder: ctx.recorder(DEFAULT_SCHEDULER),
        logger: ctx.logger,
        signal: ctx.signal,
      });
      return { stop: () => s.stop() };
    },
  },
];
