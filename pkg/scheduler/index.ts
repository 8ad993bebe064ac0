// kube-scheduler semantics in process; started like a controller.
import type { ControllerDescriptor } from "../controllers/types.ts";

export const schedulerControllers: ControllerDescriptor[] = [];
