// Strategic merge patch failures, classified as kube-apiserver's interpretStrategicMergePatchError.
import type { StatusError } from "../errors.ts";
import { badRequest, goFormat, unclassified, unprocessable } from "./errors.ts";

export class SmpError extends Error {
  constructor(
    readonly kind: "bad-request" | "unprocessable" | "unclassified",
    message: string,
  ) {
    super(message);
  }
  toStatus(): StatusError {
    if (this.kind === "bad-request") return badRequest(this.message);
    if (this.kind === "unprocessable") return unprocessable(this.message);
    return unclassified(this.message);
  }
}

export const badRetainKeys = () => new SmpError("bad-request", "invalid patch format of retainKeys");
export const badPrimitiveList = () => new SmpError("bad-request", "invalid patch format of primitive list");
export const badSetElementOrder = () => new SmpError("bad-request", "invalid patch format of setElementOrder list");
export const noListOfLists = () => new SmpError("unprocessable", "lists of lists are not supported");
export const noMergeKey = (m: unknown, key: string) =>
  new SmpError("unclassified", `map: ${goFormat(m)} does not contain declared merge key: ${key}`);
export const badPatchType = (t: unknown, m: unknown) => new SmpError("unclassified", `unknown patch type: ${goFormat(t)} in map: ${goFormat(m)}`);
export const badArgType = (expected: string, actual: unknown) =>
  new SmpError("unclassified", `expected a ${expected}, but received a ${goType(actual)}`);

export function goType(v: unknown): string {
  if (Array.isArray(v)) return "[]interface {}";
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "object") return "map[string]interface {}";
  if (typeof v === "number") return Number.isInteger(v) ? "int64" : "float64";
  if (typeof v === "boolean") return "bool";
  return "string";
}
