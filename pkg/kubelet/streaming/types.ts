// Contracts of the exec/attach/port-forward streaming protocols (server side, runtime-agnostic).
// Streams are Node streams: stdin is a Readable, stdout/stderr are Writables.
import type { Duplex, Readable, Writable } from "node:stream";

/** Which negotiated wire protocol carries the session. */
export type RemoteCommandProtocol =
  | "v5.channel.k8s.io"
  | "v4.channel.k8s.io"
  | "v4.base64.channel.k8s.io"
  | "base64.channel.k8s.io"
  | "channel.k8s.io"
  | "spdy/v4.channel.k8s.io"
  | "spdy/v3.channel.k8s.io"
  | "spdy/v2.channel.k8s.io"
  | "spdy/channel.k8s.io";

export interface RemoteCommandOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export interface TerminalSize {
  width: number;
  height: number;
}

export type RemoteCommandResult = { exitCode: number } | { error: string };

export interface RemoteCommandSession {
  protocol: RemoteCommandProtocol;
  /** Client input; ends when the client closes stdin (or the session ends). Present iff opts.stdin. */
  stdin?: Readable;
  /** Present iff opts.stdout. Ending it is optional: close() ends it. */
  stdout?: Writable;
  /** Present iff opts.stderr and not tty (a tty merges stderr into stdout). */
  stderr?: Writable;
  /** Terminal size changes (tty only); the iterator finishes when the session ends. */
  resize: AsyncIterable<TerminalSize>;
  /** Flush output, report the exit status (or error) to the client and hang up. Idempotent. */
  close(result: RemoteCommandResult): Promise<void>;
  /** Resolves when the connection is gone (client hung up or close() finished). */
  closed: Promise<void>;
}

export interface PortForwardOptions {
  /** From the `ports` query parameter; required by the WebSocket channel protocol, may be empty for SPDY. */
  ports: number[];
  /** Connect to `port` in the pod (e.g. TCP inside its network namespace). */
  dial: (port: number) => Promise<Duplex>;
  /** How long to wait for a stream's partner (error/data) before giving up; default 30 s. */
  streamPairTimeoutMs?: number;
}

export interface RemoteCommandQuery {
  command: string[];
  container?: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}
