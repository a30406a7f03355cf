// The `porthole` entry point (bin/porthole.js imports the compiled copy): hands argv to the
// dispatcher and exits with the code it decides. Everything else lives in commands.ts.
import { dispatch, processContext } from './commands.js';

const code = await dispatch(process.argv.slice(2), processContext());
// Exit explicitly: a command that is done must not be kept alive by a stray handle (a paused
// stdin, a keep-alive socket). stdout/stderr are synchronous for files and pipes on POSIX.
process.exit(code);
