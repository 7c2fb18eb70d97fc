export * from "./command-types.js";
export * from "./encode-command.js";
export * from "./decode-command.js";
export * from "./invalidation-range.js";
