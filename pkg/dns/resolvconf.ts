// The host's resolver configuration (nameservers to forward to).
import { readFileSync } from "node:fs";

export interface ResolvConf {
  nameservers: string[];
  search: string[];
}

export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], search: [] };
  for (const raw of text.split("\n")) {
    const line = raw.replace(/[#;].*$/, "").trim();
    const [key, ...vals] = line.split(/\s+/);
    if (key === "nameserver" && vals[0]) out.nameservers.push(vals[0].replace(/%.*$/, ""));
    else if (key === "search" || key === "domain") out.search = vals;
  }
  return out;
}

/** Reads a resolv.conf; a missing file means no upstreams (everything outside the zone SERVFAILs). */
export function readResolvConf(path: string): ResolvConf {
  try {
    return parseResolvConf(readFileSync(path, "utf8"));
  } catch {
    return { nameservers: [], search: [] };
  }
}
