// Sourcify's own verification engine (@ethereum-sourcify/lib-sourcify), driven with the
// project's solc-js: stdin {rpc, chainId, address, creationTx, version, input, path, name}
// → stdout one JSON line {runtimeMatch, creationMatch} (perfect | partial | null) or {error}.
// The Sourcify stand-in answers with this verdict (tests/framework/explorer).
"use strict";
const path = require("path");

const root = process.env.DAFTAR_NODE_MODULES || path.resolve(__dirname, "../../../node_modules");
const log = console.log;
console.log = (...a) => console.error(...a); // solc-js and the library keep stdout clean

function solcFor(version) {
  const fs = require("fs");
  const short = version.split("+")[0];
  for (const dir of fs.readdirSync(root)) {
    if (dir !== "solc" && !/^solc\d+$/.test(dir)) continue;
    const solc = require(path.join(root, dir));
    if (solc.version().startsWith(short + "+")) return solc;
  }
  throw new Error(`no solc-js ${version} in ${root}`);
}

async function main() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  const job = JSON.parse(Buffer.concat(chunks).toString());
  const lib = require(path.join(root, "@ethereum-sourcify/lib-sourcify"));
  const compiler = {
    async compile(version, input) {
      const solc = solcFor(version);
      return JSON.parse(solc.compile(JSON.stringify(input)));
    },
  };
  const compilation = new lib.SolidityCompilation(compiler, job.version, job.input, {
    path: job.path,
    name: job.name,
  });
  const chain = new lib.SourcifyChain({
    name: "stand-in chain",
    chainId: job.chainId,
    rpcs: [{ rpc: job.rpc }],
    supported: true,
  });
  const verification = new lib.Verification(
    compilation, chain, job.address, job.creationTx || undefined,
  );
  try {
    await verification.verify();
    log(JSON.stringify(verification.status));
  } catch (err) {
    log(JSON.stringify({ error: String((err && err.message) || err), code: err && err.code }));
  }
}

main().catch((err) => {
  log(JSON.stringify({ error: String((err && err.stack) || err) }));
  process.exitCode = 0;
});
