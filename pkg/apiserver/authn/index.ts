// Authentication: client certificates (CN = user, O = groups) and bearer tokens from a
// static token file (`token,user,uid,"group1,group2"`, kube-apiserver's --token-auth-file format).
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { UserInfo } from "../types.ts";

export interface PeerCertificate {
  subject?: { CN?: string | string[]; O?: string | string[] };
}

export interface TokenEntry {
  token: string;
  user: string;
  uid: string;
  groups: string[];
}

export const tokenFile = (dataDir: string) => join(dataDir, "server", "cred", "tokens.csv");

const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Parse the CSV token file; malformed lines are reported, not silently used. */
export function parseTokenFile(text: string): TokenEntry[] {
  const out: TokenEntry[] = [];
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const cols: string[] = [];
    const re = /\s*("([^"]*)"|[^,]*)\s*(,|$)/y;
    let m: RegExpExecArray | null;
    while (re.lastIndex < line.length && (m = re.exec(line))) {
      cols.push(m[2] !== undefined ? m[2] : m[1]);
      if (!m[3]) break;
    }
    if (cols.length < 3 || !cols[0] || !cols[1]) throw new Error(`token file line ${i + 1}: expected token,user,uid[,"groups"]`);
    out.push({ token: cols[0], user: cols[1], uid: cols[2], groups: cols[3] ? cols[3].split(",").filter(Boolean) : [] });
  }
  return out;
}

export function renderTokenFile(entries: TokenEntry[]): string {
  return entries.map((e) => `${e.token},${e.user},${e.uid}${e.groups.length ? `,"${e.groups.join(",")}"` : ""}`).join("\n") + "\n";
}

export function randomToken(bytes = 24): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");
}

/** Create the token file with one admin token on first start; return its entries. */
export function ensureTokenFile(dataDir: string): TokenEntry[] {
  const path = tokenFile(dataDir);
  if (existsSync(path)) return parseTokenFile(readFileSync(path, "utf8"));
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const entries = [{ token: randomToken(), user: "system:admin", uid: "system:admin", groups: ["system:masters"] }];
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, renderTokenFile(entries), { mode: 0o600 });
  renameSync(tmp, path);
  return entries;
}

const timingSafeEqual = (a: string, b: string) => {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
};

export interface Authenticator {
  authenticate(input: { peerCert?: PeerCertificate; authorized?: boolean; authorization?: string | null }): UserInfo | null;
  /** Re-read the token file (tokens added by `kubun token create`). */
  reload(): void;
}

export function createAuthenticator(o: { dataDir: string; extraAdminTokens?: string[] }): Authenticator {
  let tokens: TokenEntry[] = [];
  let loadedMtime = 0;
  const mtime = () => {
    try {
      return statSync(tokenFile(o.dataDir)).mtimeMs;
    } catch {
      return 0;
    }
  };
  const reload = () => {
    tokens = ensureTokenFile(o.dataDir);
    loadedMtime = mtime();
    for (const t of o.extraAdminTokens ?? []) tokens.push({ token: t, user: "system:admin", uid: "system:admin", groups: ["system:masters"] });
  };
  reload();
  return {
    reload,
    authenticate({ peerCert, authorized, authorization }) {
      if (authorization && loadedMtime && mtime() !== loadedMtime) reload(); // revoked tokens stop working too
      if (authorization) {
        const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
        if (m) {
          let hit = tokens.find((t) => timingSafeEqual(t.token, m[1]));
          // Tokens created or deleted by `kubun token` take effect without a restart.
          if (!hit && mtime() !== loadedMtime) {
            reload();
            hit = tokens.find((t) => timingSafeEqual(t.token, m[1]));
          }
          if (hit) return { username: hit.user, uid: hit.uid, groups: [...hit.groups, "system:authenticated"] };
          return null;
        }
      }
      // Only a certificate that chained to our CA counts (the TLS layer verified it).
      if (authorized && peerCert?.subject) {
        const cn = asList(peerCert.subject.CN)[0];
        if (cn) return { username: cn, groups: [...asList(peerCert.subject.O), "system:authenticated"] };
      }
      return null;
    },
  };
}

/** Paths served without credentials, as kube-apiserver's default public-info roles allow. */
export function isPublicPath(path: string): boolean {
  return path === "/healthz" || path === "/livez" || path === "/readyz" || path === "/version" || /^\/(healthz|livez|readyz)\/[^/]+$/.test(path);
}
