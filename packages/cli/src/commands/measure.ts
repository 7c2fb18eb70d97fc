import { resolve } from "node:path";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { discoverAndVerify, prepareConfiguration } from "../config/prepare-configuration.js";
import { colorsFor } from "../io/colors.js";
import { stableJsonText } from "../output/canonical-json.js";
import { writeFileAtomic } from "../output/write-file-atomic.js";
import { LAUNCH_PCRS } from "@novakit/txt-launch";
import { expectedValuesJson, predictLaunch } from "./launch-prediction.js";
import type { Command } from "./command.js";
import { launchOptionsWith, launchPluginOf, parseBanks } from "./measured-launch-support.js";

export const measureCommand: Command = {
  name: "measure",
  summary: "predict the measured launch's PCR 17/18/19 values and event log without booting",
  help: `Usage: novakit measure [CONFIG] [--json] [-o LOG] [--mle FILE --root FILE] [--banks LIST]

Plans the configuration's measured launch (the @novakit/txt-launch plugin: Intel TXT or AMD
SKINIT by CPU vendor or its method option) and computes, without a TPM, the event log it writes
and the values PCR 17, 18 and 19 end with in every bank: the values a verifier should expect.
What is measured is the composed hypervisor image (plugins, versions, options, NOVA command line)
and the root task image, or with --mle/--root a real NOVA hypervisor-x86_64 ELF and root ELF.

Options:
  --json          print { format, method, banks, pcrs: {bank: {17, 18, 19}}, events: [...] }
                  (the file \`verify-log --expected\` reads)
  -o, --out LOG   write the expected TCG crypto-agile event log
  --mle FILE      measure this NOVA hypervisor ELF (the bytes cmd/digest streams)
  --root FILE     measure this root task ELF (its first read-only PT_LOAD)
  --banks LIST    banks to predict, e.g. sha1,sha256 (default: sha1,sha256,sha384,sha512)
  -h, --help      show this help
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      "measure",
      argv,
      { json: { type: "boolean" }, out: { type: "string", short: "o" }, mle: { type: "string" }, root: { type: "string" }, banks: { type: "string" } },
      1,
    );
    if (values["help"] === true) {
      io.stdout(this.help);
      return 0;
    }
    const prepared = await prepareConfiguration(io.cwd, positionals[0]);
    const { platform } = await discoverAndVerify(prepared);
    const entry = launchPluginOf(prepared, "measure");
    const mle = values["mle"];
    const root = values["root"];
    const options = launchOptionsWith(entry, { ...(typeof mle === "string" ? { mle } : {}), ...(typeof root === "string" ? { root } : {}) }, io.cwd);
    const banks = parseBanks("measure", typeof values["banks"] === "string" ? values["banks"] : undefined);
    const prediction = predictLaunch(prepared, platform, options, banks);
    const out = values["out"];
    if (typeof out === "string") await writeFileAtomic(resolve(io.cwd, out), prediction.log);
    if (values["json"] === true) {
      io.stdout(stableJsonText(expectedValuesJson(prediction, prepared.source.label, platform.name, banks) as never));
      return 0;
    }
    const colors = colorsFor(io);
    io.stdout(colors.bold(`${prepared.source.label}: ${prediction.method === "txt" ? "Intel TXT (GETSEC[SENTER])" : "AMD SKINIT"} on ${platform.name}\n`));
    io.stdout(`hypervisor: ${prediction.hypervisorSource} (${prediction.hypervisorBytes} bytes measured), root: ${prediction.rootSource} (${prediction.rootBytes} bytes)\n\n`);
    for (const event of prediction.events) io.stdout(`  #${event.number} PCR ${event.pcr} ${event.typeName.padEnd(28)} ${event.description}\n`);
    io.stdout("\n");
    for (const bank of banks) for (const pcr of LAUNCH_PCRS) io.stdout(`${bank.padEnd(6)} PCR ${pcr}: ${prediction.pcrs[bank]?.[String(pcr)]}\n`);
    if (typeof out === "string") io.stdout(`\nexpected event log: ${resolve(io.cwd, out)} (${prediction.log.length} bytes)\n`);
    return 0;
  },
};
