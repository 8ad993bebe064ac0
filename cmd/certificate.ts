// `kubun certificate check|rotate`: expiry of the cluster certificates; rotation re-issues leaf certs at next start.
import { existsSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { parseCert, RENEW_BEFORE_MS, tlsDir } from "../pkg/apiserver/certs/index.ts";
import { parseFlags, renderHelp, UsageError, type FlagSpec } from "./flags.ts";

const flags: FlagSpec[] = [
  { name: "data-dir", short: "d", type: "string", default: "/var/lib/kubun", usage: "Folder to hold state", category: "" },
];

export function certificateReport(dataDir: string, now = Date.now()) {
  const dir = tlsDir(dataDir);
  if (!existsSync(dir)) throw new UsageError(`no certificates under ${dir}; has kubun server run with --data-dir ${dataDir}?`);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".crt"))
    .sort()
    .map((f) => {
      const c = parseCert(readFileSync(join(dir, f), "utf8"));
      const left = c.notAfter.getTime() - now;
      return { file: f, subject: c.subject, notAfter: c.notAfter, status: left < 0 ? "EXPIRED" : left < RENEW_BEFORE_MS ? "WARNING" : "OK" };
    });
}

export async function runCertificateCommand(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === "--help" || verb === "-h") {
    console.log(renderHelp("kubun certificate check|rotate", "Check certificate expiry, or set leaf certificates aside so the next start re-issues them.", flags));
    return 0;
  }
  const { values: v } = parseFlags(flags, rest, env);
  const dataDir = String(v["data-dir"]);
  if (verb === "check") {
    let worst = 0;
    for (const r of certificateReport(dataDir)) {
      console.log(`${r.file.padEnd(34)} ${r.status.padEnd(8)} expires ${r.notAfter.toISOString()}  ${r.subject}`);
      if (r.status !== "OK") worst = 1;
    }
    return worst;
  }
  if (verb === "rotate") {
    const dir = tlsDir(dataDir);
    const stamp = Math.floor(Date.now() / 1000);
    for (const name of ["serving-kube-apiserver", "client-admin"])
      for (const ext of [".crt", ".key"]) {
        const p = join(dir, name + ext);
        if (existsSync(p)) renameSync(p, `${p}.rotated-${stamp}`);
      }
    console.log("Leaf certificates set aside; restart kubun server (systemctl restart kubun) to issue new ones. The CA is unchanged, so kubeconfigs stay valid once rewritten.");
    return 0;
  }
  throw new UsageError(`unknown certificate command "${verb}"`);
}
