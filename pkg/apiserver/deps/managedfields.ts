// Field ownership and server-side apply (pkg/api/managedfields).
import type { ResourceInfo } from "../../api/types.ts";
import { setOf, type FieldSet } from "../../api/managedfields/index.ts";
import { hasStatusSubresource } from "../strategy.ts";
export { applyServerSide, updateManagedFields } from "../../api/managedfields/index.ts";

/** Fields an endpoint resets and so nobody gains through it: status on the main resource, spec on /status. */
export function ignoredFieldsFor(info: ResourceInfo, subresource: string | undefined): FieldSet | undefined {
  if (subresource === "status") return setOf([["f:spec"]]);
  if (!subresource && hasStatusSubresource(info)) return setOf([["f:status"]]);
  return undefined;
}
