// -f inputs: files, directories (their .yaml/.yml/.json files, sorted), `-` for stdin;
// multi-document YAML and v1 Lists flatten to objects.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

export interface Manifest {
  obj: any;
  source: string;
}

async function readStream(s: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of s as AsyncIterable<Buffer | string>) chunks.push(typeof c === "string" ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString("utf8");
}

function filesOf(path: string, recursive: boolean): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const out: string[] = [];
  for (const e of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(path, e.name);
    if (e.isDirectory()) {
      if (recursive) out.push(...filesOf(p, true));
    } else if (/\.(ya?ml|json)$/.test(e.name)) out.push(p);
  }
  return out;
}

export function parseManifests(text: string, source: string): Manifest[] {
  const out: Manifest[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`error parsing ${source}: ${doc.errors[0]!.message}`);
    const obj = doc.toJS();
    if (obj === null || obj === undefined) continue;
    if (typeof obj !== "object" || Array.isArray(obj)) throw new Error(`error validating "${source}": not a Kubernetes object`);
    if (typeof obj.kind === "string" && obj.kind.endsWith("List") && Array.isArray(obj.items)) {
      for (const it of obj.items) out.push({ obj: it, source });
    } else out.push({ obj, source });
  }
  for (const m of out) {
    if (!m.obj.kind) throw new Error(`error validating data: kind not set`);
    if (!m.obj.apiVersion) throw new Error(`error validating data: apiVersion not set`);
  }
  return out;
}

export async function readManifests(paths: string[], stdin: NodeJS.ReadableStream, recursive = false): Promise<Manifest[]> {
  if (!paths.length) throw new Error("must specify one of -f and -k");
  const out: Manifest[] = [];
  for (const p of paths) {
    if (p === "-") {
      out.push(...parseManifests(await readStream(stdin), "STDIN"));
      continue;
    }
    let files: string[];
    try {
      files = filesOf(p, recursive);
    } catch {
      throw new Error(`the path "${p}" does not exist`);
    }
    for (const f of files) out.push(...parseManifests(readFileSync(f, "utf8"), f));
  }
  if (!out.length) throw new Error("no objects passed to apply");
  return out;
}
