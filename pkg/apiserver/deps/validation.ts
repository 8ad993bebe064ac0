// Validation adapter. PLACEHOLDER until pkg/api/validation/index.ts lands: only object names are checked.
import type { FieldError, KubeObject, ResourceInfo } from "../../api/types.ts";
import { isDNS1123Label, isDNS1123Subdomain } from "../../api/validation/names.ts";

function checkName(info: ResourceInfo, obj: KubeObject): FieldError[] {
  const name = obj.metadata?.name ?? "";
  if (!name) return [{ type: "FieldValueRequired", field: "metadata.name", message: "Required value: name or generateName is required" }];
  const msgs = info.resource === "namespaces" ? isDNS1123Label(name) : isDNS1123Subdomain(name);
  return msgs.map((m) => ({ type: "FieldValueInvalid", field: "metadata.name", message: `Invalid value: ${JSON.stringify(name)}: ${m}` }));
}

export function validateCreate(info: ResourceInfo, obj: KubeObject): FieldError[] {
  return checkName(info, obj);
}

export function validateUpdate(info: ResourceInfo, obj: KubeObject, _old: KubeObject): FieldError[] {
  return checkName(info, obj);
}
