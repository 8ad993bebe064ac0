// All schema tables, keyed by the schema group name used in "<group>.<Message>" references.
import { apps } from "./apps.ts";
import { authentication } from "./authentication.ts";
import { authorization } from "./authorization.ts";
import { autoscaling } from "./autoscaling.ts";
import { autoscalingv2 } from "./autoscalingv2.ts";
import { batch } from "./batch.ts";
import { coordination } from "./coordination.ts";
import { core } from "./core.ts";
import { discovery } from "./discovery.ts";
import { events } from "./events.ts";
import { meta } from "./meta.ts";
import { networking } from "./networking.ts";
import { node } from "./node.ts";
import { policy } from "./policy.ts";
import { rbac } from "./rbac.ts";
import { scheduling } from "./scheduling.ts";
import { storage } from "./storage.ts";

export const schemaTables: Record<string, Record<string, string>> = {
  apps,
  authentication,
  authorization,
  autoscaling,
  autoscalingv2,
  batch,
  coordination,
  core,
  discovery,
  events,
  meta,
  networking,
  node,
  policy,
  rbac,
  scheduling,
  storage,
};
