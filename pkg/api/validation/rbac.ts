// rbac.authorization.k8s.io validation: rules, role references and subjects.
import type { FieldError } from "../types.ts";
import { deepEqual } from "../meta/index.ts";
import { invalid, invalidEach, invalidRaw, notSupported, required } from "./field.ts";
import { isDNS1123Subdomain, isValidPathSegmentName } from "./names.ts";
import { validateLabelSelector } from "./meta.ts";

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const RBAC = "rbac.authorization.k8s.io";

export function validateRole(o: any, clusterScoped: boolean): FieldError[] {
  const errs: FieldError[] = [];
  arr(o?.rules).forEach((r, i) => {
    const p = `rules[${i}]`;
    if (arr(r?.verbs).length === 0) errs.push(required(`${p}.verbs`, "verbs must contain at least one value"));
    const urls = arr(r?.nonResourceURLs);
    if (urls.length > 0) {
      if (!clusterScoped) errs.push(invalid(`${p}.nonResourceURLs`, urls, "namespaced rules cannot apply to non-resource URLs"));
      if (arr(r?.apiGroups).length || arr(r?.resources).length || arr(r?.resourceNames).length)
        errs.push(invalid(`${p}.nonResourceURLs`, urls, "rules cannot apply to both regular resources and non-resource URLs"));
      return;
    }
    if (arr(r?.apiGroups).length === 0) errs.push(required(`${p}.apiGroups`, "resource rules must supply at least one api group"));
    if (arr(r?.resources).length === 0) errs.push(required(`${p}.resources`, "resource rules must supply at least one resource"));
  });
  const agg = o?.aggregationRule;
  if (clusterScoped && agg) {
    const sels = arr(agg.clusterRoleSelectors);
    if (sels.length === 0)
      errs.push(required("aggregationRule.clusterRoleSelectors", "at least one clusterRoleSelector required if aggregationRule is non-nil"));
    sels.forEach((sel, i) => errs.push(...validateLabelSelector(sel, `aggregationRule.clusterRoleSelectors[${i}]`)));
  }
  return errs;
}

export function validateBinding(o: any, clusterScoped: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = o?.roleRef ?? {};
  if (ref.apiGroup !== RBAC) errs.push(notSupported("roleRef.apiGroup", ref.apiGroup ?? "", [RBAC]));
  const kinds = clusterScoped ? ["ClusterRole"] : ["Role", "ClusterRole"];
  if (!kinds.includes(ref.kind)) errs.push(notSupported("roleRef.kind", ref.kind ?? "", kinds));
  if (!ref.name) errs.push(required("roleRef.name"));
  else errs.push(...invalidEach("roleRef.name", ref.name, isValidPathSegmentName(String(ref.name))));
  arr(o?.subjects).forEach((s, i) => {
    const p = `subjects[${i}]`;
    if (!s?.name) errs.push(required(`${p}.name`));
    switch (s?.kind) {
      case "ServiceAccount":
        if (s.name) errs.push(...invalidEach(`${p}.name`, s.name, isDNS1123Subdomain(String(s.name))));
        if (s.apiGroup) errs.push(notSupported(`${p}.apiGroup`, s.apiGroup, [""]));
        if (clusterScoped && !s.namespace) errs.push(required(`${p}.namespace`));
        break;
      case "User":
      case "Group":
        if (s.apiGroup !== RBAC) errs.push(notSupported(`${p}.apiGroup`, s.apiGroup ?? "", [RBAC]));
        break;
      default:
        errs.push(notSupported(`${p}.kind`, s?.kind ?? "", ["ServiceAccount", "User", "Group"]));
    }
  });
  return errs;
}

export function validateBindingUpdate(o: any, old: any, clusterScoped: boolean): FieldError[] {
  const errs = validateBinding(o, clusterScoped);
  if (!deepEqual(o?.roleRef ?? null, old?.roleRef ?? null)) {
    const r = o?.roleRef ?? {};
    errs.push(invalidRaw("roleRef", `rbac.RoleRef{APIGroup:${JSON.stringify(r.apiGroup ?? "")}, Kind:${JSON.stringify(r.kind ?? "")}, Name:${JSON.stringify(r.name ?? "")}}`, "cannot change roleRef"));
  }
  return errs;
}

