// The deployment controller descriptor.
import type { ControllerDescriptor } from "../types.ts";
import { startDeploymentController } from "./deployment.ts";

export { startDeploymentController } from "./deployment.ts";
export { computeHash, safeEncodeString, fenceposts } from "./util.ts";
export const deploymentController: ControllerDescriptor = { name: "deployment", start: (ctx) => startDeploymentController(ctx) };
