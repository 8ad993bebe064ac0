// The endpointslice controller descriptor.
import type { ControllerDescriptor } from "../types.ts";
import { startEndpointSliceController } from "./endpointslice.ts";

export { startEndpointSliceController, desiredGroups, MANAGED_BY, CONTROLLER_NAME, SERVICE_NAME, MAX_ENDPOINTS } from "./endpointslice.ts";
export const endpointSliceController: ControllerDescriptor = { name: "endpointslice", start: (ctx) => startEndpointSliceController(ctx) };
