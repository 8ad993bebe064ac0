// Admission on create (upstream's LimitRanger and ResourceQuota plugins): LimitRange defaults
// and bounds for pods and claims, then quota checks that charge each matching quota's
// status.used with compare-and-swap, so concurrent creates cannot overshoot a hard limit.
import type { KubeObject, ResourceInfo } from "../api/types.ts";
import { forbidden } from "../api/errors.ts";
import { applyLimitRangeDefaults, checkLimitRanges } from "../api/admission/limitrange.ts";
import { checkQuota, usedAfter } from "../api/admission/quota.ts";
import type { Server } from "./context.ts";
import { listPrefix } from "./keys.ts";
import { guaranteedUpdate } from "./objects.ts";
import { decodeKV, groupResource } from "./store.ts";

const core = (s: Server, resource: string) => s.registry.lookup("", "v1", resource)!;

async function listIn(s: Server, info: ResourceInfo, namespace: string): Promise<KubeObject[]> {
  const r = await s.backend.list(listPrefix(info, namespace));
  return r.kvs.map(decodeKV);
}

/** Errors joined as upstream's aggregate: one alone, several in brackets. */
const aggregate = (msgs: string[]) => (msgs.length === 1 ? msgs[0] : `[${msgs.join(", ")}]`);

/** Priority admission: spec.priority (and preemptionPolicy) from the PriorityClass or the global default. */
async function admitPriority(s: Server, info: ResourceInfo, pod: KubeObject, name: string): Promise<void> {
  const spec = (pod.spec ??= {});
  const pcInfo = s.registry.lookup("scheduling.k8s.io", "v1", "priorityclasses");
  if (!pcInfo) return;
  const classes = (await s.backend.list(listPrefix(pcInfo, undefined))).kvs.map(decodeKV);
  const cls = spec.priorityClassName ? classes.find((c) => c.metadata?.name === spec.priorityClassName) : classes.find((c) => c.globalDefault === true);
  if (spec.priorityClassName && !cls) throw forbidden(groupResource(info), name, `no PriorityClass with name ${spec.priorityClassName} was found`);
  if (!cls) return;
  if (spec.priority !== undefined && spec.priority !== cls.value)
    throw forbidden(groupResource(info), name, "the integer value of priority (" + spec.priority + ") must not be provided in pod spec; priority admission controller computed " + cls.value + " from the given PriorityClass name");
  spec.priorityClassName = cls.metadata!.name;
  spec.priority = cls.value ?? 0;
  if (cls.preemptionPolicy) spec.preemptionPolicy ??= cls.preemptionPolicy;
}

/** Mutates obj with priority and LimitRange defaults; throws 403 when a bound or a quota is exceeded. */
export async function admitCreate(s: Server, info: ResourceInfo, obj: KubeObject, dryRun: boolean): Promise<void> {
  const ns = obj.metadata?.namespace;
  if (!info.namespaced || !ns) return;
  const name = obj.metadata?.name ?? obj.metadata?.generateName ?? "";
  const isPod = info.group === "" && info.resource === "pods";
  if (isPod) await admitPriority(s, info, obj, name);
  if (isPod || (info.group === "" && info.resource === "persistentvolumeclaims")) {
    const lrs = await listIn(s, core(s, "limitranges"), ns);
    if (lrs.length) {
      if (isPod) Object.assign(obj, applyLimitRangeDefaults(lrs, obj));
      const errs = checkLimitRanges(lrs, obj);
      if (errs.length) throw forbidden(groupResource(info), name, aggregate(errs));
    }
  }
  const quotaInfo = core(s, "resourcequotas");
  const quotas = await listIn(s, quotaInfo, ns);
  if (!quotas.length) return;
  const why = checkQuota(quotas, obj);
  if (why) throw forbidden(groupResource(info), name, why);
  if (dryRun) return;
  for (const q of quotas) {
    const used = usedAfter(q, obj);
    if (JSON.stringify(used) === JSON.stringify(q.status?.used ?? {})) continue;
    // Charge against the latest quota; re-check there so a racing create is refused.
    await guaranteedUpdate(s, quotaInfo, ns, q.metadata!.name!, false, (cur) => {
      const again = checkQuota([cur], obj);
      if (again) throw forbidden(groupResource(info), name, again);
      cur.status = { ...(cur.status ?? {}), used: usedAfter(cur, obj) };
      delete cur.metadata!.resourceVersion; // unpinned: a lost race re-reads and re-checks
      return cur;
    });
  }
}
