import { fileURLToPath } from "node:url";
import { BUILT_IN_CONFIG_LABEL, defaultConfig, prepareConfiguration, prepareFromSource, type PreparedConfiguration } from "@novakit/cli";

/** A configuration the exhaustion sweep boots: a name for the report and how to load it. */
export interface FaultConfiguration {
  readonly name: string;
  prepare(): Promise<PreparedConfiguration>;
}

const REPOSITORY_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** examples/configs/x86-basic: QEMU q35 with an AMD IOMMU, two native domains (the small config) */
export const Q35_TWO_DOMAINS: FaultConfiguration = {
  name: "q35-two-domains",
  prepare: () => prepareConfiguration(REPOSITORY_ROOT, "examples/configs/x86-basic/novakit.config.json"),
};

/** the CLI's built-in default: the shared AI host (five domains, five bus masters, a measured launch) */
export const DEFAULT_AI_HOST: FaultConfiguration = {
  name: "default-ai-host",
  prepare: () => prepareFromSource({ value: defaultConfig, label: BUILT_IN_CONFIG_LABEL, dir: REPOSITORY_ROOT }, defaultConfig),
};
