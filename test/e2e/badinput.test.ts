// Hostile and malformed requests over the real HTTPS endpoint: a Status with the right code,
// nothing stored changes, and the server keeps serving.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { startNode, type TestNode } from "../harness/node.ts";
setDefaultTimeout(90_000);

let node: TestNode;
let tls: { ca: string; cert: string; key: string };
let base: string;

beforeAll(async () => {
  node = await startNode();
  const kc = parse(readFileSync(node.hostKubeconfig, "utf8"));
  const b64 = (s: string) => Buffer.from(s, "base64").toString();
  tls = { ca: b64(kc.clusters[0].cluster["certificate-authority-data"]), cert: b64(kc.users[0].user["client-certificate-data"]), key: b64(kc.users[0].user["client-key-data"]) };
  base = kc.clusters[0].cluster.server;
  const r = await call("POST", "/api/v1/namespaces/default/configmaps", JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "keep" }, data: { a: "1" } }));
  expect(r.status).toBe(201);
});
afterAll(async () => {
  await node?.stop();
});

async function call(method: string, path: string, body?: string | Uint8Array, contentType = "application/json") {
  const r = await fetch(base + path, { method, body, headers: body !== undefined ? { "content-type": contentType } : {}, tls } as any);
  const text = await r.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: r.status, json, text };
}

async function stored() {
  const r = await call("GET", "/api/v1/namespaces/default/configmaps");
  return r.json.items.map((i: any) => [i.metadata.name, i.metadata.resourceVersion, i.data]).sort();
}

const CM = "/api/v1/namespaces/default/configmaps";
const cases: Array<[string, string, string, string | Uint8Array, string, number]> = [
  ["malformed JSON", "POST", CM, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"', "application/json", 400],
  ["JSON of the wrong shape", "POST", CM, '["not","an","object"]', "application/json", 400],
  ["malformed YAML", "POST", CM, "apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n", "application/yaml", 400],
  ["YAML alias bomb", "POST", CM, "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n", "application/yaml", 400],
  ["hostile nesting", "POST", CM, "[".repeat(100_000) + "]".repeat(100_000), "application/json", 400],
  ["a body over 3 MiB", "POST", CM, JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "big" }, data: { a: "x".repeat(3 * 1024 * 1024 + 10) } }), "application/json", 413],
  ["an invalid name", "POST", CM, JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "Bad_Name" } }), "application/json", 422],
  // kube-apiserver answers strict decoding errors with 400 BadRequest ("strict decoding error: …").
  ["an unknown field with fieldValidation=Strict", "POST", `${CM}?fieldValidation=Strict`, JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "strict" }, bogus: 1 }), "application/json", 400],
  ["a duplicate field with fieldValidation=Strict", "POST", `${CM}?fieldValidation=Strict`, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","name":"dup2"}}', "application/json", 400],
  ["malformed protobuf", "POST", CM, new Uint8Array([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), "application/vnd.kubernetes.protobuf", 400],
  ["an unsupported media type", "POST", CM, "<xml/>", "application/xml", 415],
  ["a JSON patch that is not a list", "PATCH", `${CM}/keep`, '{"op":"replace"}', "application/json-patch+json", 400],
  // An unknown op parses but fails to apply: 422, as kube-apiserver.
  ["a JSON patch with an unknown op", "PATCH", `${CM}/keep`, '[{"op":"explode","path":"/data"}]', "application/json-patch+json", 422],
  ["a JSON patch that fails its test", "PATCH", `${CM}/keep`, '[{"op":"test","path":"/data/a","value":"2"},{"op":"replace","path":"/data/a","value":"3"}]', "application/json-patch+json", 422],
  ["a non-object merge patch", "PATCH", `${CM}/keep`, '"hello"', "application/merge-patch+json", 400],
  ["a name with a path trick", "GET", `${CM}/..%2F..%2Fsecrets`, "", "application/json", 404],
  ["a kind that does not match the URL", "POST", CM, JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "wrongkind" } }), "application/json", 400],
];

for (const [what, method, path, body, type, code] of cases) {
  test(`${what} → ${code} Status, nothing stored changes`, async () => {
    const before = await stored();
    const r = await call(method, path, method === "GET" ? undefined : body, type);
    expect(r.status).toBe(code);
    expect(r.json?.kind).toBe("Status");
    expect(r.json?.code).toBe(code);
    expect(r.json?.status).toBe("Failure");
    if (what.includes("unknown field")) expect(r.json.message).toContain('strict decoding error: unknown field "bogus"');
    expect(await stored()).toEqual(before);
    expect((await call("GET", "/readyz")).status).toBe(200);
  });
}

test("unknown fields with fieldValidation=Warn are stored without them and warned about", async () => {
  const r = await fetch(`${base}${CM}?fieldValidation=Warn`, {
    method: "POST",
    body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "warned" }, bogus: 1 }),
    headers: { "content-type": "application/json" },
    tls,
  } as any);
  expect(r.status).toBe(201);
  expect(r.headers.get("warning")).toBe('299 - "unknown field \\"bogus\\""');
  expect(((await r.json()) as any).bogus).toBeUndefined();
});
