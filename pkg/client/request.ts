// Request building and response decoding shared by every transport.
import { StatusError, type Status } from "../api/errors.ts";
import type { FetchFn, GVR } from "./types.ts";

/** `/api/v1[/namespaces/ns]/pods[/name[/sub]]` or `/apis/g/v/...`. */
export function resourcePath(gvr: GVR, namespace?: string, name?: string, subresource?: string): string {
  let p = gvr.group ? `/apis/${gvr.group}/${gvr.version}` : `/api/${gvr.version}`;
  if (namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${gvr.resource}`;
  if (name !== undefined) {
    if (!name) throw new StatusError(genericStatus(400, "BadRequest", "resource name may not be empty"));
    p += `/${encodeURIComponent(name)}`;
  }
  if (subresource) p += `/${subresource}`;
  return p;
}

/** Query string from defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

const REASONS: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  406: "NotAcceptable",
  409: "Conflict",
  410: "Expired",
  413: "RequestEntityTooLarge",
  415: "UnsupportedMediaType",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

export function genericStatus(code: number, reason: string, message: string): Status {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
}

/** Like client-go's NewGenericServerResponse when the body is not a Status. */
async function errorFromResponse(res: Response): Promise<StatusError> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text);
    if (body && body.kind === "Status" && typeof body.code === "number") return new StatusError(body as Status);
  } catch {
    // not JSON: fall through
  }
  const reason = REASONS[res.status] ?? "Unknown";
  const detail = text.trim().slice(0, 300);
  return new StatusError(genericStatus(res.status, reason, detail || `the server responded with the status code ${res.status} but did not return more information`));
}

export interface Requester {
  /** Performs the request; rejects with StatusError for non-2xx responses. */
  send(method: string, path: string, body?: { type: string; text: string }, signal?: AbortSignal): Promise<Response>;
  json<T>(method: string, path: string, body?: unknown, contentType?: string, signal?: AbortSignal): Promise<T>;
}

export function createRequester(baseURL: string, fetchFn: FetchFn, extraHeaders: Record<string, string> = {}): Requester {
  const base = baseURL.replace(/\/+$/, "");
  const send: Requester["send"] = async (method, path, body, signal) => {
    const headers = new Headers({ accept: "application/json", ...extraHeaders });
    if (body) headers.set("content-type", body.type);
    const req = new Request(base + path, { method, headers, body: body?.text, signal });
    let res: Response;
    try {
      res = await fetchFn(req);
    } catch (e) {
      if (signal?.aborted) throw e;
      // Transport failures (refused, reset, TLS) are surfaced like client-go's: 503-ish, retriable.
      const msg = e instanceof Error ? e.message : String(e);
      throw new StatusError(genericStatus(503, "ServiceUnavailable", `${method} ${path}: ${msg}`));
    }
    if (!res.ok) throw await errorFromResponse(res);
    return res;
  };
  return {
    send,
    async json<T>(method: string, path: string, body?: unknown, contentType = "application/json", signal?: AbortSignal) {
      const payload = body === undefined ? undefined : { type: contentType, text: typeof body === "string" ? body : JSON.stringify(body) };
      const res = await send(method, path, payload, signal);
      const text = await res.text();
      if (!text) return {} as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new StatusError(genericStatus(500, "InternalError", `${method} ${path}: response is not JSON: ${text.slice(0, 200)}`));
      }
    },
  };
}
