// The ELF64 reader and CET binary analysis of @novakit/security-cet (`novakit cet FILE`).
export { ElfDiagnostic, type ElfDiagnosticCode } from "./elf-diagnostics.js";
export { GNU_PROPERTY_X86_FEATURE_1_AND, GNU_PROPERTY_X86_FEATURE_1_IBT, GNU_PROPERTY_X86_FEATURE_1_SHSTK, NT_GNU_PROPERTY_TYPE_0, PT_GNU_PROPERTY } from "./elf-constants.js";
export type * from "./elf-types.js";
export { parseElf64 } from "./parse-elf64.js";
export { collectFunctionEntries, type FunctionEntry, type SymbolBinding, type SymbolVisibility } from "./function-entries.js";
export { findAddressTakenFunctions, relocationName, type AddressTakenAnalysis, type AddressTakenRule } from "./address-taken.js";
export { cfpVerdicts, type CfpVerdict, type VerdictInputs } from "./cfp-verdict.js";
export { analyzeCetElf, analyzeCetBytes, analyzeCetFile, type CetElfAnalysis, type CetFunction, type CetProperty, type ElfImageKind } from "./analyze-cet-elf.js";
export type { FileLocation } from "./image-bytes.js";
