// Container output → CRI log lines: `<RFC3339Nano> stdout|stderr F|P <line>`.
import { openSync, closeSync, writeSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { sysRead } from "../../ffi/libc.ts";

/** The kubelet's default maximum line: longer lines are split into P (partial) records. */
export const MAX_LINE = 16 * 1024;

/** RFC3339 with nine fraction digits, UTC; the clock gives microseconds, so the last three are 0. */
export function rfc3339Nano(ms = performance.timeOrigin + performance.now()): string {
  const whole = Math.floor(ms);
  const us = Math.min(999, Math.round((ms - whole) * 1000));
  const iso = new Date(whole).toISOString(); // 2026-11-27T02:41:00.123Z
  return `${iso.slice(0, 23)}${String(us).padStart(3, "0")}000Z`;
}

export type StreamName = "stdout" | "stderr";

/** Splits a byte stream into CRI records; keeps the unterminated tail until a newline or MAX_LINE. */
export class CriLineWriter {
  private pending: Record<StreamName, Buffer> = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  private fd: number;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, "a", 0o640);
  }

  write(stream: StreamName, chunk: Uint8Array): void {
    let buf = this.pending[stream].length ? Buffer.concat([this.pending[stream], chunk]) : Buffer.from(chunk);
    const out: string[] = [];
    const ts = rfc3339Nano();
    for (;;) {
      const nl = buf.indexOf(10);
      if (nl >= 0 && nl <= MAX_LINE) {
        out.push(`${ts} ${stream} F ${buf.toString("utf8", 0, nl)}\n`);
        buf = buf.subarray(nl + 1);
      } else if (buf.length >= MAX_LINE) {
        out.push(`${ts} ${stream} P ${buf.toString("utf8", 0, MAX_LINE)}\n`);
        buf = buf.subarray(MAX_LINE);
      } else break;
    }
    this.pending[stream] = Buffer.from(buf);
    if (out.length) writeSync(this.fd, out.join(""));
  }

  /** continue in a fresh file at the same path (after the kubelet renamed the old one) */
  reopen(): void {
    closeSync(this.fd);
    this.fd = openSync(this.path, "a", 0o640);
  }

  /** write out an unterminated last line (at EOF) */
  flush(stream: StreamName): void {
    const rest = this.pending[stream];
    if (rest.length) writeSync(this.fd, `${rfc3339Nano()} ${stream} F ${rest.toString("utf8")}\n`);
    this.pending[stream] = Buffer.alloc(0);
  }

  close(): void {
    this.flush("stdout");
    this.flush("stderr");
    closeSync(this.fd);
  }
}

// one read buffer for every pump: drains are synchronous, and a per-container buffer would cost 64 KiB each
const sharedBuf = new Uint8Array(64 * 1024);

/** Reads non-blocking fds (FIFOs, a pty master) into a CriLineWriter; polled by the runtime. */
export class LogPump {
  private readonly buf = sharedBuf;
  private open: Map<StreamName, number>;
  private listeners = new Set<(stream: StreamName, chunk: Uint8Array) => void>();

  constructor(private readonly writer: CriLineWriter, fds: Partial<Record<StreamName, number>>) {
    this.open = new Map(Object.entries(fds) as [StreamName, number][]);
  }

  reopenLog(): void {
    this.writer.reopen();
  }

  /** follow raw output (attach) */
  subscribe(fn: (stream: StreamName, chunk: Uint8Array) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** the fds still open (to poll them all at once) */
  fds(): number[] {
    return [...this.open.values()];
  }

  /** read everything available now (only from fds in `ready` when given); true once every stream reached EOF */
  drain(ready?: Set<number>): boolean {
    for (const [stream, fd] of this.open) {
      if (ready && !ready.has(fd)) continue;
      for (let i = 0; i < 64; i++) {
        let n: number;
        try {
          n = sysRead(fd, this.buf);
        } catch {
          n = 0; // EIO from a pty master whose slave closed: treat as EOF
        }
        if (n < 0) break;
        if (n === 0) {
          this.writer.flush(stream);
          this.open.delete(stream);
          try {
            closeSync(fd);
          } catch {}
          break;
        }
        const chunk = this.buf.slice(0, n);
        this.writer.write(stream, chunk);
        for (const l of this.listeners) l(stream, chunk);
      }
    }
    return this.open.size === 0;
  }

  close(): void {
    for (const fd of this.open.values()) {
      try {
        closeSync(fd);
      } catch {}
    }
    this.open.clear();
    this.writer.close();
  }
}
