// podFailurePolicy: the first rule matching a failed pod decides FailJob / Ignore / Count / FailIndex.
import type { KubeObject } from "../../api/types.ts";

export type FailureAction = "FailJob" | "Ignore" | "Count" | "FailIndex";

export interface PolicyMatch {
  action: FailureAction;
  /** The message upstream puts on the PodFailurePolicy condition. */
  message: string;
}

interface ExitCodesRule {
  containerName?: string;
  operator: "In" | "NotIn";
  values: number[];
}

function matchExitCodes(pod: KubeObject, r: ExitCodesRule): { name: string; code: number } | undefined {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const s of statuses) {
    if (r.containerName && s.name !== r.containerName) continue;
    const code = s.state?.terminated?.exitCode;
    if (typeof code !== "number" || code === 0) continue;
    const inSet = r.values.includes(code);
    if ((r.operator === "In" && inSet) || (r.operator === "NotIn" && !inSet)) return { name: s.name, code };
  }
  return undefined;
}

/** The matching rule's action for a failed pod, or undefined (counted as usual). */
export function matchPodFailurePolicy(policy: { rules?: any[] } | undefined, pod: KubeObject): PolicyMatch | undefined {
  const podName = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
  for (const [i, rule] of (policy?.rules ?? []).entries()) {
    if (rule.onExitCodes) {
      const m = matchExitCodes(pod, rule.onExitCodes);
      if (m) return { action: rule.action, message: `Container ${m.name} for pod ${podName} failed with exit code ${m.code} matching ${rule.action} rule at index ${i}` };
    }
    for (const pc of rule.onPodConditions ?? []) {
      const c = (pod.status?.conditions ?? []).find((x: any) => x.type === pc.type && x.status === (pc.status ?? "True"));
      if (c) return { action: rule.action, message: `Pod ${podName} has condition ${pc.type} matching ${rule.action} rule at index ${i}` };
    }
  }
  return undefined;
}
