import { expect, test } from "bun:test";
import { ResizeQueue } from "./resize.ts";

test("sizes split or glued across messages come out in order; the iterator ends", async () => {
  const q = new ResizeQueue();
  q.feed('{"Width":80,"Hei');
  q.feed('ght":24}\n{"Width":100,"Height":40}{"Width":');
  q.feed("not json}");
  q.feed('{"Width":1,"Height":2}');
  q.end();
  const got = [];
  for await (const s of q) got.push(s);
  expect(got).toEqual([
    { width: 80, height: 24 },
    { width: 100, height: 40 },
    { width: 1, height: 2 },
  ]);
});

test("a waiting reader gets the next size", async () => {
  const q = new ResizeQueue();
  const it = q[Symbol.asyncIterator]();
  const next = it.next();
  q.feed('{"Width":5,"Height":6}');
  expect(await next).toEqual({ value: { width: 5, height: 6 }, done: false });
  q.end();
  expect((await it.next()).done).toBe(true);
});
