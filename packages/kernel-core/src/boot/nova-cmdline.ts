/**
 * NOVA's command line (reference/nova.md §8.1): space-separated tokens; a token sets every
 * recognised option it is a prefix of (so "nosm" sets nosmmu); unknown tokens are ignored.
 */
export const NOVA_CMDLINE_OPTIONS: readonly string[] = Object.freeze([
  "insecure",
  "noccst",
  "nocpst",
  "nodl",
  "nomktme",
  "nopcid",
  "nosmmu",
  "nouart",
  "novpid",
]);

export class NovaCmdline {
  private readonly enabled: ReadonlySet<string>;

  constructor(readonly text: string) {
    const tokens = text.split(" ").filter((token) => token.length > 0);
    this.enabled = new Set(NOVA_CMDLINE_OPTIONS.filter((option) => tokens.some((token) => option.startsWith(token))));
  }

  /** true when `option` is one NOVA recognises and a token selects it */
  has(option: string): boolean {
    return this.enabled.has(option);
  }

  get options(): readonly string[] {
    return [...this.enabled];
  }
}
