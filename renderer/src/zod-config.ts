// Why: zod 4 compiles object parsers with `new Function` unless told not to; the server's CSP
// forbids eval, so the renderer switches zod to its jitless path before anything parses.
// Imported first by main.ts.
import { z } from 'zod';

z.config({ jitless: true });
