// kubectl's rollout status viewers (polymorphichelpers): the message for one state and
// whether the rollout is done; an Error for states that can never finish.

export function rolloutStatus(kind: string, o: any): { msg: string; done: boolean } {
  const name = o.metadata?.name;
  const gen = o.metadata?.generation ?? 0;
  const st = o.status ?? {};
  if (kind === "Deployment") {
    if (gen > (st.observedGeneration ?? 0)) return { msg: "Waiting for deployment spec update to be observed...\n", done: false };
    const cond = (st.conditions ?? []).find((c: any) => c.type === "Progressing");
    if (cond?.reason === "ProgressDeadlineExceeded") throw new Error(`deployment "${name}" exceeded its progress deadline`);
    const updated = st.updatedReplicas ?? 0;
    const want = o.spec?.replicas;
    if (want !== undefined && updated < want) return { msg: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...\n`, done: false };
    if ((st.replicas ?? 0) > updated) return { msg: `Waiting for deployment "${name}" rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...\n`, done: false };
    if ((st.availableReplicas ?? 0) < updated) return { msg: `Waiting for deployment "${name}" rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`, done: false };
    return { msg: `deployment "${name}" successfully rolled out\n`, done: true };
  }
  if (kind === "DaemonSet") {
    if (o.spec?.updateStrategy?.type && o.spec.updateStrategy.type !== "RollingUpdate") throw new Error("rollout status is only available for RollingUpdate strategy type");
    if (gen > (st.observedGeneration ?? 0)) return { msg: "Waiting for daemon set spec update to be observed...\n", done: false };
    const desired = st.desiredNumberScheduled ?? 0;
    if ((st.updatedNumberScheduled ?? 0) < desired) return { msg: `Waiting for daemon set "${name}" rollout to finish: ${st.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...\n`, done: false };
    if ((st.numberAvailable ?? 0) < desired) return { msg: `Waiting for daemon set "${name}" rollout to finish: ${st.numberAvailable ?? 0} of ${desired} updated pods are available...\n`, done: false };
    return { msg: `daemon set "${name}" successfully rolled out\n`, done: true };
  }
  if (kind === "StatefulSet") {
    if (o.spec?.updateStrategy?.type && o.spec.updateStrategy.type !== "RollingUpdate") throw new Error("rollout status is only available for RollingUpdate strategy type");
    if (!st.observedGeneration || gen > st.observedGeneration) return { msg: "Waiting for statefulset spec update to be observed...\n", done: false };
    const want = o.spec?.replicas;
    if (want !== undefined && (st.readyReplicas ?? 0) < want) return { msg: `Waiting for ${want - (st.readyReplicas ?? 0)} pods to be ready...\n`, done: false };
    const partition = o.spec?.updateStrategy?.rollingUpdate?.partition;
    if (partition && want !== undefined) {
      if ((st.updatedReplicas ?? 0) < want - partition) {
        return { msg: `Waiting for partitioned roll out to finish: ${st.updatedReplicas ?? 0} out of ${want - partition} new pods have been updated...\n`, done: false };
      }
      return { msg: `partitioned roll out complete: ${st.updatedReplicas ?? 0} new pods have been updated...\n`, done: true };
    }
    if (st.updateRevision !== st.currentRevision) {
      return { msg: `waiting for statefulset rolling update to complete ${st.updatedReplicas ?? 0} pods at revision ${st.updateRevision}...\n`, done: false };
    }
    return { msg: `statefulset rolling update complete ${st.currentReplicas ?? 0} pods at revision ${st.currentRevision}...\n`, done: true };
  }
  throw new Error(`no status viewer has been implemented for ${kind}`);
}
