import { defaultConfig, parseJsonText, parseNovaCmdline, selectArchTarget, validateConfig } from "@novakit/cli";
import type { StructuredFuzzTarget } from "../../mutate/input-structure.js";
import { exampleConfigFiles } from "../../seeds/example-files.js";
import { textBytes, utf8 } from "../../seeds/package-files.js";
import { JSON_TOKENS } from "../../structure/json-dictionary.js";
import { mutateJsonDocument } from "../../structure/json-tree-mutation.js";

const FILE = "novakit.config.json";

/**
 * The CLI's configuration loader on a JSON file: the bytes are decoded as readFile(…, "utf8")
 * does, parsed with the loader's JSON reader (a syntax error must be NK-CFG-002, never a raw
 * SyntaxError), a portable configuration's `targets` resolved to its default arch (as `check`
 * without `--arch` does), validated against the configuration schema (every problem a NovakitError naming
 * the field), and a valid configuration's NOVA command line parsed. Seeds: the JSON configurations
 * of examples/configs and the built-in default configuration.
 */
export const configTarget: StructuredFuzzTarget = {
  name: "config",
  description: "novakit.config.json: JSON reader + configuration schema + NOVA command line (cli)",
  seeds: () => [...exampleConfigFiles("novakit.config.json"), textBytes(JSON.stringify(defaultConfig, null, 2))],
  execute(input) {
    const { config, errors } = validateConfig(selectArchTarget(parseJsonText(utf8(input), FILE), FILE, undefined), FILE);
    const first = errors[0];
    if (first !== undefined) throw first;
    if (config?.cmdline !== undefined) parseNovaCmdline(config.cmdline);
  },
  structure: {
    mutate: mutateJsonDocument,
    dictionary: [...JSON_TOKENS, '"targets"', '"arch"', '"x86_64"', '"aarch64"', '"platform"', '"plugins"', '"domains"', '"memoryMiB"', '"vcpus"', '"cpus"', '"priority"', '"budgetMs"', '"devices"', '"workload"', '"cmdline"', '"options"'],
  },
};
