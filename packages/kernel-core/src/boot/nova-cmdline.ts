/**
 * NOVA's command line (reference/nova.md §8.1, [REL-24.08]): tokens separated by spaces; a token
 * sets every option whose name starts with the token (compared over the token's length, so
 * `nosm` sets nosmmu and `no` sets all nine "no" options); unknown tokens are ignored.
 */
export const NOVA_CMDLINE_OPTIONS = Object.freeze([
  "insecure",
  "noccst",
  "nocpst",
  "nodl",
  "nomktme",
  "nopcid",
  "nosmmu",
  "nouart",
  "novpid",
] as const);

export type NovaCmdlineOption = (typeof NOVA_CMDLINE_OPTIONS)[number];

export interface ParsedNovaCmdline {
  /** the tokens in command-line order */
  readonly tokens: readonly string[];
  /** the options set, in NOVA_CMDLINE_OPTIONS order */
  readonly options: readonly NovaCmdlineOption[];
  /** which options each token set (empty for a token NOVA ignores) */
  readonly matches: readonly { readonly token: string; readonly options: readonly NovaCmdlineOption[] }[];
  /** tokens that match no option: NOVA ignores them, `check` warns about them */
  readonly unknownTokens: readonly string[];
}

/**
 * A token matches when it is a prefix of the option name. NOVA compares the token's characters
 * with the option's, so a token longer than the name runs into the name's terminating NUL and
 * does not match ("nosmmux" sets nothing).
 */
export function tokenMatchesOption(token: string, option: string): boolean {
  return token.length > 0 && option.startsWith(token);
}

export function parseNovaCmdline(cmdline: string): ParsedNovaCmdline {
  // NOVA splits on spaces only; consecutive spaces give no empty tokens.
  const tokens = cmdline.split(" ").filter((token) => token.length > 0);
  const matches = tokens.map((token) => ({
    token,
    options: NOVA_CMDLINE_OPTIONS.filter((option) => tokenMatchesOption(token, option)),
  }));
  const set = new Set(matches.flatMap((match) => match.options));
  return {
    tokens,
    options: NOVA_CMDLINE_OPTIONS.filter((option) => set.has(option)),
    matches,
    unknownTokens: matches.filter((match) => match.options.length === 0).map((match) => match.token),
  };
}

/** The options a command line sets, as the kernel asks about them at boot. */
export class NovaCmdline {
  private readonly enabled: ReadonlySet<string>;

  constructor(readonly text: string) {
    this.enabled = new Set(parseNovaCmdline(text).options);
  }

  /** true when `option` is one NOVA recognises and a token selects it */
  has(option: string): boolean {
    return this.enabled.has(option);
  }

  get options(): readonly NovaCmdlineOption[] {
    return NOVA_CMDLINE_OPTIONS.filter((option) => this.enabled.has(option));
  }
}
