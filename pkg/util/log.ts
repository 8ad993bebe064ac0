// Structured logs: one line per event, component and object named, verbosity levels.
// Libraries return errors; only long-running components log.

export type Level = "debug" | "info" | "warn" | "error";
export type Fields = Record<string, unknown>;

export interface Logger {
  /** Verbose detail, shown when the process verbosity is >= v (k8s -v style). */
  v(v: number, msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(component: string): Logger;
}

export interface LogSink {
  verbosity: number;
  /** "text" for terminals and journald, "json" for machines. */
  format: "text" | "json";
  write(line: string): void;
}

const defaultSink: LogSink = { verbosity: 0, format: "text", write: (l) => process.stderr.write(l + "\n") };
let sink: LogSink = defaultSink;

/** Set once by cmd/ from flags. */
export function configureLogging(s: Partial<LogSink>): void {
  sink = { ...sink, ...s };
}

const quote = (v: unknown) => {
  const s = typeof v === "string" ? v : v instanceof Error ? v.message : JSON.stringify(v);
  return /[\s"=]/.test(s ?? "") ? JSON.stringify(s) : String(s);
};

function emit(level: Level, component: string, msg: string, fields?: Fields) {
  const ts = new Date().toISOString();
  if (sink.format === "json") {
    sink.write(JSON.stringify({ ts, level, component, msg, ...fields }));
    return;
  }
  let line = `${ts} ${level.toUpperCase().padEnd(5)} ${component}: ${msg}`;
  if (fields) for (const [k, v] of Object.entries(fields)) if (v !== undefined) line += ` ${k}=${quote(v)}`;
  sink.write(line);
}

export function createLogger(component: string): Logger {
  return {
    v: (v, msg, f) => {
      if (sink.verbosity >= v) emit("debug", component, msg, f);
    },
    info: (msg, f) => emit("info", component, msg, f),
    warn: (msg, f) => emit("warn", component, msg, f),
    error: (msg, f) => emit("error", component, msg, f),
    child: (c) => createLogger(`${component}/${c}`),
  };
}
