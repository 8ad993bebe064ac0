// Rate limiters for the work queue (client-go util/workqueue default_rate_limiters.go).
import type { RateLimiter } from "./types.ts";

export type Clock = () => number;

/** Per-key exponential back-off: base · 2^failures, capped (default 5 ms → 1000 s). */
export function exponentialFailureRateLimiter<K = string>(baseMs = 5, maxMs = 1_000_000): RateLimiter<K> {
  const failures = new Map<K, number>();
  return {
    when(key) {
      const n = failures.get(key) ?? 0;
      failures.set(key, n + 1);
      // 2^n overflows to Infinity long before it matters; cap first.
      return Math.min(baseMs * Math.pow(2, Math.min(n, 64)), maxMs);
    },
    forget: (key) => void failures.delete(key),
    numRequeues: (key) => failures.get(key) ?? 0,
  };
}

/**
 * An overall token bucket (golang.org/x/time/rate): `qps` tokens per second, `burst` at most.
 * Each when() reserves one token and returns how long until it is available.
 */
export function bucketRateLimiter<K = string>(qps = 10, burst = 100, now: Clock = Date.now): RateLimiter<K> {
  let tokens = burst;
  let last = now();
  return {
    when() {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - last) / 1000) * qps);
      last = t;
      tokens -= 1;
      return tokens >= 0 ? 0 : Math.ceil((-tokens / qps) * 1000);
    },
    forget() {},
    numRequeues: () => 0,
  };
}

/** The slowest of several limiters wins (client-go's MaxOfRateLimiter). */
export function maxOfRateLimiter<K = string>(...limiters: RateLimiter<K>[]): RateLimiter<K> {
  return {
    when: (key) => Math.max(0, ...limiters.map((l) => l.when(key))),
    forget: (key) => limiters.forEach((l) => l.forget(key)),
    numRequeues: (key) => Math.max(0, ...limiters.map((l) => l.numRequeues(key))),
  };
}

/** client-go's DefaultControllerRateLimiter: per-key 5 ms…1000 s, overall 10 qps with burst 100. */
export function defaultControllerRateLimiter<K = string>(now: Clock = Date.now): RateLimiter<K> {
  return maxOfRateLimiter<K>(exponentialFailureRateLimiter<K>(5, 1_000_000), bucketRateLimiter<K>(10, 100, now));
}
