export * from "./event-types.js";
export * from "./event-codec.js";
