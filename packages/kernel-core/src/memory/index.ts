export * from "./physical-memory.js";
export * from "./frame-allocator.js";
export * from "./radix-page-table.js";
export * from "./testing-format.js";
export * from "./kernel-memory-window.js";
