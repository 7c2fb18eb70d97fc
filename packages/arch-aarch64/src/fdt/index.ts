export * from "./fdt-diagnostics.js";
export * from "./fdt-types.js";
export * from "./fdt-header.js";
export * from "./fdt-parse.js";
export * from "./fdt-values.js";
