// Deployment controller (upstream pkg/controller/deployment): rolling and recreate rollouts
// over ReplicaSets, proportional scaling, pause, revisions, history cleanup and status.
import type { KubeObject } from "../../api/types.ts";
import { StatusError } from "../../api/errors.ts";
import { labelSelectorFromSpec, matchesLabels } from "../../api/selectors/index.ts";
import { createWorkQueue, INDEX_NAMESPACE, metaNamespaceKey } from "../../client/index.ts";
import { controllerRef } from "../shared/handlers.ts";
import { runController } from "../shared/runner.ts";
import type { ControllerContext, RunningControllers } from "../types.ts";
import { PODS } from "../replicaset/replicaset.ts";
import { byCreation, createRSOps, DEPLOYMENTS, newRSNewReplicas, REPLICASETS, specReplicas, sumSpec } from "./replicasets.ts";
import { calculateStatus, compactStatus, deploymentComplete, progressDeadline, rolloutStatus, stuckRequeueMs, type DeploymentStatus } from "./status.ts";
import { canonical, DESIRED_REPLICAS, equalIgnoreHash, getCondition, isRolling, MAX_REPLICAS, maxRevision, maxSurge, maxUnavailable, newCondition, replicasOf, REVISION, setCondition } from "./util.ts";

interface World {
  d: KubeObject;
  newRS?: KubeObject;
  old: KubeObject[];
}
const all = (w: World) => (w.newRS ? [...w.old, w.newRS] : [...w.old]);
const replace = (w: World, rs: KubeObject) => {
  if (w.newRS?.metadata?.uid === rs.metadata?.uid) w.newRS = rs;
  else w.old = w.old.map((o) => (o.metadata?.uid === rs.metadata?.uid ? rs : o));
};

export function startDeploymentController(ctx: ControllerContext, opts: { workers?: number } = {}): RunningControllers {
  const { client } = ctx;
  const queue = createWorkQueue<string>();
  const deployments = ctx.informers.forResource(DEPLOYMENTS);
  const replicasets = ctx.informers.forResource(REPLICASETS);
  const pods = ctx.informers.forResource(PODS);
  const recorder = ctx.recorder("deployment-controller");
  const rsops = createRSOps(client, recorder);
  const now = () => ctx.config.now();

  const enqueueForRS = (rs: KubeObject) => {
    const ref = controllerRef(rs);
    if (ref) {
      if (ref.kind === "Deployment") queue.add(`${rs.metadata!.namespace}/${ref.name}`);
      return;
    }
    for (const d of deployments.store.byIndex(INDEX_NAMESPACE, rs.metadata!.namespace!))
      if (matchesLabels(labelSelectorFromSpec(d.spec?.selector), rs.metadata?.labels)) queue.add(metaNamespaceKey(d));
  };
  deployments.addEventHandler({ onAdd: (d) => queue.add(metaNamespaceKey(d)), onUpdate: (_o, d) => queue.add(metaNamespaceKey(d)), onDelete: (d) => queue.add(metaNamespaceKey(d)) });
  replicasets.addEventHandler({
    onAdd: enqueueForRS,
    onUpdate(old, cur) {
      if (controllerRef(old)?.uid !== controllerRef(cur)?.uid) enqueueForRS(old);
      enqueueForRS(cur);
    },
    onDelete: enqueueForRS,
  });
  // Recreate waits for the old pods to be gone.
  pods.addEventHandler({
    onDelete(p) {
      const ref = controllerRef(p);
      if (ref?.kind !== "ReplicaSet") return;
      const rs = replicasets.store.get(`${p.metadata!.namespace}/${ref.name}`);
      if (rs) enqueueForRS(rs);
    },
  });

  const writeStatus = async (w: World, st: DeploymentStatus) => {
    const next = compactStatus(st);
    if (canonical(next) === canonical(w.d.status ?? {})) return;
    const out = await client.updateStatus<KubeObject>(DEPLOYMENTS, { ...w.d, status: next });
    w.d = { ...w.d, metadata: out.metadata, status: out.status };
  };
  const setRevision = async (w: World, revision: string) => {
    if (w.d.metadata?.annotations?.[REVISION] === revision) return;
    const out = await client.patch<KubeObject>(DEPLOYMENTS, w.d.metadata!.name!, "merge", { metadata: { annotations: { [REVISION]: revision } } }, { namespace: w.d.metadata!.namespace });
    w.d = { ...w.d, metadata: out.metadata };
  };

  /** getAllReplicaSetsAndSyncRevision. */
  const resolve = async (w: World, rsList: KubeObject[], create: boolean) => {
    const sorted = [...rsList].sort(byCreation);
    const found = sorted.find((rs) => equalIgnoreHash(rs.spec?.template, w.d.spec?.template));
    w.old = rsList.filter((rs) => rs !== found);
    w.newRS = undefined;
    if (found) {
      w.newRS = await rsops.refresh(w.d, found, w.old);
      await setRevision(w, w.newRS.metadata?.annotations?.[REVISION] ?? "");
      if (!getCondition(w.d.status, "Progressing") && progressDeadline(w.d) !== undefined) {
        const st: DeploymentStatus = structuredClone(w.d.status ?? {});
        setCondition(st, newCondition("Progressing", "True", "FoundNewReplicaSet", `Found new replica set "${w.newRS.metadata!.name}"`, now()));
        await writeStatus(w, st);
      }
      return;
    }
    if (!create) return;
    const revision = maxRevision(w.old) + 1;
    const created = await rsops.create(w.d, w.old, revision, (rs) => newRSNewReplicas(w.d, [...w.old, rs], rs));
    if (created === "collision") {
      const st: DeploymentStatus = structuredClone(w.d.status ?? {});
      st.collisionCount = (st.collisionCount ?? 0) + 1;
      await writeStatus(w, st);
      throw new Error(`hash collision for deployment ${w.d.metadata!.name}; collisionCount now ${st.collisionCount}`);
    }
    w.newRS = created;
    await setRevision(w, String(revision));
    const st: DeploymentStatus = structuredClone(w.d.status ?? {});
    if (progressDeadline(w.d) !== undefined) setCondition(st, newCondition("Progressing", "True", "NewReplicaSetCreated", `Created new replica set "${created.metadata!.name}"`, now()));
    await writeStatus(w, st);
  };

  const scaleTo = async (w: World, rs: KubeObject, n: number) => {
    const r = await rsops.scale(rs, n, w.d);
    replace(w, r.rs);
    return r.scaled;
  };

  const syncRollout = async (w: World, key: string) => {
    const st = rolloutStatus(all(w), w.newRS, w.d, now());
    await writeStatus(w, st);
    const ms = stuckRequeueMs(w.d, st, now());
    if (ms !== undefined) queue.addAfter(key, ms);
  };

  /** Upstream `scale`: one active ReplicaSet takes the new size; several share it in proportion. */
  const scale = async (w: World) => {
    const d = w.d;
    const active = all(w).filter((rs) => specReplicas(rs) > 0);
    let target: KubeObject | undefined;
    if (active.length === 0) target = w.newRS ?? [...w.old].sort(byCreation).at(-1);
    else if (active.length === 1) target = active[0];
    if (target || all(w).length === 0) {
      if (target && specReplicas(target) !== replicasOf(d)) await scaleTo(w, target, replicasOf(d));
      return;
    }
    const nr = w.newRS;
    if (nr && specReplicas(nr) === replicasOf(d) && nr.metadata?.annotations?.[DESIRED_REPLICAS] === String(replicasOf(d)) && (nr.status?.availableReplicas ?? 0) === replicasOf(d)) {
      for (const rs of w.old.filter((r) => specReplicas(r) > 0)) await scaleTo(w, rs, 0);
      return;
    }
    if (!isRolling(d)) return;
    const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
    const toAdd = allowed - sumSpec(active);
    const sorted = [...active].sort((a, b) => (toAdd > 0 ? specReplicas(b) - specReplicas(a) || byCreation(b, a) : specReplicas(b) - specReplicas(a) || byCreation(a, b)));
    const sizes = new Map<string, number>();
    let added = 0;
    for (const rs of sorted) {
      let prop = 0;
      if (toAdd !== 0) {
        let fraction: number;
        if (replicasOf(d) === 0) fraction = -specReplicas(rs);
        else {
          const annotated = Number(rs.metadata?.annotations?.[MAX_REPLICAS] ?? d.status?.replicas ?? 0) || (d.status?.replicas ?? 0);
          fraction = annotated ? Math.round((specReplicas(rs) * (replicasOf(d) + maxSurge(d))) / annotated) - specReplicas(rs) : 0;
        }
        const left = toAdd - added;
        prop = toAdd > 0 ? Math.min(fraction, left) : Math.max(fraction, left);
      }
      sizes.set(rs.metadata!.uid!, specReplicas(rs) + prop);
      added += prop;
    }
    if (toAdd !== 0 && sorted.length) {
      const first = sorted[0]!.metadata!.uid!;
      sizes.set(first, Math.max(0, sizes.get(first)! + toAdd - added));
    }
    for (const rs of sorted) await scaleTo(w, rs, sizes.get(rs.metadata!.uid!)!);
  };

  const rolling = async (w: World, rsList: KubeObject[], key: string) => {
    await resolve(w, rsList, true);
    const d = w.d;
    const nr = w.newRS!;
    // reconcileNewReplicaSet
    if (specReplicas(nr) !== replicasOf(d)) {
      const n = specReplicas(nr) > replicasOf(d) ? replicasOf(d) : newRSNewReplicas(d, all(w), nr);
      if (await scaleTo(w, nr, n)) return syncRollout(w, key);
    }
    // reconcileOldReplicaSets
    if (sumSpec(w.old) > 0) {
      const minAvailable = replicasOf(d) - maxUnavailable(d);
      const newUnavailable = specReplicas(w.newRS) - (w.newRS!.status?.availableReplicas ?? 0);
      const maxScaledDown = sumSpec(all(w)) - minAvailable - newUnavailable;
      let total = 0;
      if (maxScaledDown > 0) {
        // cleanupUnhealthyReplicas: old pods that are not available go first.
        for (const rs of [...w.old].sort(byCreation)) {
          if (total >= maxScaledDown) break;
          const avail = rs.status?.availableReplicas ?? 0;
          if (specReplicas(rs) === 0 || avail === specReplicas(rs)) continue;
          const down = Math.min(maxScaledDown - total, specReplicas(rs) - avail);
          await scaleTo(w, rs, specReplicas(rs) - down);
          total += down;
        }
        // scaleDownOldReplicaSetsForRollingUpdate
        const availableNow = all(w).reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
        if (availableNow > minAvailable) {
          const budget = availableNow - minAvailable;
          let done = 0;
          for (const rs of [...w.old].sort(byCreation)) {
            if (done >= budget) break;
            if (specReplicas(rs) === 0) continue;
            const down = Math.min(specReplicas(rs), budget - done);
            await scaleTo(w, rs, specReplicas(rs) - down);
            done += down;
          }
          total += done;
        }
      }
      if (total > 0) return syncRollout(w, key);
    }
    if (deploymentComplete(d, d.status ?? {})) await rsops.cleanup(w.old, w.d);
    return syncRollout(w, key);
  };

  const recreate = async (w: World, rsList: KubeObject[], key: string) => {
    await resolve(w, rsList, false);
    let down = false;
    for (const rs of w.old.filter((r) => specReplicas(r) > 0)) down = (await scaleTo(w, rs, 0)) || down;
    if (down) return syncRollout(w, key);
    const oldUIDs = new Set(w.old.map((rs) => rs.metadata!.uid));
    const oldRunning =
      w.old.some((rs) => (rs.status?.replicas ?? 0) > 0) ||
      pods.store.byIndex(INDEX_NAMESPACE, w.d.metadata!.namespace!).some((p) => oldUIDs.has(controllerRef(p)?.uid ?? "") && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed");
    if (oldRunning) return syncRollout(w, key);
    if (!w.newRS) await resolve(w, rsList, true);
    await scaleTo(w, w.newRS!, replicasOf(w.d));
    if (deploymentComplete(w.d, w.d.status ?? {})) await rsops.cleanup(w.old, w.d);
    return syncRollout(w, key);
  };

  const sync = async (key: string) => {
    const cached = deployments.store.get(key);
    if (!cached) return;
    const w: World = { d: structuredClone(cached), old: [] };
    const sel = w.d.spec?.selector;
    if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)) {
      recorder.event(w.d, "Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
      if ((w.d.status?.observedGeneration ?? 0) < (w.d.metadata?.generation ?? 0)) await writeStatus(w, { ...(w.d.status ?? {}), observedGeneration: w.d.metadata?.generation });
      return;
    }
    const rsList = await rsops.claim(w.d, replicasets.store.byIndex(INDEX_NAMESPACE, w.d.metadata!.namespace!));
    if (w.d.metadata?.deletionTimestamp) {
      await resolve(w, rsList, false);
      return writeStatus(w, calculateStatus(all(w), w.newRS, w.d, now()));
    }
    // checkPausedConditions
    if (progressDeadline(w.d) !== undefined) {
      const c = getCondition(w.d.status, "Progressing");
      const pausedCond = c?.reason === "DeploymentPaused";
      const st: DeploymentStatus = structuredClone(w.d.status ?? {});
      if (w.d.spec?.paused && !pausedCond) {
        setCondition(st, newCondition("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", now()));
        await writeStatus(w, st);
      } else if (!w.d.spec?.paused && pausedCond) {
        setCondition(st, newCondition("Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed", now()));
        await writeStatus(w, st);
      }
    }
    const scalingEvent = async () => {
      await resolve(w, rsList, false);
      return all(w).some((rs) => specReplicas(rs) > 0 && rs.metadata?.annotations?.[DESIRED_REPLICAS] !== undefined && rs.metadata.annotations[DESIRED_REPLICAS] !== String(replicasOf(w.d)));
    };
    if (w.d.spec?.paused || (await scalingEvent())) {
      await resolve(w, rsList, false);
      await scale(w);
      if (w.d.spec?.paused) await rsops.cleanup(w.old, w.d);
      return writeStatus(w, calculateStatus(all(w), w.newRS, w.d, now()));
    }
    if (w.d.spec?.strategy?.type === "Recreate") return recreate(w, rsList, key);
    return rolling(w, rsList, key);
  };

  const running = runController({
    name: "deployment",
    workers: opts.workers ?? 5,
    queue,
    sync: async (key) => {
      try {
        await sync(key);
      } catch (e) {
        if (e instanceof StatusError && e.code === 404) return;
        throw e;
      }
    },
    logger: ctx.logger,
  });
  return { stop: () => running.stop() };
}
