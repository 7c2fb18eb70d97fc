export { iommuAmdPlugin } from "./plugin.js";
