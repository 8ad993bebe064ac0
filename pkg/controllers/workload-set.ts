// Batch, stateful and policy controllers (statefulset, daemonset, job, cronjob, quota, PDB, HPA…).
import type { ControllerDescriptor } from "./types.ts";
import { jobController } from "./job/controller.ts";
import { cronJobController } from "./cronjob/controller.ts";
import { ttlAfterFinishedController } from "./ttlafterfinished/controller.ts";
import { resourceQuotaController } from "./resourcequota/controller.ts";
import { disruptionController } from "./disruption/controller.ts";
import { hpaController } from "./podautoscaler/controller.ts";
import { localPathProvisioner } from "./localpath/provisioner.ts";
import { statefulSetController } from "./statefulset/controller.ts";
import { daemonSetController } from "./daemonset/controller.ts";

export const workloadControllers: ControllerDescriptor[] = [statefulSetController, daemonSetController, jobController, cronJobController, ttlAfterFinishedController, resourceQuotaController, disruptionController, hpaController, localPathProvisioner];
