// Startup, liveness and readiness probing of one container with every threshold field
// (initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold, failureThreshold).
import { runAction, type ActionTarget } from "./handlers.ts";

export type ProbeKind = "startup" | "liveness" | "readiness";

export interface ProberCallbacks {
  /** readiness changed, or startup finished: resync the pod */
  changed(): void;
  /** liveness or startup failed failureThreshold times: restart the container */
  failed(kind: ProbeKind, output: string, probe: any): void;
  unhealthy(kind: ProbeKind, output: string): void;
}

/** The probes of one container run: stop() when the container exits. */
export class ContainerProber {
  ready = false;
  started: boolean;
  private readonly timers = new Map<ProbeKind, ReturnType<typeof setTimeout>>();
  private stopped = false;

  constructor(private readonly c: any, private readonly target: ActionTarget, private readonly cb: ProberCallbacks, startedAtMs: number) {
    this.started = !c.startupProbe;
    if (!c.readinessProbe) this.ready = this.started;
    const since = Date.now() - startedAtMs;
    if (c.startupProbe) this.schedule("startup", c.startupProbe, since);
    else this.startOthers(since);
  }

  private startOthers(since: number) {
    if (this.c.livenessProbe) this.schedule("liveness", this.c.livenessProbe, since);
    if (this.c.readinessProbe) this.schedule("readiness", this.c.readinessProbe, since);
    else if (!this.ready) {
      this.ready = true;
      this.cb.changed();
    }
  }

  private schedule(kind: ProbeKind, p: any, since: number) {
    const period = (p.periodSeconds ?? 10) * 1000;
    const timeout = (p.timeoutSeconds ?? 1) * 1000;
    const success = kind === "readiness" ? p.successThreshold ?? 1 : 1;
    const failure = p.failureThreshold ?? 3;
    let ok = 0, bad = 0;
    const tick = async () => {
      if (this.stopped) return;
      const r = await runAction(this.target, p, timeout).catch((e) => ({ ok: false, output: String((e as Error).message) }));
      if (this.stopped) return;
      if (r.ok) {
        ok++;
        bad = 0;
        if (ok >= success) {
          if (kind === "startup") {
            this.started = true;
            this.cb.changed();
            this.startOthers(0);
            return; // the startup probe stops once it succeeded
          }
          if (kind === "readiness" && !this.ready) {
            this.ready = true;
            this.cb.changed();
          }
        }
      } else {
        ok = 0;
        bad++;
        this.cb.unhealthy(kind, r.output);
        if (kind === "readiness" && bad >= failure && this.ready) {
          this.ready = false;
          this.cb.changed();
        }
        if (kind !== "readiness" && bad >= failure) {
          this.cb.failed(kind, r.output, p);
          return;
        }
      }
      this.timers.set(kind, setTimeout(tick, period));
    };
    const delay = Math.max(0, (p.initialDelaySeconds ?? 0) * 1000 - since);
    this.timers.set(kind, setTimeout(tick, delay));
  }

  stop() {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
