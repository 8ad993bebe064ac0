// Kubernetes version priority (GA > beta > alpha, then higher numbers first), as apimachinery's CompareKubeAwareVersionStrings.
const RE = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

function rank(v: string): [number, number, number] | undefined {
  const m = RE.exec(v);
  if (!m) return undefined;
  const stage = m[2] === undefined ? 2 : m[2] === "beta" ? 1 : 0;
  return [stage, Number(m[1]), Number(m[3] ?? 0)];
}

/** Sort comparator putting the most preferred version first. */
export function compareVersions(a: string, b: string): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra && rb) {
    for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return rb[i]! - ra[i]!;
    return 0;
  }
  if (ra) return -1;
  if (rb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
