export * from "./mmio-offsets.js";
export * from "./control-bits.js";
export * from "./status-bits.js";
export * from "./efr-bits.js";
export * from "./base-registers.js";
