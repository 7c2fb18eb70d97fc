export { txtLaunchPlugin } from "./plugin.js";
