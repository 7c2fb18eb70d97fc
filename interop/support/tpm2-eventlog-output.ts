/** What tpm2_eventlog (tpm2-tools 5.4) printed: each record's digests and its replayed PCR values. */
export interface Tpm2EventlogOutput {
  /** per EventNum (1 = first record after the Spec ID header): bank → hex digest */
  readonly digests: ReadonlyMap<number, ReadonlyMap<string, string>>;
  readonly pcrIndex: ReadonlyMap<number, number>;
  /** the `pcrs:` section: bank → PCR → hex */
  readonly pcrs: ReadonlyMap<string, ReadonlyMap<number, string>>;
}

/**
 * Reads tpm2_eventlog's YAML by lines (the layout is fixed: `- EventNum: N`, `PCRIndex: N`,
 * `- AlgorithmId: bank` followed by `Digest: "hex"`, then `pcrs:` with `bank:` and `N : 0xhex`).
 */
export function parseTpm2EventlogOutput(text: string): Tpm2EventlogOutput {
  const digests = new Map<number, Map<string, string>>();
  const pcrIndex = new Map<number, number>();
  const pcrs = new Map<string, Map<number, string>>();
  let event = -1;
  let algorithm: string | undefined;
  let inPcrs = false;
  let bank: Map<number, string> | undefined;
  for (const line of text.split("\n")) {
    if (/^pcrs:\s*$/.test(line)) {
      inPcrs = true;
      continue;
    }
    if (inPcrs) {
      const bankLine = /^\s+(sha\d+):\s*$/.exec(line);
      if (bankLine) {
        bank = new Map();
        pcrs.set(bankLine[1] as string, bank);
        continue;
      }
      const value = /^\s+(\d+)\s*:\s*0x([0-9a-fA-F]+)\s*$/.exec(line);
      if (value && bank) bank.set(Number(value[1]), (value[2] as string).toLowerCase());
      continue;
    }
    const eventLine = /^- EventNum: (\d+)/.exec(line);
    if (eventLine) {
      event = Number(eventLine[1]);
      continue;
    }
    const pcrLine = /^\s+PCRIndex: (\d+)/.exec(line);
    if (pcrLine) pcrIndex.set(event, Number(pcrLine[1]));
    const algorithmLine = /^\s+- AlgorithmId: (\w+)/.exec(line);
    if (algorithmLine) algorithm = algorithmLine[1];
    const digestLine = /^\s+Digest: "([0-9a-fA-F]+)"/.exec(line);
    if (digestLine && algorithm !== undefined && event > 0) {
      const byBank = digests.get(event) ?? new Map<string, string>();
      byBank.set(algorithm, (digestLine[1] as string).toLowerCase());
      digests.set(event, byBank);
      algorithm = undefined;
    }
  }
  return { digests, pcrIndex, pcrs };
}
