// The HTTPS transport: Bun's fetch with the cluster CA and a client certificate or bearer token.
import { createClient, type ClientOptions } from "./client.ts";
import { loadKubeconfig, type Credentials } from "./kubeconfig.ts";
import type { Client } from "./types.ts";

export type HttpClientOptions = Credentials | { kubeconfig: string; context?: string };

export function createHttpClient(opts: HttpClientOptions, clientOpts: Pick<ClientOptions, "userAgent"> = {}): Client {
  const c: Credentials = "kubeconfig" in opts ? loadKubeconfig(opts.kubeconfig, opts.context) : opts;
  const tls = {
    ca: c.ca,
    cert: c.cert,
    key: c.key,
    rejectUnauthorized: !c.insecureSkipTLSVerify,
  };
  const headers: Record<string, string> = c.token ? { authorization: `Bearer ${c.token}` } : {};
  // Bun extends RequestInit with `tls`; the Request carries method, headers, body and signal.
  const fetchFn = (req: Request) => fetch(req, { tls } as RequestInit);
  return createClient(c.server, fetchFn, { headers, userAgent: clientOpts.userAgent });
}
