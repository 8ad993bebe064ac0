// The client package: one Client (in-process or HTTPS), shared informers, work queues.
export * from "./types.ts";
export { createClient, defaultUserAgent, type ClientOptions } from "./client.ts";
export { createInProcessClient, IN_PROCESS_BASE } from "./inprocess.ts";
export { createHttpClient, type HttpClientOptions } from "./http.ts";
export { loadKubeconfig, parseKubeconfig, type Credentials } from "./kubeconfig.ts";
export { createSharedInformer, type ReflectorTuning } from "./informer.ts";
export { createInformerFactory } from "./factory.ts";
export { createStore, metaNamespaceKey, splitKey, standardIndexers, INDEX_NAMESPACE, INDEX_NODE_NAME, INDEX_OWNER_UID } from "./store.ts";
export { createWorkQueue, type WorkQueueOptions } from "./workqueue.ts";
export { bucketRateLimiter, defaultControllerRateLimiter, exponentialFailureRateLimiter, maxOfRateLimiter } from "./ratelimit.ts";
