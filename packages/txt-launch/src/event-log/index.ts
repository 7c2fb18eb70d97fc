export * from "./event-types.js";
export * from "./event-log-types.js";
export * from "./spec-id-event.js";
export * from "./encode-event-log.js";
export * from "./parse-event-log.js";
export * from "./replay-event-log.js";
export * from "./expected-values.js";
