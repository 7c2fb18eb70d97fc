export * from "./amd-dpt-bits.js";
export * from "./amd-dpt-format.js";
export * from "./explicit-page-size.js";
