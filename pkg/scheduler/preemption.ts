// DefaultPreemption (PostFilter): on nodes where removing lower-priority pods could help,
// dry-run removing them all, reprieve as many as still fit (most important first), and pick
// the node whose victims matter least. The caller deletes the victims and nominates the node.
import { fitErrorMessage, filterNode, prepareCycle, type Cycle, type Diagnosis, type FrameworkEnv } from "./framework.ts";
import type { NodeInfo } from "./nodeinfo.ts";
import type { PodInfo } from "./podinfo.ts";
import type { KubeObject } from "../api/types.ts";
import { labelSelectorFromSpec, matchesLabels } from "../api/selectors/labels.ts";
import type { Status } from "./types.ts";

export interface PreemptionOutcome {
  /** The nominated node, when preemption found room. */
  node?: string;
  victims: PodInfo[];
  /** PostFilter message for the FitError ("preemption: …"), when it did not. */
  message?: string;
}

const startOf = (p: PodInfo) => Date.parse(p.pod.status?.startTime ?? p.pod.metadata?.creationTimestamp ?? "") || 0;

export function preempt(c: Cycle, diag: Diagnosis, env: FrameworkEnv, priorityOf: (p: PodInfo) => number, allNodes: NodeInfo[], pdbs: KubeObject[] = []): PreemptionOutcome {
  const pod = c.pi.pod;
  if (pod.spec.preemptionPolicy === "Never") return { victims: [], message: "preemption: not eligible due to preemptionPolicy=Never." };
  const nominated = pod.status?.nominatedNodeName;
  if (nominated && diag.statuses.get(nominated)?.code !== "UnschedulableAndUnresolvable") {
    const ni = allNodes.find((n) => n.name === nominated);
    if (ni && [...ni.pods.values()].some((e) => e.pod.metadata?.deletionTimestamp && priorityOf(e) < c.priority))
      return { victims: [], message: "preemption: not eligible due to a terminating pod on the nominated node." };
  }
  const potential = allNodes.filter((ni) => diag.statuses.get(ni.name)?.code === "Unschedulable");
  const statuses = new Map<string, Status>();
  const candidates: Candidate[] = [];
  for (const ni of potential) {
    const r = selectVictims(c, ni, env, priorityOf, allNodes, pdbs);
    if ("status" in r) statuses.set(ni.name, r.status);
    else candidates.push({ node: ni, victims: r.victims, violations: r.violations });
  }
  if (!candidates.length) {
    for (const ni of allNodes) if (!statuses.has(ni.name)) statuses.set(ni.name, { code: "UnschedulableAndUnresolvable", plugin: "DefaultPreemption", reasons: ["Preemption is not helpful for scheduling"] });
    return { victims: [], message: "preemption: " + fitErrorMessage(allNodes.length, { statuses, plugins: new Set() }) };
  }
  const best = pickCandidate(candidates, priorityOf);
  return { node: best.node.name, victims: best.victims };
}

interface Candidate {
  node: NodeInfo;
  victims: PodInfo[];
  /** Victims whose eviction would break a PodDisruptionBudget. */
  violations: number;
}

/** Splits pods by whether evicting them (in this order) would exceed a PDB's disruptionsAllowed. */
function splitByPDB(pods: PodInfo[], pdbs: KubeObject[]): { violating: Set<PodInfo> } {
  const allowed = pdbs.map((p) => Number(p.status?.disruptionsAllowed ?? 0));
  const selectors = pdbs.map((p) => {
    try {
      const sel = labelSelectorFromSpec(p.spec?.selector ?? null);
      return sel.requirements.length ? sel : undefined;
    } catch {
      return undefined;
    }
  });
  const violating = new Set<PodInfo>();
  for (const e of pods) {
    if (!Object.keys(e.labels).length) continue;
    pdbs.forEach((pdb, i) => {
      const sel = selectors[i];
      if (!sel || pdb.metadata?.namespace !== e.namespace || !matchesLabels(sel, e.labels)) return;
      if (pdb.status?.disruptedPods?.[e.pod.metadata?.name ?? ""]) return;
      if (--allowed[i]! < 0) violating.add(e);
    });
  }
  return { violating };
}

function selectVictims(c: Cycle, ni: NodeInfo, env: FrameworkEnv, priorityOf: (p: PodInfo) => number, allNodes: NodeInfo[], pdbs: KubeObject[]): { victims: PodInfo[]; violations: number } | { status: Status } {
  const lower = [...ni.pods.values()].filter((e) => priorityOf(e) < c.priority);
  if (!lower.length) return { status: { code: "UnschedulableAndUnresolvable", plugin: "DefaultPreemption", reasons: ["No preemption victims found for incoming pod"] } };
  const trial = ni.clone();
  for (const e of lower) trial.removePod(e.key);
  const fits = () => {
    const nodes = allNodes.map((n) => (n === ni ? trial : n));
    const cyc = needsClusterState(c) ? prepareCycle(c.pi, c.priority, nodes, env) : c;
    return !filterNode(cyc, trial, env);
  };
  if (!fits()) {
    const cyc = prepareCycle(c.pi, c.priority, allNodes.map((n) => (n === ni ? trial : n)), env);
    const st = filterNode(cyc, trial, env);
    return { status: st ?? { code: "Unschedulable", plugin: "DefaultPreemption", reasons: ["No preemption victims found for incoming pod"] } };
  }
  // Most important first: higher priority, then earlier start.
  lower.sort((a, b) => priorityOf(b) - priorityOf(a) || startOf(a) - startOf(b));
  // Pods protected by a PDB get the first chance to stay (upstream's reprieve order).
  const { violating } = splitByPDB(lower, pdbs);
  const victims: PodInfo[] = [];
  let violations = 0;
  const reprieve = (e: PodInfo) => {
    trial.addPod(e);
    if (fits()) return;
    trial.removePod(e.key);
    victims.push(e);
    if (violating.has(e)) violations++;
  };
  for (const e of lower) if (violating.has(e)) reprieve(e);
  for (const e of lower) if (!violating.has(e)) reprieve(e);
  return { victims, violations };
}

const needsClusterState = (c: Cycle) => !c.interpod.skip || c.spread.constraints.length > 0;

/** Upstream's order: fewest PDB violations, lowest highest-victim priority, smallest priority sum, fewest victims, latest start. */
function pickCandidate(cs: Candidate[], priorityOf: (p: PodInfo) => number) {
  const key = (x: { victims: PodInfo[] }) => {
    const ps = x.victims.map(priorityOf);
    return {
      highest: ps.length ? Math.max(...ps) : -Infinity,
      sum: ps.reduce((a, b) => a + b + 2 ** 31, 0),
      count: ps.length,
      earliest: x.victims.length ? Math.min(...x.victims.filter((v) => priorityOf(v) === Math.max(...ps)).map(startOf)) : 0,
    };
  };
  return [...cs].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return a.violations - b.violations || ka.highest - kb.highest || ka.sum - kb.sum || ka.count - kb.count || kb.earliest - ka.earliest;
  })[0]!;
}
