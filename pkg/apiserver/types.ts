// Contract between the API server app (this package) and the serving layer / wiring.
import type { Backend } from "../storage/types.ts";
import type { Registry } from "../api/types.ts";
import type { Logger } from "../util/log.ts";
import type { StatusError } from "../api/errors.ts";

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** Set by the serving layer after authentication. */
export interface RequestEnv {
  user: UserInfo;
}

export interface AuthorizationAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  path?: string;
}

export type Authorizer = (user: UserInfo, attrs: AuthorizationAttributes) => Promise<{ allowed: boolean; reason?: string }>;

/** A connect-style subresource (pods/log, exec, attach, portforward, proxy; nodes/proxy; services/proxy) for another component to serve. */
export interface ConnectRequest {
  request: Request;
  user: UserInfo;
  group: string;
  resource: string;
  subresource: string;
  namespace?: string;
  name: string;
  /** The parent object as stored (e.g. the Pod, with spec.nodeName). */
  object: import("../api/types.ts").KubeObject;
  /** Path after the subresource for proxy ("/healthz" of .../proxy/healthz). */
  path?: string;
  /** proxy only: from the name's "[scheme:]name[:port]" form ("https:web:8443"); "" when absent */
  scheme?: string;
  port?: string;
}

/** A request for a resource another component serves instead of storage (e.g. metrics.k8s.io). */
export interface ResourceServeRequest {
  request: Request;
  user: UserInfo;
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface AppDeps {
  backend: Backend;
  registry: Registry;
  /** e.g. "10.43.0.0/16": ClusterIP allocation; the first IP is the kubernetes service. */
  serviceCIDR: string;
  /** e.g. [30000, 32767]. */
  nodePortRange: [number, number];
  clusterDomain: string;
  /** Endpoints of the default/kubernetes service. */
  apiServerEndpoints: () => { ip: string; port: number }[];
  /** Hook for RBAC; default: allow every authenticated user. */
  authorize?: Authorizer;
  logger: Logger;
  /**
   * Resources served by another component rather than storage, keyed "group/version/resource"
   * (e.g. "metrics.k8s.io/v1beta1/pods"); called after authorization.
   */
  resourceServers?: Record<string, (r: ResourceServeRequest) => Promise<Response>>;
  /** Serves connect subresources (the kubelet, later); absent → 503 ServiceUnavailable. */
  connect?: (r: ConnectRequest) => Promise<Response>;
  /**
   * Signs service account token claims (JWT); enables serviceaccounts/token. The signer owns the
   * key; authentication verifies with the same key. Absent → the subresource answers 404.
   */
  signServiceAccountToken?: (claims: Record<string, unknown>) => Promise<string>;
  /** Issuer of service account tokens (default https://kubernetes.default.svc.<clusterDomain>). */
  serviceAccountIssuer?: string;
  /** Upstream's --max-requests-inflight / --max-mutating-requests-inflight (defaults 400 / 200); beyond → 429. */
  maxRequestsInFlight?: number;
  maxMutatingRequestsInFlight?: number;
  /** Clock for tests. */
  now?: () => Date;
  /** Interval of watch BOOKMARK events in ms (default 60 000; tests shorten it). */
  bookmarkIntervalMs?: number;
}

export interface APIApp {
  /** Hono app.fetch; streaming responses (watch, follow) are ReadableStreams; req.signal ends them. */
  fetch(req: Request, env: RequestEnv): Promise<Response>;
  /**
   * Every start, before serving: repairs service IP/port allocations, creates the system
   * namespaces and the default/kubernetes Service, reconciles its Endpoints/EndpointSlice; idempotent.
   */
  bootstrap(): Promise<void>;
  /** Ends watches. */
  close(): Promise<void>;
  /**
   * The authorization check of a resource request served outside this app (the node agent's
   * pods/log, exec, attach, port-forward and metrics): null when allowed, else the 403 error.
   */
  authorize(method: string, url: URL, user: UserInfo): Promise<StatusError | null>;
}

export type { Backend, Registry, Logger };
