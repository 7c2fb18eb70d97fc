import type { CfpLevel } from "../options/cet-options.js";
import type { FunctionEntry } from "./function-entries.js";

export interface CfpVerdict {
  readonly level: CfpLevel;
  /** "this image is fit for CFP=<level>" */
  readonly fit: boolean;
  /** the reasons, each a complete clause ("the IBT property is set", ...) */
  readonly because: readonly string[];
}

export interface VerdictInputs {
  readonly ibt: boolean;
  readonly shstk: boolean;
  /** where the property bits came from, undefined when the file has no GNU property note */
  readonly propertySource: string | undefined;
  readonly functions: readonly FunctionEntry[];
  readonly addressTaken: ReadonlyMap<FunctionEntry, readonly string[]>;
  /** ENDBR64 byte sequences in executable sections, quoted for stripped images */
  readonly codeEndbr64Count: number;
  /** false for a linked image without .symtab: only .dynsym functions are known */
  readonly hasSymtab: boolean;
}

const LISTED = 8;

function list(names: readonly string[]): string {
  return names.length <= LISTED ? names.join(", ") : `${names.slice(0, LISTED).join(", ")} and ${names.length - LISTED} more`;
}

/**
 * Whether the image can run at each CFP level:
 *  - branch (IBT): the X86 FEATURE_1_AND IBT bit is set (the whole image was built for IBT, the
 *    linker ANDs it, cet.md §5) and every address-taken function starts with ENDBR64; an
 *    indirect branch to any other entry raises #CP(ENDBRANCH) (cet.md §3). A stripped image (no
 *    function symbols, as NOVA links with `ld -s`) cannot have its entries checked: the verdict
 *    then rests on the IBT bit alone, which is exactly what an ELF loader decides on (cet.md §8),
 *    and the reason says so; code without a single ENDBR64 contradicts the bit and is not fit.
 *  - return (shadow stacks): the SHSTK bit is set. Shadow stacks need no code change (cet.md §6);
 *    the bit says every input was built for them (no unbalanced call/ret tricks).
 *  - full: both.
 *  - none: always fit; nothing is enforced.
 */
export function cfpVerdicts(inputs: VerdictInputs): CfpVerdict[] {
  const note = inputs.propertySource === undefined ? "the file has no .note.gnu.property" : `${inputs.propertySource}`;
  const ibtClause = inputs.ibt ? `the IBT property bit is set (${note})` : `the IBT property bit is not set (${note}): not every input was built with -fcf-protection=branch/full`;
  const shstkClause = inputs.shstk
    ? `the SHSTK property bit is set (${note})`
    : `the SHSTK property bit is not set (${note}): not every input was built with -fcf-protection=return/full`;
  const taken = inputs.functions.filter((entry) => inputs.addressTaken.has(entry));
  const missing = taken.filter((entry) => !entry.endbr64).map((entry) => entry.name);
  let endbrClause: string;
  let endbrOk: boolean;
  if (inputs.functions.length === 0 && inputs.codeEndbr64Count === 0) {
    endbrOk = false;
    endbrClause = "the file has no function symbols (stripped) and its code holds no ENDBR64 at all, so an IBT bit cannot be true of it (forced with -z ibt?)";
  } else if (inputs.functions.length === 0) {
    endbrOk = true;
    endbrClause =
      `the file has no function symbols (stripped), so ENDBR64 at function entries cannot be checked and this rests on the IBT bit alone, ` +
      `as an ELF loader's decision does (${inputs.codeEndbr64Count} ENDBR64 byte sequence(s) in its code)`;
  } else if (missing.length > 0) {
    endbrOk = false;
    endbrClause = `${missing.length} of ${taken.length} address-taken function(s) do not start with ENDBR64: ${list(missing)} (an indirect branch there raises #CP(ENDBRANCH))`;
  } else {
    endbrOk = true;
    endbrClause = `all ${taken.length} address-taken function(s) start with ENDBR64`;
  }
  if (inputs.functions.length > 0 && !inputs.hasSymtab) endbrClause += ` (no .symtab: only the ${inputs.functions.length} function(s) of .dynsym could be checked)`;
  const ibt: Clause = { ok: inputs.ibt, text: ibtClause };
  const endbr: Clause = { ok: endbrOk, text: endbrClause };
  const shstk: Clause = { ok: inputs.shstk, text: shstkClause };
  return [
    { level: "none", fit: true, because: ["CFP=none enables no CET feature, so any image runs"] },
    verdict("branch", [ibt, endbr]),
    verdict("return", [shstk]),
    verdict("full", [ibt, endbr, shstk]),
  ];
}

interface Clause {
  readonly ok: boolean;
  readonly text: string;
}

/** fit when every clause holds; a "no" names only the clauses that fail */
function verdict(level: CfpLevel, clauses: readonly Clause[]): CfpVerdict {
  const failing = clauses.filter((clause) => !clause.ok);
  return { level, fit: failing.length === 0, because: (failing.length === 0 ? clauses : failing).map((clause) => clause.text) };
}
