export { archAarch64Plugin } from "./plugin.js";
