export { InvariantViolation, INVARIANT_NAMES, type InvariantName, type InvariantSubject } from "./invariant-violation.js";
export { FrameGrants, type FrameGrant } from "./frame-grants.js";
export { DelegationLedger } from "./delegation-ledger.js";
export { KernelInvariantChecker, INVARIANT_CHECKER_TAP, DEFAULT_FULL_SWEEP_INTERVAL, type InvariantTimings, type KernelInvariantCheckerOptions } from "./kernel-invariant-checker.js";
