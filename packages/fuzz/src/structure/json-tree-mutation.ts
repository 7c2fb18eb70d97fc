import type { SeededRandom } from "@novakit/kernel-core";
import { oneIn, pickOne } from "../mutate/random-choice.js";
import { textBytes, utf8 } from "../seeds/package-files.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Container = Json[] | { [key: string]: Json };

/** Values a schema has to turn away with a field-naming diagnostic, whatever field they land in. */
const REPLACEMENTS: readonly Json[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  2 ** 31,
  2 ** 32,
  2 ** 53 + 2,
  1e300,
  -1e300,
  "",
  "x".repeat(300),
  "0x",
  "0xffffffffffffffff",
  "0x1ffffffffffffffff",
  "-0x1",
  "ffff:ff:1f.7",
  "10000:00:00.0",
  [],
  {},
  [null],
  { "": null },
];

/** A fresh copy: the arrays and objects of REPLACEMENTS must never enter a tree (a later edit would change the constant, or put it inside itself) */
function replacement(random: SeededRandom): Json {
  return structuredClone(pickOne(random, REPLACEMENTS));
}

/** Every container in the tree with one of its keys (array index or object key), in document order. */
function slots(root: Json): { container: Container; key: string | number }[] {
  const found: { container: Container; key: string | number }[] = [];
  const visit = (node: Json): void => {
    if (Array.isArray(node)) {
      node.forEach((child, index) => {
        found.push({ container: node, key: index });
        visit(child);
      });
    } else if (node !== null && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) {
        // an own "__proto__" key (JSON.parse makes one) cannot be reassigned with obj[key] = …
        if (key === "__proto__") continue;
        found.push({ container: node, key });
        visit(child);
      }
    }
  };
  visit(root);
  return found;
}

function read(container: Container, key: string | number): Json {
  return (Array.isArray(container) ? container[key as number] : container[key as string]) as Json;
}

function write(container: Container, key: string | number, value: Json): void {
  if (Array.isArray(container)) container[key as number] = value;
  else container[key as string] = value;
}

function tweak(value: Json, random: SeededRandom): Json {
  if (typeof value === "number") return pickOne(random, [value + 1, value - 1, -value, value * 2, value * 1024, Math.floor(value / 2), value + 0.5]);
  if (typeof value === "string") {
    if (/^0x[0-9a-f]+$/i.test(value)) return `0x${pickOne(random, ["0", "f", "ff", "100000000", "ffffffffffffffff"])}${value.slice(2)}`;
    return pickOne(random, [`${value}x`, value.slice(0, -1), value.toUpperCase(), ` ${value}`, `${value}\u0000`, value.repeat(3)]);
  }
  return replacement(random);
}

/**
 * One structural edit of a JSON document: replace a value (with an edge value, a nearby value
 * or another field's value: type confusion), delete or duplicate an array element, delete a key,
 * or add a key copied from elsewhere in the document. The result is valid JSON, so the schema
 * behind the JSON reader is what gets fuzzed. Undefined when the parent is not valid JSON.
 */
export function mutateJsonDocument(parent: Uint8Array, random: SeededRandom): Uint8Array | undefined {
  let root: Json;
  try {
    root = JSON.parse(utf8(parent)) as Json;
  } catch {
    return undefined;
  }
  const all = slots(root);
  if (all.length === 0) return textBytes(JSON.stringify(replacement(random)));
  for (let edits = oneIn(random, 3) ? 2 : 1; edits > 0; edits--) {
    const remaining = slots(root);
    if (remaining.length === 0) break;
    const { container, key } = pickOne(random, remaining);
    const current = read(container, key);
    switch (random.below(5)) {
      case 0:
        write(container, key, replacement(random));
        break;
      case 1:
        write(container, key, tweak(current, random));
        break;
      case 2: {
        // another field's value here: a string where a number belongs, an object in a list of strings
        const donor = pickOne(random, all);
        write(container, key, structuredClone(read(donor.container, donor.key)));
        break;
      }
      case 3:
        if (Array.isArray(container)) container.splice(key as number, 1);
        else delete container[key as string];
        break;
      default:
        if (Array.isArray(container)) container.splice(key as number, 0, structuredClone(current));
        else {
          const donor = pickOne(random, all);
          const donorKey = typeof donor.key === "string" ? donor.key : `k${donor.key}`;
          if (donorKey !== "__proto__") container[donorKey] = structuredClone(read(donor.container, donor.key));
        }
    }
  }
  return textBytes(JSON.stringify(root, null, oneIn(random, 2) ? 2 : undefined));
}
