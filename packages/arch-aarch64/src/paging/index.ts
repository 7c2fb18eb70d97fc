export * from "./memory-attributes.js";
export * from "./vmsa-geometry.js";
export * from "./vmsa-descriptor.js";
export * from "./stage1-el2-format.js";
export * from "./stage2-format.js";
export * from "./translation-control.js";
