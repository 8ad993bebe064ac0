import { expect, test } from "bun:test";
import { Backoff } from "./backoff.ts";

test("10 s doubling to 5 min; reset after 10 min running", () => {
  const b = new Backoff();
  const seen: number[] = [];
  for (let i = 0; i < 8; i++) seen.push(b.next("k", i * 1000));
  expect(seen).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  b.ranFor("k", 600_000);
  expect(b.get("k")).toBe(0);
  expect(b.next("k", 10_000)).toBe(10_000);
  b.ranFor("k", 5_000);
  expect(b.next("k", 11_000)).toBe(20_000);
  expect(b.next("k", 11_000 + 700_000)).toBe(10_000);
});
