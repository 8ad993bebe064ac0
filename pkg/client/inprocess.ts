// The in-process transport: requests go straight to the API app's fetch (no sockets, no TLS).
import { createClient, type ClientOptions } from "./client.ts";
import type { Client, FetchFn } from "./types.ts";

/** The host is never resolved; the app routes on the path only. */
export const IN_PROCESS_BASE = "http://kubun.in-process";

/** `fetchFn` is the API app's fetch bound to an identity (the server wires an admin user). */
export function createInProcessClient(fetchFn: FetchFn, opts: ClientOptions = {}): Client {
  return createClient(IN_PROCESS_BASE, fetchFn, opts);
}
