// Informer handlers that only enqueue keys (controllers react to state, not to events).
import type { KubeObject, ObjectMeta } from "../../api/types.ts";
import type { EventHandler, WorkQueue } from "../../client/types.ts";
import { metaNamespaceKey } from "../../client/store.ts";

export type OwnerReference = NonNullable<ObjectMeta["ownerReferences"]>[number];

/** The owner reference with controller: true, if any. */
export function controllerRef(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** Enqueues the object's own `namespace/name` on add, update and delete. */
export function enqueueSelf(queue: WorkQueue<string>, filter?: (obj: KubeObject) => boolean): EventHandler {
  const add = (o: KubeObject) => {
    if (!filter || filter(o)) queue.add(metaNamespaceKey(o));
  };
  return { onAdd: add, onUpdate: (_old, cur) => add(cur), onDelete: add };
}

/**
 * Enqueues the controlling owner of dependents (pods → their ReplicaSet): `namespace/ownerName`
 * when the controllerRef has `kind` and an apiVersion in `group`. When an update moves the
 * controllerRef, both the old and the new owner are enqueued.
 */
export function enqueueControllerOwner(queue: WorkQueue<string>, group: string, kind: string): EventHandler {
  const ownerKey = (o: KubeObject): string | undefined => {
    const ref = controllerRef(o);
    if (!ref || ref.kind !== kind) return undefined;
    const refGroup = ref.apiVersion.includes("/") ? ref.apiVersion.split("/")[0] : "";
    if (refGroup !== group) return undefined;
    const ns = o.metadata?.namespace;
    return ns ? `${ns}/${ref.name}` : ref.name;
  };
  const add = (o: KubeObject) => {
    const k = ownerKey(o);
    if (k) queue.add(k);
  };
  return {
    onAdd: add,
    onUpdate(old, cur) {
      const a = ownerKey(old);
      const b = ownerKey(cur);
      if (a && a !== b) queue.add(a);
      if (b) queue.add(b);
    },
    onDelete: add,
  };
}
