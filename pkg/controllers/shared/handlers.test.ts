import { expect, test } from "bun:test";
import { createWorkQueue } from "../../client/workqueue.ts";
import type { KubeObject } from "../../api/types.ts";
import { controllerRef, enqueueControllerOwner, enqueueSelf } from "./handlers.ts";

const drain = async (q: ReturnType<typeof createWorkQueue<string>>) => {
  const out: string[] = [];
  while (q.len() > 0) {
    const k = (await q.get())!;
    out.push(k);
    q.done(k);
  }
  return out;
};

const pod = (name: string, owner?: { kind: string; apiVersion: string; name: string; controller?: boolean }): KubeObject => ({
  metadata: { name, namespace: "ns", ownerReferences: owner ? [{ uid: "u", controller: true, ...owner }] : undefined },
});

test("enqueueSelf enqueues namespace/name, deduplicated, with an optional filter", async () => {
  const q = createWorkQueue<string>();
  const h = enqueueSelf(q, (o) => o.metadata!.name !== "skip");
  h.onAdd!(pod("a"));
  h.onUpdate!(pod("a"), pod("a"));
  h.onDelete!(pod("b"));
  h.onAdd!(pod("skip"));
  h.onAdd!({ metadata: { name: "cluster-wide" } });
  expect(await drain(q)).toEqual(["ns/a", "ns/b", "cluster-wide"]);
  q.shutDown();
});

test("enqueueControllerOwner follows the controllerRef of the right kind and group, old and new", async () => {
  const q = createWorkQueue<string>();
  const h = enqueueControllerOwner(q, "apps", "ReplicaSet");
  h.onAdd!(pod("p1", { kind: "ReplicaSet", apiVersion: "apps/v1", name: "rs1" }));
  h.onAdd!(pod("p2", { kind: "ReplicaSet", apiVersion: "other.io/v1", name: "wrong-group" }));
  h.onAdd!(pod("p3", { kind: "Job", apiVersion: "batch/v1", name: "job" }));
  h.onAdd!(pod("p4", { kind: "ReplicaSet", apiVersion: "apps/v1", name: "not-controller", controller: false }));
  h.onUpdate!(pod("p5", { kind: "ReplicaSet", apiVersion: "apps/v1", name: "old" }), pod("p5", { kind: "ReplicaSet", apiVersion: "apps/v1", name: "new" }));
  h.onDelete!(pod("p6", { kind: "ReplicaSet", apiVersion: "apps/v1", name: "rs6" }));
  expect(await drain(q)).toEqual(["ns/rs1", "ns/old", "ns/new", "ns/rs6"]);
  expect(controllerRef(pod("x"))).toBeUndefined();
  q.shutDown();
});
