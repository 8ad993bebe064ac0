import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFlags, UsageError, type FlagSpec } from "./flags.ts";
import { loadServerConfig } from "./server.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-cmd-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const specs: FlagSpec[] = [
  { name: "data-dir", short: "d", type: "string", default: "/var/lib/kubun", usage: "", category: "" },
  { name: "https-listen-port", type: "int", default: 6443, usage: "", category: "" },
  { name: "tls-san", type: "strings", default: [], usage: "", category: "" },
  { name: "debug", type: "bool", default: false, usage: "", category: "" },
];

test("precedence is flag > env > config file > default", () => {
  const file = { "data-dir": "/from/file", "https-listen-port": 1111, "tls-san": ["a", "b"] };
  const env = { KUBUN_DATA_DIR: "/from/env" };
  expect(parseFlags(specs, ["--data-dir=/from/flag"], env, file).values["data-dir"]).toBe("/from/flag");
  expect(parseFlags(specs, [], env, file).values["data-dir"]).toBe("/from/env");
  expect(parseFlags(specs, [], {}, file).values["https-listen-port"]).toBe(1111);
  expect(parseFlags(specs, [], {}, {}).values["data-dir"]).toBe("/var/lib/kubun");
  expect(parseFlags(specs, ["--tls-san", "x", "--tls-san=y,z"], {}, file).values["tls-san"]).toEqual(["x", "y", "z"]);
  expect(parseFlags(specs, ["--debug", "-d", "/short"], {}, {}).values).toMatchObject({ debug: true, "data-dir": "/short" });
});

test("bad flags are usage errors", () => {
  expect(() => parseFlags(specs, ["--nope"], {}, {})).toThrow(UsageError);
  expect(() => parseFlags(specs, ["--https-listen-port", "abc"], {}, {})).toThrow(/invalid integer/);
  expect(() => parseFlags(specs, ["--data-dir"], {}, {})).toThrow(/needs an argument/);
});

test("server config reads the config file and validates values", async () => {
  const cfg = join(dir, "config.yaml");
  writeFileSync(cfg, "data-dir: /srv/kubun\ndisable:\n  - servicelb\n  - dns\nservice-cidr: 10.96.0.0/12\n");
  const c = await loadServerConfig(["--config", cfg, "--node-name", "EdgeBox"], {});
  expect(c.dataDir).toBe("/srv/kubun");
  expect([...c.disable].sort()).toEqual(["dns", "servicelb"]);
  expect(c.clusterDNS).toBe("10.96.0.10");
  expect(c.nodeName).toBe("edgebox");
  expect(c.writeKubeconfigMode).toBe(0o600);
  expect(Object.isFrozen(c)).toBe(true);
  await expect(loadServerConfig(["--config", cfg, "--disable", "bogus"], {})).rejects.toThrow(/unknown component/);
  await expect(loadServerConfig(["--config", cfg, "--datastore-snapshot-schedule-cron", "every tuesday"], {})).rejects.toThrow(/snapshot-schedule-cron/);
  expect((await loadServerConfig(["--config", cfg, "--datastore-disable-snapshots"], {})).snapshotCron).toBe("");
  await expect(loadServerConfig(["--config", join(dir, "missing.yaml")], {})).rejects.toThrow(/not found/);
  writeFileSync(cfg, "- not a map\n");
  await expect(loadServerConfig(["--config", cfg], {})).rejects.toThrow(/mapping/);
  // The default config path may be absent.
  const d = await loadServerConfig([], { KUBUN_CONFIG: join(dir, "absent.yaml"), KUBUN_HTTPS_LISTEN_PORT: "7443" });
  expect(d.httpsListenPort).toBe(7443);
});
