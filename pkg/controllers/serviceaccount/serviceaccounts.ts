// ServiceAccounts controller: the `default` ServiceAccount exists in every active namespace
// (recreated when deleted).
import { StatusError } from "../../api/errors.ts";
import { createWorkQueue } from "../../client/index.ts";
import { runController } from "../shared/runner.ts";
import type { ControllerContext, RunningControllers } from "../types.ts";

export const NAMESPACES = { group: "", version: "v1", resource: "namespaces" };
const SERVICEACCOUNTS = { group: "", version: "v1", resource: "serviceaccounts" };
const DEFAULT = "default";

export const ignoreExists = (e: unknown) => {
  if (!(e instanceof StatusError && (e.code === 409 || e.code === 403 || e.code === 404))) throw e;
};

export function startServiceAccountsController(ctx: ControllerContext): RunningControllers {
  const queue = createWorkQueue<string>();
  const namespaces = ctx.informers.forResource(NAMESPACES);
  const accounts = ctx.informers.forResource(SERVICEACCOUNTS);
  const enqueueNs = { onAdd: (o: any) => queue.add(o.metadata.name), onUpdate: (_: any, o: any) => queue.add(o.metadata.name) };
  namespaces.addEventHandler(enqueueNs);
  accounts.addEventHandler({ onDelete: (o) => o.metadata?.name === DEFAULT && queue.add(o.metadata.namespace!) });

  const sync = async (ns: string) => {
    const n = namespaces.store.get(ns);
    if (!n || n.metadata?.deletionTimestamp || n.status?.phase === "Terminating") return;
    if (accounts.store.get(`${ns}/${DEFAULT}`)) return;
    await ctx.client.create(SERVICEACCOUNTS, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: DEFAULT, namespace: ns } }, { namespace: ns }).catch(ignoreExists);
  };
  const running = runController({ name: "serviceaccount", workers: 1, queue, sync, logger: ctx.logger });
  return { stop: () => running.stop() };
}
