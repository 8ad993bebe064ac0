// ReplicaSet and ReplicationController descriptors (one shared implementation).
import type { ControllerDescriptor } from "../types.ts";
import { REPLICA_SET, REPLICATION_CONTROLLER, startReplicaController } from "./replicaset.ts";

export { startReplicaController, computeStatus, REPLICA_SET, REPLICATION_CONTROLLER, PODS, type ReplicaKind } from "./replicaset.ts";
export { isPodReady, isPodAvailable, isPodActive, deletionOrder } from "./podutil.ts";
export const replicaSetController: ControllerDescriptor = { name: "replicaset", start: (ctx) => startReplicaController(ctx, REPLICA_SET) };
export const replicationControllerController: ControllerDescriptor = { name: "replicationcontroller", start: (ctx) => startReplicaController(ctx, REPLICATION_CONTROLLER) };
