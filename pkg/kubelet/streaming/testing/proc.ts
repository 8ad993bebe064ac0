// Test-only: run a process with a deadline, watch its output, kill it only by its own pid.
import type { Subprocess } from "bun";

export interface Running {
  proc: Subprocess<"pipe", "pipe", "pipe">;
  out(): string;
  err(): string;
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  write(s: string | Uint8Array): void;
  exited: Promise<number>;
  kill(): void;
}

export function start(cmd: string[], env: Record<string, string>, timeoutMs = 30_000): Running {
  const proc = Bun.spawn(cmd, { env, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
  let out = "";
  let err = "";
  const collect = async (s: ReadableStream<Uint8Array>, add: (t: string) => void) => {
    const dec = new TextDecoder();
    for await (const chunk of s) add(dec.decode(chunk, { stream: true }));
  };
  const outDone = collect(proc.stdout, (t) => (out += t));
  const errDone = collect(proc.stderr, (t) => (err += t));
  const deadline = setTimeout(() => proc.kill(9), timeoutMs);
  const exited = proc.exited.then(async (code) => {
    clearTimeout(deadline);
    await Promise.all([outDone, errDone]);
    return code;
  });
  return {
    proc,
    out: () => out,
    err: () => err,
    exited,
    write(s) {
      proc.stdin.write(s);
      proc.stdin.flush();
    },
    kill: () => proc.kill(),
    async waitFor(re, waitMs = 10_000) {
      const until = Date.now() + waitMs;
      for (;;) {
        const m = re.exec(out + err);
        if (m) return m;
        if (Date.now() > until || proc.exitCode !== null) {
          throw new Error(`timed out waiting for ${re}: stdout=${JSON.stringify(out)} stderr=${JSON.stringify(err)}`);
        }
        await Bun.sleep(20);
      }
    },
  };
}

/** Run to completion with optional stdin; returns exit code and output. */
export async function run(cmd: string[], env: Record<string, string>, stdin?: Uint8Array | string, timeoutMs = 30_000) {
  const r = start(cmd, env, timeoutMs);
  if (stdin !== undefined) r.write(stdin);
  r.proc.stdin.end();
  const code = await r.exited;
  return { code, stdout: r.out(), stderr: r.err() };
}
