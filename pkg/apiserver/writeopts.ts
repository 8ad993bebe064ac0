// Query options shared by the mutating verbs: dryRun, fieldManager, fieldValidation.
import { badRequest } from "../api/errors.ts";
import type { FieldError } from "../api/types.ts";
import { invalid } from "../api/errors.ts";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: FieldValidation;
}

export function parseWriteOptions(q: URLSearchParams, userAgent: string | null, opts: { managerRequired?: boolean } = {}): WriteOptions {
  const dry = q.getAll("dryRun");
  for (const d of dry) if (d !== "All") throw invalidOption("dryRun", d, `supported values: "All"`);
  const fv = q.get("fieldValidation") ?? "";
  let fieldValidation: FieldValidation;
  if (fv === "") fieldValidation = "Warn";
  else if (fv === "Strict" || fv === "Warn" || fv === "Ignore") fieldValidation = fv;
  else throw badRequest(`fieldValidation: Unsupported value: ${JSON.stringify(fv)}: supported values: "Ignore", "Strict", "Warn"`);
  let fieldManager = q.get("fieldManager") ?? "";
  if (fieldManager.length > 128) throw invalidOption("fieldManager", fieldManager, "must be no more than 128 characters");
  if (fieldManager === "") {
    if (opts.managerRequired)
      throw invalid({ group: "meta.k8s.io", kind: "PatchOptions" }, "", [{ type: "FieldValueRequired", field: "fieldManager", message: "Required value: is required for apply patch" }]);
    // Upstream: the user agent up to the first "/".
    fieldManager = (userAgent ?? "").split("/")[0]!.slice(0, 128) || "unknown";
  }
  return { dryRun: dry.length > 0, fieldManager, fieldValidation };
}

function invalidOption(field: string, value: string, detail: string) {
  const e: FieldError = { type: "FieldValueInvalid", field, message: `Invalid value: ${JSON.stringify(value)}: ${detail}` };
  return invalid({ group: "meta.k8s.io", kind: "PatchOptions" }, "", [e]);
}
