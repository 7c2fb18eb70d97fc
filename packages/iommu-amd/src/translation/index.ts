export * from "./io-fault.js";
export * from "./translate-dma.js";
export * from "./translate-dma-fast.js";
