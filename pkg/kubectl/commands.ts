// The verb table.
import type { Command } from "./index.ts";
import { getCommand } from "./cmd-get.ts";
import { apiResourcesCommand, clusterInfoCommand, versionCommand } from "./cmd-info.ts";

export const COMMANDS: Record<string, Command> = {
  get: getCommand,
  version: versionCommand,
  "cluster-info": clusterInfoCommand,
  "api-resources": apiResourcesCommand,
};
