/**
 * A module namespace's exports as an ES module author meant them. When tsx (or node) loads a
 * file as CommonJS, `export default x` arrives as { default: { __esModule: true, default: x } }:
 * unwrap that one level so both module systems look alike.
 */
export function esModuleExports(namespace: Record<string, unknown>): Record<string, unknown> {
  const inner = namespace["default"];
  if (typeof inner === "object" && inner !== null && (inner as Record<string, unknown>)["__esModule"] === true) {
    return inner as Record<string, unknown>;
  }
  return namespace;
}
