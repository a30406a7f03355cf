// The single binary's entry (`npm run build:bin`, scripts/build-bin.mjs): the same CLI as
// bin/porthole.js, assembled with what only the binary has. Its pages are embedded files
// (paths inside the executable that fs reads from memory), handed to serve as an AssetSource.
// The generated entry imports this module and calls runBinary() with the embedded paths.
import { readFile } from 'node:fs/promises';
import { memoryAssets } from '../server/http/assets.js';
import { dispatch, processContext } from './commands.js';

/** Runs the CLI; `pages` maps each renderer path ('index.html', 'assets/x.js') to where the
 *  binary holds the file. Exits the process with the command's code. */
export async function runBinary(pages: ReadonlyMap<string, string>): Promise<never> {
  const assets = memoryAssets(new Map([...pages].map(([rel, embedded]) => [rel, () => readFile(embedded)])));
  const code = await dispatch(process.argv.slice(2), { ...processContext(), assets });
  process.exit(code);
}
