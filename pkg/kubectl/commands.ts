// The verb table.
import type { Command } from "./index.ts";
import { applyCommand, createCommand } from "./cmd-apply.ts";
import { cpCommand } from "./cmd-cp.ts";
import { deleteCommand } from "./cmd-delete.ts";
import { describeCommand } from "./cmd-describe.ts";
import { execCommand } from "./cmd-exec.ts";
import { editCommand } from "./cmd-edit.ts";
import { getCommand } from "./cmd-get.ts";
import { cordonCommand, drainCommand, uncordonCommand } from "./cmd-node.ts";
import { annotateCommand, labelCommand, patchCommand } from "./cmd-patch.ts";
import { portForwardCommand } from "./cmd-portforward.ts";
import { topCommand } from "./cmd-top.ts";
import { logsCommand } from "./cmd-logs.ts";
import { rolloutCommand } from "./cmd-rollout.ts";
import { scaleCommand } from "./cmd-scale.ts";
import { waitCommand } from "./cmd-wait.ts";
import { apiResourcesCommand, clusterInfoCommand, versionCommand } from "./cmd-info.ts";

const configCommand: Command = {
  summary: "Modify kubeconfig files",
  flags: { bool: ["raw", "minify", "current", "no-headers"], short: { o: "output" } },
  // Dispatched before connecting (see index.ts); never reached with a connection.
  run: async () => 1,
};

export const COMMANDS: Record<string, Command> = {
  config: configCommand,
  get: getCommand,
  describe: describeCommand,
  apply: applyCommand,
  create: createCommand,
  delete: deleteCommand,
  logs: logsCommand,
  exec: execCommand,
  top: topCommand,
  "port-forward": portForwardCommand,
  cp: cpCommand,
  edit: editCommand,
  patch: patchCommand,
  label: labelCommand,
  annotate: annotateCommand,
  cordon: cordonCommand,
  uncordon: uncordonCommand,
  drain: drainCommand,
  scale: scaleCommand,
  rollout: rolloutCommand,
  wait: waitCommand,
  version: versionCommand,
  "cluster-info": clusterInfoCommand,
  "api-resources": apiResourcesCommand,
};
