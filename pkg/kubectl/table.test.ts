import { expect, test } from "bun:test";
import { printTable } from "./table.ts";
import { tabwrite } from "./tabwriter.ts";

const t = {
  columnDefinitions: [
    { name: "Name", type: "string", format: "name" },
    { name: "Ready", type: "string" },
    { name: "Restarts", type: "integer" },
    { name: "IP", type: "string", priority: 1 },
  ],
  rows: [
    { cells: ["web-1", "1/1", 0, "10.42.0.5"], object: { metadata: { name: "web-1", namespace: "default", labels: { b: "2", a: "1" } } } },
    { cells: ["x", "0/1", 12, null], object: { metadata: { name: "x", namespace: "kube-system" } } },
  ],
};

test("tabwriter: padding 3, minimum width 6, last column unpadded", () => {
  expect(tabwrite([["NAME", "AGE"], ["a", "1s"]])).toBe("NAME   AGE\na      1s\n");
  expect(tabwrite([["NAME", "X"], ["longer-name", "y"]])).toBe("NAME          X\nlonger-name   y\n");
});

test("default columns hide priority>0; wide shows them; nulls print <none>", () => {
  expect(printTable(t, {})).toBe("NAME    READY   RESTARTS\nweb-1   1/1     0\nx       0/1     12\n");
  expect(printTable(t, { wide: true })).toBe("NAME    READY   RESTARTS   IP\nweb-1   1/1     0          10.42.0.5\nx       0/1     12         <none>\n");
});

test("namespace, labels, kind prefix and no headers", () => {
  expect(printTable(t, { withNamespace: true, showLabels: true, kindPrefix: "pod", noHeaders: true })).toBe(
    "default       pod/web-1   1/1   0     a=1,b=2\nkube-system   pod/x       0/1   12    <none>\n",
  );
});
