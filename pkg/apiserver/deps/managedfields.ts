// Field ownership adapter. PLACEHOLDER until pkg/api/managedfields lands: managedFields are
// kept as they are, and server-side apply is refused.
import { unsupportedMediaType } from "../../api/errors.ts";
import type { KubeObject } from "../../api/types.ts";
import type { SchemaRegistry } from "../../api/schema/types.ts";

export const serverSideApplySupported = false;

export function updateManagedFields(o: {
  old: KubeObject | undefined;
  updated: KubeObject;
  manager: string;
  operation: "Update";
  schemas: SchemaRegistry | undefined;
  typeName: string;
  apiVersion: string;
  now: string;
  subresource?: string;
}): KubeObject {
  return o.updated;
}

export function applyServerSide(_o: {
  live: KubeObject | undefined;
  applied: KubeObject;
  manager: string;
  force: boolean;
  schemas: SchemaRegistry | undefined;
  typeName: string;
  apiVersion: string;
  now: string;
  subresource?: string;
}): KubeObject {
  throw unsupportedMediaType("application/apply-patch+yaml");
}
