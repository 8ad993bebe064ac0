// The namespace controller descriptor.
import type { ControllerDescriptor } from "../types.ts";
import { startNamespaceController } from "./namespace.ts";

export { startNamespaceController, deletionConditions, type NamespaceOptions } from "./namespace.ts";
export const namespaceController: ControllerDescriptor = { name: "namespace", start: (ctx) => startNamespaceController(ctx) };
