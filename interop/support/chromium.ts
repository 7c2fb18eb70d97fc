import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Debian's chromium (package `chromium`); playwright-core drives it, it downloads no browser of its own. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** What a developer must do when the browser is absent: CI installs the same package. */
export const CHROMIUM_MISSING_MESSAGE =
  `${CHROMIUM_PATH} is missing: install Debian's chromium (\`sudo apt-get install chromium\`); ` +
  "CI installs it before `npm run interop`";

/**
 * The flags every headless run uses. The background-networking ones matter on machines with a
 * closed network: without them Chromium's own update, sync and component connections are
 * attempted (and refused) while the page loads.
 */
export const CHROMIUM_FLAGS: readonly string[] = Object.freeze([
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]);

export interface HeadlessChromium {
  readonly context: BrowserContext;
  /** closes the browser and removes its profile directory */
  close(): Promise<void>;
}

/**
 * Launches Debian's chromium headless with a fresh profile (`--user-data-dir` in a new temporary
 * directory), through playwright-core's persistent context. Throws CHROMIUM_MISSING_MESSAGE when
 * the browser is not installed: a missing browser fails the test, it is never skipped.
 */
export async function launchChromium(): Promise<HeadlessChromium> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(CHROMIUM_MISSING_MESSAGE);
  const profile = await mkdtemp(join(tmpdir(), "novakit-chromium-"));
  let context: BrowserContext;
  try {
    // launchPersistentContext passes the profile as --user-data-dir
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_FLAGS],
      viewport: { width: 1366, height: 900 },
      offline: true,
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
