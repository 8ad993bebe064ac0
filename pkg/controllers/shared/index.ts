// Controller framework: the worker loop, leader election, event recorders.
export { runController, type ControllerOptions, type RunningController } from "./runner.ts";
export { startLeaderElection, LEASES, type LeaderElectionOptions, type LeaderElector } from "./leaderelection.ts";
export { createEventRecorder, referenceOf, sprintf, CORE_EVENTS, type EventRecorder, type EventRecorderOptions, type EventType, type ObjectReference } from "./events.ts";
export { createEventsV1Recorder, EVENTS_V1, type EventsV1Recorder, type EventsV1RecorderOptions } from "./events-v1.ts";
export { controllerRef, enqueueControllerOwner, enqueueSelf, type OwnerReference } from "./handlers.ts";
