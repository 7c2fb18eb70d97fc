export * from "./smccc.js";
export * from "./psci-firmware.js";
