export * from "./x86-paging-options.js";
export * from "./x86-cache-attribute.js";
export * from "./host-page-table-format.js";
export * from "./ept-format.js";
export * from "./npt-format.js";
export * from "./linear-address.js";
