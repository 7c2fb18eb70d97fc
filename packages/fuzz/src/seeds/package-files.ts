import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Seeds are the project's own fixtures, read from the package that owns them (nothing outside
 * the repository). Paths are relative to the monorepo's packages/ folder, which is where the fuzz
 * package lives too (it is private and never runs outside the repository).
 */
const PACKAGES_DIRECTORY = new URL("../../../", import.meta.url);

export function packagePath(relativePath: string): string {
  return fileURLToPath(new URL(relativePath, PACKAGES_DIRECTORY));
}

export function readPackageFile(relativePath: string): Uint8Array {
  return new Uint8Array(readFileSync(packagePath(relativePath)));
}

/** The files of a package folder whose names end with `suffix`, sorted by name (stable seeds). */
export function readPackageFiles(folder: string, suffix: string): Uint8Array[] {
  const directory = packagePath(folder.endsWith("/") ? folder : `${folder}/`);
  return readdirSync(directory)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => new Uint8Array(readFileSync(`${directory}${name}`)));
}

/** Latin-1 view of bytes: one character per byte, so text targets can see any byte string. */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/** UTF-8 text, decoded as Node's readFile(path, "utf8") would (invalid sequences become U+FFFD). */
export function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

export function textBytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "utf8"));
}

/** The inverse of latin1(): one byte per character (characters above U+00FF are cut to 8 bits). */
export function latin1Bytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "latin1"));
}
