// kubectl cp: files and directories to and from a container, through `tar` run in it over exec.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync } from "node:fs";
import { basename, dirname, join, posix, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import tar from "tar-stream";
import { flagStr, UsageError, type ParsedArgs } from "./args.ts";
import { CmdError, type Ctx } from "./ctx.ts";
import { execInPod } from "./cmd-exec.ts";
import type { Command } from "./index.ts";
import { containerFor } from "./pods.ts";

export interface CpSpec {
  namespace?: string;
  pod?: string;
  path: string;
}

/** `[namespace/]pod:path` or a local path (a colon only counts before the first slash). */
export function parseCpSpec(s: string): CpSpec {
  const colon = s.indexOf(":");
  const slash = s.indexOf("/");
  if (colon <= 0 || (slash >= 0 && slash < colon && s.slice(0, slash).includes("."))) return { path: s };
  const head = s.slice(0, colon);
  const path = s.slice(colon + 1);
  const parts = head.split("/");
  if (parts.length > 2) return { path: s };
  return parts.length === 2 ? { namespace: parts[0], pod: parts[1], path } : { pod: parts[0], path };
}

async function packLocal(src: string, archiveName: string): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on("data", (c: unknown) => void chunks.push(c as Buffer));
  const done = new Promise<void>((r) => pack.on("end", () => r()));
  const add = (p: string, name: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      pack.entry({ name: name + "/", type: "directory", mode: st.mode & 0o7777, mtime: st.mtime });
      for (const e of readdirSync(p).sort()) add(join(p, e), `${name}/${e}`);
    } else if (st.isFile()) {
      pack.entry({ name, mode: st.mode & 0o7777, mtime: st.mtime, size: st.size }, readFileSync(p));
    }
  };
  add(src, archiveName);
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Unpacks entries under `prefix` (the source's base name) into `dest`; refuses paths escaping it. */
async function unpackTo(buf: Buffer, prefix: string, dest: string): Promise<number> {
  const ex = tar.extract();
  let files = 0;
  const root = resolve(dest);
  const finished = new Promise<void>((res, rej) => {
    ex.on("entry", (h, stream, next) => {
      const name = h.name.replace(/^\/+/, "").replace(/\/+$/, "");
      const rel = name === prefix ? "" : name.startsWith(prefix + "/") ? name.slice(prefix.length + 1) : undefined;
      const target = rel === undefined ? undefined : resolve(root, rel);
      if (target === undefined || (target !== root && !target.startsWith(root + sep))) {
        stream.resume();
        stream.on("end", next);
        return;
      }
      if (h.type === "directory") {
        mkdirSync(target, { recursive: true });
        stream.resume();
        stream.on("end", next);
        return;
      }
      const parts: Buffer[] = [];
      stream.on("data", (c: unknown) => void parts.push(c as Buffer));
      stream.on("end", () => {
        if (h.type === "file") {
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, Buffer.concat(parts), { mode: h.mode ?? 0o644 });
          files++;
        }
        next();
      });
    });
    ex.on("finish", () => res());
    ex.on("error", rej);
  });
  ex.end(buf);
  await finished;
  return files;
}

async function cp(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const [a, b] = args.positionals;
  if (!a || !b) throw new UsageError("source and destination are required");
  const src = parseCpSpec(a);
  const dst = parseCpSpec(b);
  if (src.pod && dst.pod) throw new UsageError("one of src or dest must be a local file specification");
  if (!src.pod && !dst.pod) throw new UsageError("one of src or dest must be a remote file specification");
  const remote = (src.pod ? src : dst) as Required<Pick<CpSpec, "pod">> & CpSpec;
  if (!remote.path) throw new CmdError("error: remote path cannot be empty");
  const ns = remote.namespace ?? ctx.namespace;
  const pod: any = await ctx.conn.client.request("GET", `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(remote.pod)}`);
  const container = containerFor(ctx, pod, flagStr(args, "container"));
  const run = async (command: string[], stdin?: Buffer) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const code = await execInPod(ctx, pod, { command, container, stdin: !!stdin, tty: false }, {
      stdin: stdin ? Readable.from([stdin]) : undefined,
      stdout: (x) => out.push(Buffer.from(x)),
      stderr: (x) => err.push(Buffer.from(x)),
    });
    return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8") };
  };

  if (dst.pod) {
    if (!existsSync(src.path)) throw new CmdError(`error: ${src.path} doesn't exist in local filesystem`);
    let target = dst.path;
    // An existing directory receives the source under its own name.
    if ((await run(["test", "-d", target])).code === 0) target = posix.join(target, basename(resolve(src.path)));
    const archive = await packLocal(src.path, posix.basename(target));
    const dir = posix.dirname(target);
    const r = await run(["tar", "-xmf", "-", "-C", dir], archive);
    if (r.stderr) ctx.err(r.stderr);
    return r.code === 0 ? 0 : 1;
  }
  const srcPath = src.path.replace(/\/+$/, "") || "/";
  const base = posix.basename(srcPath);
  const r = await run(["tar", "cf", "-", "-C", posix.dirname(srcPath), base]);
  if (r.code !== 0 || !r.stdout.length) {
    ctx.err(r.stderr);
    throw new CmdError(`error: ${srcPath}: No such file or directory`);
  }
  let dest = dst.path;
  // A file copied onto an existing directory lands inside it; a directory's contents merge into dest.
  const firstIsDir = r.stdout[156] === "5".charCodeAt(0);
  if (!firstIsDir && existsSync(dest) && statSync(dest).isDirectory()) dest = join(dest, base);
  await unpackTo(r.stdout, base, dest);
  return 0;
}

export const cpCommand: Command = { summary: "Copy files and directories to and from containers", flags: { bool: ["no-preserve"], short: { c: "container" } }, run: cp };
