export * from "./iotlb.js";
export * from "./device-table-cache.js";
export * from "./dte-snapshot.js";
export * from "./page-directory-cache.js";
export * from "./domain-tagged-cache.js";
