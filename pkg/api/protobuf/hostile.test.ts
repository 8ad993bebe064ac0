// Malformed, truncated and hostile bodies must fail fast with 400 (or 415 for an unknown kind),
// never crash, hang or throw anything but a StatusError.
import { describe, expect, test } from "bun:test";
import { StatusError } from "../errors.ts";
import { writeEnvelope } from "./envelope.ts";
import { decodeKubeProtobuf, encodeKubeProtobuf } from "./index.ts";
import recs133 from "./testdata/kubectl-1.33.json";

const MAGIC = [0x6b, 0x38, 0x73, 0x00];
const u8 = (...parts: Array<number[] | Uint8Array>) => new Uint8Array(parts.flatMap((p) => [...p]));
const varint = (n: number) => {
  const out: number[] = [];
  for (; n > 127; n = Math.floor(n / 128)) out.push((n & 127) | 128);
  out.push(n);
  return out;
};
const lenField = (num: number, body: number[] | Uint8Array) => [(num << 3) | 2, ...varint(body.length), ...body];

function statusOf(fn: () => unknown): { code: number; message: string } | "ok" {
  try {
    fn();
    return "ok";
  } catch (e) {
    if (!(e instanceof StatusError)) throw new Error(`non-Status error escaped: ${e}`);
    return { code: e.code, message: e.message };
  }
}
const expectCode = (code: number, body: Uint8Array) => {
  const s = statusOf(() => decodeKubeProtobuf(body));
  expect(s === "ok" ? "ok" : s.code).toBe(code);
};

describe("malformed bodies are 400", () => {
  test("missing or wrong magic", () => {
    expectCode(400, new Uint8Array());
    expectCode(400, u8([0x6b, 0x38]));
    expectCode(400, new TextEncoder().encode('{"kind":"Namespace"}'));
    expectCode(400, u8([0x6b, 0x38, 0x73, 0x01], [0x0a, 0x00]));
  });
  test("an envelope without apiVersion or kind", () => {
    expectCode(400, u8(MAGIC));
    expectCode(400, writeEnvelope("", "Namespace", new Uint8Array()));
    expectCode(400, writeEnvelope("v1", "", new Uint8Array()));
  });
  test("bad varints: overlong, or running off the end", () => {
    // metadata.generation (int64, field 7) with an 11-byte varint
    const overlong = lenField(1, [0x38, ...new Array(10).fill(0xff), 0x01]);
    expectCode(400, writeEnvelope("v1", "Namespace", u8(overlong)));
    expectCode(400, writeEnvelope("v1", "Namespace", u8(lenField(1, [0x38, 0xff, 0xff]))));
    expectCode(400, u8(MAGIC, [0x0a, 0xff, 0xff]));
  });
  test("absurd lengths", () => {
    expectCode(400, u8(MAGIC, [0x12, 0xff, 0xff, 0xff, 0xff, 0x07, 1, 2, 3]));
    expectCode(400, writeEnvelope("v1", "ConfigMap", u8([0x12, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x0a, 0x00])));
    // a nested length longer than its parent
    expectCode(400, writeEnvelope("v1", "Namespace", u8([0x0a, 0x02, 0x0a, 0x10, 0x61])));
  });
  test("wrong wire types and illegal field numbers", () => {
    expectCode(400, writeEnvelope("v1", "Namespace", u8([0x08, 0x01]))); // metadata as a varint
    expectCode(400, writeEnvelope("v1", "Namespace", u8(lenField(1, [0x3a, 0x01, 0x31])))); // generation as bytes
    expectCode(400, writeEnvelope("v1", "Namespace", u8([0x0f, 0x01]))); // wire type 7
    expectCode(400, writeEnvelope("v1", "Namespace", u8([0x00, 0x01]))); // field number 0
  });
  test("bad special values", () => {
    const pdb = (minAvailable: number[]) => writeEnvelope("policy/v1", "PodDisruptionBudget", u8(lenField(2, lenField(1, minAvailable))));
    expectCode(400, pdb([0x08, 0x05])); // IntOrString type 5
    const fields = lenField(1, lenField(17, lenField(7, lenField(1, new TextEncoder().encode("{not json")))));
    expectCode(400, writeEnvelope("v1", "ConfigMap", u8(fields))); // managedFields[0].fieldsV1
  });
  test("compressed envelopes are refused", () => {
    const inner = u8(lenField(1, lenField(1, new TextEncoder().encode("v1"))), lenField(2, []), lenField(3, new TextEncoder().encode("gzip")));
    expectCode(400, u8(MAGIC, inner));
  });
});

describe("hostile bodies fail fast", () => {
  test("3 MiB of nested groups in the envelope and in an unknown field", () => {
    const t0 = performance.now();
    const bomb = new Uint8Array(3 * 1024 * 1024).fill(0x0b);
    bomb.set(MAGIC);
    expectCode(400, bomb);
    expectCode(400, writeEnvelope("v1", "ConfigMap", new Uint8Array(3 * 1024 * 1024).fill(0x7b))); // field 15, start group
    expect(performance.now() - t0).toBeLessThan(2000);
  });
  test("Lists nesting envelopes through RawExtension stop at a fixed depth", () => {
    let body = writeEnvelope("v1", "Namespace", new Uint8Array());
    for (let i = 0; i < 50; i++) body = writeEnvelope("v1", "List", u8(lenField(2, lenField(1, body))));
    expectCode(400, body);
    let shallow = writeEnvelope("v1", "Namespace", new Uint8Array());
    shallow = writeEnvelope("v1", "List", u8(lenField(2, lenField(1, shallow))));
    expect(decodeKubeProtobuf(shallow).items).toEqual([{ apiVersion: "v1", kind: "Namespace", metadata: { creationTimestamp: null }, spec: {}, status: {} }]);
  });
  test("a 3 MB ConfigMap decodes quickly", () => {
    const data: Record<string, string> = {};
    for (let i = 0; i < 60_000; i++) data[`k${i}`] = "v".repeat(40);
    const body = encodeKubeProtobuf({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "big" }, data });
    expect(body.length).toBeGreaterThan(3_000_000);
    const t0 = performance.now();
    expect(Object.keys(decodeKubeProtobuf(body).data).length).toBe(60_000);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
  test("every truncation and 3000 seeded mutations of real kubectl bodies give an object or a 400", () => {
    let seed = 0x12345678;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const t0 = performance.now();
    let rejected = 0;
    for (const r of recs133) {
      const body = new Uint8Array(Buffer.from(r.body, "base64"));
      for (let n = 0; n < body.length; n++) {
        const s = statusOf(() => decodeKubeProtobuf(body.subarray(0, n)));
        if (s !== "ok") (rejected++, expect(s.code).toBe(400));
      }
      for (let i = 0; i < 100; i++) {
        const m = body.slice();
        for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) m[Math.floor(rand() * m.length)] = Math.floor(rand() * 256);
        const s = statusOf(() => decodeKubeProtobuf(m));
        if (s !== "ok") (rejected++, expect([400, 415]).toContain(s.code));
      }
    }
    expect(rejected).toBeGreaterThan(1000);
    expect(performance.now() - t0).toBeLessThan(20_000);
  });
});

describe("unknown kinds are 415", () => {
  test("decode names the kind", () => {
    const s = statusOf(() => decodeKubeProtobuf(writeEnvelope("example.com/v1", "Widget", new Uint8Array())));
    expect(s).not.toBe("ok");
    if (s !== "ok") {
      expect(s.code).toBe(415);
      expect(s.message).toContain("example.com/v1/Widget");
    }
    expectCode(415, writeEnvelope("apps/v1", "Namespace", new Uint8Array())); // right kind, wrong group
  });
  test("encode refuses kinds without a schema and ill-typed values", () => {
    const enc = (o: any) => statusOf(() => encodeKubeProtobuf(o));
    expect(enc({ apiVersion: "example.com/v1", kind: "Widget" })).toMatchObject({ code: 415 });
    expect(enc({ apiVersion: "apps/v1", kind: "Deployment", spec: { replicas: "two" } })).toMatchObject({ code: 400 });
    expect(enc({ apiVersion: "v1", kind: "ConfigMap", data: ["a"] })).toMatchObject({ code: 400 });
    expect(enc({ apiVersion: "v1", kind: "Secret", data: { a: "not base64!" } })).toMatchObject({ code: 400 });
    expect(enc({ apiVersion: "v1", kind: "Pod", metadata: { creationTimestamp: "yesterday" } })).toMatchObject({ code: 400 });
    expect(enc({ apiVersion: "v1", kind: "Pod", spec: { containers: [{ ports: [{ containerPort: 2 ** 40 }] }] } })).toMatchObject({ code: 400 });
  });
});
