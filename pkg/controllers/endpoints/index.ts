// The endpoints controller descriptor.
import type { ControllerDescriptor } from "../types.ts";
import { startEndpointsController } from "./endpoints.ts";

export { startEndpointsController, computeSubsets } from "./endpoints.ts";
export const endpointsController: ControllerDescriptor = { name: "endpoints", start: (ctx) => startEndpointsController(ctx) };
