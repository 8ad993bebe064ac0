// Kubernetes Status errors (apimachinery's errors.go): every API failure is one of these.
import type { FieldError } from "./types.ts";

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, unknown>;
  status: "Failure" | "Success";
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
    this.name = "StatusError";
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string {
    return this.status.reason;
  }
}

/** Resource reference used in messages: `deployments.apps` or `pods`. */
export interface GroupResource {
  group: string;
  resource: string;
}

const qualified = (gr: GroupResource) => (gr.group ? `${gr.resource}.${gr.group}` : gr.resource);

function make(code: number, reason: string, message: string, details?: StatusDetails): StatusError {
  const status: Status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
  if (details) status.details = details;
  return new StatusError(status);
}

export const notFound = (gr: GroupResource, name: string) =>
  make(404, "NotFound", `${qualified(gr)} "${name}" not found`, { name, group: gr.group || undefined, kind: gr.resource });

export const alreadyExists = (gr: GroupResource, name: string) =>
  make(409, "AlreadyExists", `${qualified(gr)} "${name}" already exists`, { name, group: gr.group || undefined, kind: gr.resource });

export const conflict = (gr: GroupResource, name: string, why: string) =>
  make(409, "Conflict", `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, {
    name,
    group: gr.group || undefined,
    kind: gr.resource,
  });

/** The optimistic-concurrency failure kubectl users know. */
export const staleConflict = (gr: GroupResource, name: string) =>
  conflict(gr, name, "the object has been modified; please apply your changes to the latest version and try again");

/** 422 with field causes: `<Kind> "<name>" is invalid: [field: msg, ...]`. */
export function invalid(groupKind: { group: string; kind: string }, name: string, errs: FieldError[]): StatusError {
  const qualifiedKind = groupKind.group ? `${groupKind.kind}.${groupKind.group}` : groupKind.kind;
  const parts = errs.map((e) => `${e.field}: ${e.message}`);
  const list = parts.length === 1 ? parts[0] : `[${parts.join(", ")}]`;
  return make(422, "Invalid", `${qualifiedKind} "${name}" is invalid: ${list}`, {
    name,
    group: groupKind.group || undefined,
    kind: groupKind.kind,
    causes: errs.map((e) => ({ reason: e.type, message: e.message, field: e.field })),
  });
}

export const badRequest = (message: string) => make(400, "BadRequest", message);
export const unauthorized = (message = "Unauthorized") => make(401, "Unauthorized", message);
export const forbidden = (gr: GroupResource, name: string, why: string) =>
  make(403, "Forbidden", `${qualified(gr)} "${name}" is forbidden: ${why}`, { name, group: gr.group || undefined, kind: gr.resource });
export const forbiddenMessage = (message: string) => make(403, "Forbidden", message);
export const methodNotAllowed = (message: string) => make(405, "MethodNotAllowed", message);
export const notAcceptable = (message: string) => make(406, "NotAcceptable", message);
export const unsupportedMediaType = (contentType: string) =>
  make(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`, {
    causes: [{ reason: "UnsupportedMediaType", message: contentType }],
  });
export const requestEntityTooLarge = (message = "the request is too large") => make(413, "RequestEntityTooLarge", message);
export const gone = (message: string) => make(410, "Expired", message);
export const resourceExpired = (message: string) => make(410, "Expired", message);
export const tooManyRequests = (message: string, retryAfterSeconds = 1) =>
  make(429, "TooManyRequests", message, { retryAfterSeconds });
export const internalError = (message: string) =>
  make(500, "InternalError", `Internal error occurred: ${message}`, { causes: [{ message }] });
export const serviceUnavailable = (message: string) => make(503, "ServiceUnavailable", message);
export const timeout = (message: string) => make(504, "Timeout", message);

/** Turn anything thrown into a Status (non-Status errors are internal errors). */
export function toStatus(err: unknown): Status {
  if (err instanceof StatusError) return err.status;
  const msg = err instanceof Error ? err.message : String(err);
  return internalError(msg).status;
}
