// Loaded with `node --import` by `npm run test:jest` (see jest.config.js): jest-light-runner imports
// each test file with import(); .ts/.tsx files are sent to the CommonJS loader instead, where
// @swc-node/register (`--require`) compiles them as the build does. Node runs this file twice: once
// in the process, to register it, and once more in the module-hooks thread, where `load` is used.
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

export async function load(url, context, nextLoad) {
  if (/\.tsx?(\?.*)?$/.test(url)) return { format: 'commonjs', shortCircuit: true };
  return nextLoad(url, context);
}

if (isMainThread) register(import.meta.url);
