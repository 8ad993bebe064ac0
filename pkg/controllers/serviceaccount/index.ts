// ServiceAccount and root-CA publisher descriptors.
import type { ControllerDescriptor } from "../types.ts";
import { startServiceAccountsController } from "./serviceaccounts.ts";
import { startRootCAPublisher } from "./rootca.ts";

export { startServiceAccountsController } from "./serviceaccounts.ts";
export { startRootCAPublisher, ROOT_CA_NAME } from "./rootca.ts";
export const serviceAccountController: ControllerDescriptor = { name: "serviceaccount", start: (ctx) => startServiceAccountsController(ctx) };
export const rootCACertPublisher: ControllerDescriptor = { name: "root-ca-cert-publisher", start: (ctx) => startRootCAPublisher(ctx) };
