// Run by Bun (scripts/build-bin.mjs starts it): one `Bun.build({ compile })` of the binary.
// Through the JS API rather than `bun build --compile` for one plugin: @xterm/headless and
// @xterm/addon-serialize name a browser ES build in "module" (lib/xterm.mjs is the DOM
// terminal) beside the CommonJS build in "main" that Node loads; Bun's bundler prefers
// "module", so it would bundle the wrong terminal. The plugin resolves them as Node does.
//
//   bun scripts/bun-compile.mjs '<json: {entrypoints, outfile, target?, minify, bytecode, external}>'
import { createRequire } from 'node:module';

const config = JSON.parse(process.argv[2] ?? '{}');
const require = createRequire(import.meta.url);
const NODE_MAIN = /^@xterm\/(headless|addon-serialize|addon-unicode11)$/;

const nodeMain = {
  name: 'node-main-fields',
  setup(build) {
    build.onResolve({ filter: NODE_MAIN }, (args) => ({ path: require.resolve(args.path) }));
  },
};

/** node-pty stays out of the binary (it has Bun's PTY). The Node adapter that imports it is in
 *  the bundle, loaded only under Node (main/server/runtime.ts), so it gets a stand-in that says
 *  so if it is ever used: an external would be imported when the binary starts. */
const NO_NODE_PTY = /^(@lydell\/)?node-pty$/;
const noNodePty = {
  name: 'no-node-pty',
  setup(build) {
    build.onResolve({ filter: NO_NODE_PTY }, (args) => ({ path: args.path, namespace: 'no-node-pty' }));
    build.onLoad({ filter: /.*/, namespace: 'no-node-pty' }, () => ({
      loader: 'js',
      contents: "const gone = () => { throw new Error('node-pty is not in the porthole binary (it uses Bun\\'s PTY)'); };\nexport default { spawn: gone };\nexport const spawn = gone;\n",
    }));
  },
};

const result = await Bun.build({
  entrypoints: config.entrypoints,
  compile: {
    outfile: config.outfile,
    ...(config.target ? { target: config.target } : {}),
    // A binary's behaviour must not depend on files that happen to sit in the user's cwd.
    autoloadDotenv: false,
    autoloadBunfig: false,
  },
  minify: Boolean(config.minify),
  // Bytecode defaults to CommonJS, which has no top-level await: the CLI has it, so ESM.
  ...(config.bytecode ? { bytecode: true, format: 'esm' } : {}),
  external: config.external ?? [],
  // Flat names: the workers land at /$bunfs/root/screen-worker.js and password-worker.js,
  // where their hosts look (new URL('./x-worker.js', import.meta.url) in the bundle).
  naming: '[name].[ext]',
  plugins: [nodeMain, noNodePty],
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
