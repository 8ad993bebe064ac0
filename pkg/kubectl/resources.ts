// Turning `TYPE [NAME…]`, `TYPE/NAME…`, `a,b` and `-f FILE` arguments into resource references.
import { UsageError } from "./args.ts";
import { resolveResource, resolveTypes, type ApiResource } from "./discovery.ts";

export interface Ref {
  res: ApiResource;
  /** Absent: every object of the type (subject to selectors). */
  name?: string;
}

export interface RefGroup {
  res: ApiResource;
  names: string[];
}

/** kubectl's MultipleTypesRequested: `all`, a comma list, or TYPE/NAME args of different types. */
export function multipleTypesRequested(args: string[]): boolean {
  if (args.length === 1 && args[0] === "all") return true;
  if (args[0]?.includes(",")) return true;
  const types = new Set(args.filter((a) => a.includes("/")).map((a) => a.split("/")[0]));
  return types.size > 1;
}

/** Groups of (resource, names) in argument order; no names means "list". */
export function parseRefs(all: ApiResource[], args: string[]): RefGroup[] {
  if (!args.length) throw new UsageError("You must specify the type of resource to get.");
  if (args.some((a) => a.includes("/"))) {
    const groups: RefGroup[] = [];
    for (const a of args) {
      const slash = a.indexOf("/");
      if (slash < 0) throw new UsageError(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`);
      const res = resolveResource(all, a.slice(0, slash));
      const name = a.slice(slash + 1);
      const last = groups.at(-1);
      if (last && last.res === res) last.names.push(name);
      else groups.push({ res, names: [name] });
    }
    return groups;
  }
  const [types, ...names] = args;
  const resList = resolveTypes(all, types!);
  if (names.length && resList.length > 1) {
    return resList.map((res) => ({ res, names }));
  }
  return resList.map((res) => ({ res, names }));
}
