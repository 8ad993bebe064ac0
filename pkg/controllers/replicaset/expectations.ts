// Controller expectations (upstream UIDTrackingControllerExpectations): after asking for N
// creations or deletions, a controller waits to see them in its cache before acting again,
// so a lagging cache never causes double creation. Expectations expire after a while.
export interface Expectations {
  expectCreations(key: string, n: number): void;
  expectDeletions(key: string, podKeys: string[]): void;
  creationObserved(key: string): void;
  deletionObserved(key: string, podKey: string): void;
  /** Lowers expectations for requests that failed or were never sent. */
  lowerCreations(key: string, n: number): void;
  satisfied(key: string): boolean;
  delete(key: string): void;
}

export function createExpectations(ttlMs = 5 * 60_000, now = () => Date.now()): Expectations {
  const m = new Map<string, { add: number; dels: Set<string>; at: number }>();
  const entry = (key: string) => {
    let e = m.get(key);
    if (!e) m.set(key, (e = { add: 0, dels: new Set(), at: now() }));
    return e;
  };
  return {
    expectCreations(key, n) {
      const e = entry(key);
      e.add = n;
      e.at = now();
    },
    expectDeletions(key, podKeys) {
      const e = entry(key);
      e.dels = new Set(podKeys);
      e.at = now();
    },
    creationObserved(key) {
      const e = m.get(key);
      if (e && e.add > 0) e.add--;
    },
    lowerCreations(key, n) {
      const e = m.get(key);
      if (e) e.add = Math.max(0, e.add - n);
    },
    deletionObserved(key, podKey) {
      m.get(key)?.dels.delete(podKey);
    },
    satisfied(key) {
      const e = m.get(key);
      if (!e) return true;
      return (e.add <= 0 && e.dels.size === 0) || now() - e.at > ttlMs;
    },
    delete(key) {
      m.delete(key);
    },
  };
}
