export { securityCetPlugin } from "./plugin.js";
