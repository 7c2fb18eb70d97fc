const ENTITIES: Readonly<Record<string, string>> = Object.freeze({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" });

/**
 * Text for HTML element content and quoted attribute values alike: every string that reaches
 * the page from a configuration, a plugin or the boot log goes through here (names can hold `<`).
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}
