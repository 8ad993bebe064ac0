// Per-app state shared by the handlers, and the parsed form of one resource request.
import type { ResourceInfo } from "../api/types.ts";
import type { AppDeps, Authorizer, UserInfo } from "./types.ts";
import type { Backend, Registry, Logger } from "./types.ts";
import type { Negotiated } from "./negotiate.ts";
import type { ServiceAllocator } from "./allocator.ts";

export interface Server {
  deps: AppDeps;
  backend: Backend;
  registry: Registry;
  logger: Logger;
  now: () => Date;
  authorize: Authorizer;
  allocator: ServiceAllocator;
  /** Aborted on close(): ends every open watch stream. */
  closing: AbortController;
  bookmarkIntervalMs: number;
}

export interface ResourceRequest {
  req: Request;
  url: URL;
  query: URLSearchParams;
  user: UserInfo;
  info: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
  accept: Negotiated;
  /** Warning headers to add to the response (`299 - "msg"`). */
  warnings: string[];
}
