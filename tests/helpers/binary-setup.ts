// Global setup of the vitest project "binary" (vitest.config.ts): builds the single binary once
// for the run, copies it alone into an empty temp dir (tests/helpers/binary.ts) and provides
// its path; portholeCommand() and the server child helper run that file. Runs only when a file
// of that project is in the run, so `vitest run tests/unit/...` builds nothing.
import type { TestProject } from 'vitest/node';
import { buildLoneBinary } from './binary.js';
import { buildMain } from './build-main.js';
import './runtimes.js'; // declares the provided key portholeBinary

export default function setup(project: TestProject): () => void {
  buildMain();
  const bin = buildLoneBinary();
  project.provide('portholeBinary', bin.exe);
  return () => bin.dispose();
}
