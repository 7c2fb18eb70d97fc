// The entry nx.json names. The plugin is TypeScript (src/index.ts); Nx on Node 20 can only load
// TypeScript plugins through @swc-node/register or ts-node (Node 20 cannot strip types), which
// this workspace does not install. tsx (already a dependency of the CLI) compiles it instead,
// through its scoped require: only this module and its imports are compiled, nothing else that
// Nx loads in the same process is affected.
const { require: tsxRequire } = require("tsx/cjs/api");

module.exports = tsxRequire("./src/index.ts", __filename);
