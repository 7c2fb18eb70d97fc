import { expectedPcrBanks, parseExpectedValues } from "@novakit/txt-launch";
import type { StructuredFuzzTarget } from "../../mutate/input-structure.js";
import { fuzzSeeds } from "../../seeds/fuzz-seeds.js";
import { utf8 } from "../../seeds/package-files.js";
import { JSON_TOKENS } from "../../structure/json-dictionary.js";
import { mutateJsonDocument } from "../../structure/json-tree-mutation.js";

/**
 * `novakit verify-log --expected FILE`: the expected-values JSON (`novakit measure --json`,
 * compose's expected-pcrs.json) reader and the PCR banks built from it.
 */
export const expectedValuesTarget: StructuredFuzzTarget = {
  name: "expected-values",
  description: "expected PCR values JSON of `measure --json` / `verify-log --expected` (txt-launch)",
  seeds: () => fuzzSeeds("expected-values", ".json"),
  execute(input) {
    expectedPcrBanks(parseExpectedValues(utf8(input), "expected.json"));
  },
  structure: { mutate: mutateJsonDocument, dictionary: [...JSON_TOKENS, '"sha1"', '"sha256"', '"sha384"', '"sha512"', '"pcr"', '"digests"', '"events"', '"pcrs"', '"format"', '"novakit-pcr-prediction/1"'] },
};
