// The public TPM API of @novakit/txt-launch (re-exported by the package index).
export * from "./tpm.js";
export { TpmDiagnostic, type TpmDiagnosticCode } from "./tpm-diagnostics.js";
export type { TpmTransport } from "./tpm-transport.js";
export { hashAlgorithmFromId, isHashAlgorithm, hashBytes, extendDigest } from "./hash-algorithm.js";
export { WireTpm } from "./wire-tpm.js";
export { EmbeddedTpm, type EmbeddedTpmOptions } from "./embedded/embedded-tpm.js";
export { tpmFailureModeSchema, TpmFailureSchedule, SIMULATED_TPM_TIMEOUT_MS, type TpmFailureMode } from "./embedded/tpm-failure-mode.js";
export { TpmCommandProcessor, type CommandProcessorOptions } from "./embedded/command-processor.js";
export { TcpTpm, DEFAULT_TCP_TIMEOUT_MS, type TcpTpmOptions } from "./tcp/tcp-tpm.js";
export { SwtpmControlChannel, SwtpmControlCommand } from "./tcp/swtpm-control.js";
export { parseTpmLocation, formatTcpAddress, type TcpTpmAddress, type TpmLocation } from "./tcp/tpm-url.js";
export { openTpm, type OpenTpmOptions } from "./open-tpm.js";
// wire codec
export { TpmSt, TpmCc, TpmRh, TpmSu, TpmCap, TpmPt, commandName } from "./wire/tpm-constants.js";
export { TpmRc, decodeResponseCode, describeResponseCode, parameterError, handleError, sessionError, type DecodedResponseCode } from "./wire/response-code.js";
export { encodeCommand, decodeResponse, type TpmResponse } from "./wire/framing.js";
export { encodePcrBitmap, decodePcrBitmap, type PcrSelection } from "./wire/pcr-selection.js";
export { encodeEmptyPasswordAuthorization } from "./wire/password-session.js";
export {
  encodeStartup,
  encodePcrExtend,
  encodePcrReset,
  encodePcrRead,
  encodeGetCapability,
  encodeGetPcrAllocation,
  encodeGetRandom,
  decodePcrReadResponse,
  decodePcrAllocation,
  decodeGetRandom,
  type PcrReadResult,
} from "./wire/commands.js";
