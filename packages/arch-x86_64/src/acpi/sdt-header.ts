/** The SDT header reader lives in kernel-core (shared with the IOMMU plugin's IVRS parser). */
export { parseSdtHeader, SDT_HEADER_LENGTH, type SdtHeader, type SdtParseOptions } from "@novakit/kernel-core";
