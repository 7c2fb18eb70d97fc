export * from "./io-fault.js";
export * from "./translate-dma.js";
