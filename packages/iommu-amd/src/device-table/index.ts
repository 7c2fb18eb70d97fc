export * from "./device-table-entry.js";
export * from "./device-table.js";
