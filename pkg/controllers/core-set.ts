// kube-controller-manager's core controllers (garbage collector, namespaces, workloads, endpoints…).
import type { ControllerDescriptor } from "./types.ts";
import { garbageCollectorController } from "./garbagecollector/index.ts";
import { namespaceController } from "./namespace/index.ts";
import { rootCACertPublisher, serviceAccountController } from "./serviceaccount/index.ts";
import { replicaSetController, replicationControllerController } from "./replicaset/index.ts";
import { deploymentController } from "./deployment/index.ts";
import { endpointsController } from "./endpoints/index.ts";
import { endpointSliceController } from "./endpointslice/index.ts";
import { podGCController } from "./podgc/index.ts";
import { nodeLifecycleController, taintEvictionController } from "./nodelifecycle/index.ts";

export const coreControllers: ControllerDescriptor[] = [
  garbageCollectorController,
  namespaceController,
  serviceAccountController,
  rootCACertPublisher,
  replicaSetController,
  replicationControllerController,
  deploymentController,
  endpointsController,
  endpointSliceController,
  podGCController,
  nodeLifecycleController,
  taintEvictionController,
];
