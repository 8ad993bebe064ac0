import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAuthenticator, isPublicPath, parseTokenFile, tokenFile } from "./index.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-authn-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("token file parses quoted groups and rejects malformed lines", () => {
  expect(parseTokenFile(`# c\nabc,alice,1,"dev,ops"\nxyz,bob,2\n`)).toEqual([
    { token: "abc", user: "alice", uid: "1", groups: ["dev", "ops"] },
    { token: "xyz", user: "bob", uid: "2", groups: [] },
  ]);
  expect(() => parseTokenFile("onlytoken\n")).toThrow(/line 1/);
});

test("authenticates verified client certs and known bearer tokens only", () => {
  const a = createAuthenticator({ dataDir: dir, extraAdminTokens: ["cli-token"] });
  expect(a.authenticate({ authorized: true, peerCert: { subject: { CN: "system:admin", O: "system:masters" } } })).toEqual({
    username: "system:admin",
    groups: ["system:masters", "system:authenticated"],
  });
  expect(a.authenticate({ authorized: false, peerCert: { subject: { CN: "mallory" } } })).toBeNull();
  expect(a.authenticate({ authorization: "Bearer cli-token" })?.username).toBe("system:admin");
  expect(a.authenticate({ authorization: "Bearer wrong" })).toBeNull();
  writeFileSync(tokenFile(dir), `newtok,carol,3,"viewers"\n`);
  a.reload();
  expect(a.authenticate({ authorization: "Bearer newtok" })).toEqual({ username: "carol", uid: "3", groups: ["viewers", "system:authenticated"] });
});

test("public paths", () => {
  expect(isPublicPath("/version")).toBe(true);
  expect(isPublicPath("/readyz")).toBe(true);
  expect(isPublicPath("/api/v1/pods")).toBe(false);
});
