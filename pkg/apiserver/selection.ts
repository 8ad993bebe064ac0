// Label/field selection of list and watch requests.
import type { KubeObject, ResourceInfo } from "../api/types.ts";
import { fieldSetOf, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, validateFieldSelector } from "./deps/selectors.ts";

export interface Selection {
  /** False when neither selector was given (every object matches). */
  active: boolean;
  matches(obj: KubeObject): boolean;
}

export function parseSelection(info: ResourceInfo, q: URLSearchParams, name?: string): Selection {
  const ls = q.get("labelSelector");
  let fs = q.get("fieldSelector") ?? "";
  // A watch/list on a named path selects that one object.
  if (name !== undefined) fs = fs ? `${fs},metadata.name=${name}` : `metadata.name=${name}`;
  const labels = ls ? parseLabelSelector(ls) : undefined;
  const fields = fs ? parseFieldSelector(fs) : undefined;
  if (fields) validateFieldSelector(info, fields);
  if (!labels && !fields) return { active: false, matches: () => true };
  return {
    active: true,
    matches(obj) {
      if (labels && !matchesLabels(labels, obj.metadata?.labels)) return false;
      if (fields && !matchesFields(fields, fieldSetOf(info, obj))) return false;
      return true;
    },
  };
}
