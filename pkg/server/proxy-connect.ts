// pods/proxy and services/proxy (what `kubectl proxy` users open): the API server forwards the
// HTTP request to the pod, or to one ready endpoint of the Service, as kube-apiserver does. kubun's
// API server runs in the node's network namespace, so pod IPs are reachable directly.
import type { ConnectRequest } from "../apiserver/types.ts";
import type { Client } from "../client/types.ts";
import { badRequest, serviceUnavailable, StatusError } from "../api/errors.ts";

const SLICES = { group: "discovery.k8s.io", version: "v1", resource: "endpointslices" };
// not forwarded: the caller's credentials and the hop-by-hop headers
const DROP = new Set(["authorization", "host", "connection", "keep-alive", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "impersonate-user", "impersonate-group"]);

const hostPort = (ip: string, port: string) => {
  const host = ip.includes(":") ? `[${ip}]` : ip;
  return port ? `${host}:${port}` : host;
};

/** upstream's pod ResourceLocation: the named port, else the first declared container port. */
function podTarget(r: ConnectRequest): string {
  const pod: any = r.object;
  const ip = pod.status?.podIP;
  if (!ip) throw serviceUnavailable(`pod ${r.name} does not have an IP address yet`);
  let port = r.port ?? "";
  if (!port) port = String((pod.spec?.containers ?? []).find((c: any) => c.ports?.length)?.ports[0].containerPort ?? "");
  return hostPort(ip, port);
}

/** upstream's service ResourceLocation: a random ready endpoint of the named (or numbered) port. */
async function serviceTarget(r: ConnectRequest, client: Client): Promise<string> {
  const svc: any = r.object;
  let portName = r.port ?? "";
  if (/^\d+$/.test(portName)) {
    const sp = (svc.spec?.ports ?? []).find((p: any) => String(p.port) === portName);
    if (!sp) throw badRequest(`no service port ${portName} found for service "${r.name}"`);
    portName = sp.name ?? "";
  }
  const list: any = await client.list(SLICES, { namespace: r.namespace, labelSelector: `kubernetes.io/service-name=${r.name}` });
  const candidates: string[] = [];
  for (const slice of list.items ?? []) {
    const port = (slice.ports ?? []).find((p: any) => (p.name ?? "") === portName);
    if (!port?.port) continue;
    for (const ep of slice.endpoints ?? []) if (ep.conditions?.ready !== false) for (const a of ep.addresses ?? []) candidates.push(hostPort(a, String(port.port)));
  }
  if (!candidates.length) throw serviceUnavailable(`no endpoints available for service "${r.name}"`);
  return candidates[Math.floor(Math.random() * candidates.length)]!;
}

export function createProxyConnect(client: () => Client): (r: ConnectRequest) => Promise<Response> {
  return async (r) => {
    if (r.subresource !== "proxy" || (r.resource !== "pods" && r.resource !== "services") || r.group !== "")
      throw serviceUnavailable(`no component serves ${r.resource}/${r.subresource} yet`);
    const host = r.resource === "pods" ? podTarget(r) : await serviceTarget(r, client());
    const src = new URL(r.request.url);
    const target = `${r.scheme || "http"}://${host}${r.path ?? "/"}${src.search}`;
    const headers = new Headers();
    r.request.headers.forEach((v, k) => {
      if (!DROP.has(k.toLowerCase())) headers.set(k, v);
    });
    let res: Response;
    try {
      const body = r.request.method === "GET" || r.request.method === "HEAD" ? undefined : await r.request.arrayBuffer();
      // pods serve self-signed certificates if any: kube-apiserver does not verify them either
      res = await fetch(target, { method: r.request.method, headers, body, redirect: "manual", signal: r.request.signal, tls: { rejectUnauthorized: false } } as RequestInit);
    } catch (e) {
      if (e instanceof StatusError) throw e;
      throw serviceUnavailable(`error trying to reach service: ${(e as Error).message}`); // upstream's words, pods too
    }
    const out = new Headers();
    res.headers.forEach((v, k) => {
      if (!DROP.has(k.toLowerCase()) && k.toLowerCase() !== "content-encoding" && k.toLowerCase() !== "content-length") out.set(k, v);
    });
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers: out });
  };
}
