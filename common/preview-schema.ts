// The zod schema of a screen preview (common/preview.ts), for the server's tests and clients
// that validate what they get; the share page's first chunk checks the shape by hand instead.
import { z } from 'zod';
import { PREVIEW_RGB } from './preview.js';

const Color = z.number().int().min(-1).max(PREVIEW_RGB + 0xffffff);
/** [text, fg, bg, flags]: consecutive cells of one style (tuples keep a 100x30 screen ~5 KB). */
export const PreviewRunSchema = z.tuple([z.string(), Color, Color, z.number().int().min(0).max(127)]);
export const ScreenPreviewSchema = z
  .object({
    cols: z.number().int().min(1).max(1000),
    rows: z.number().int().min(1).max(500),
    cursor: z.object({ x: z.number().int().min(0), y: z.number().int().min(0), visible: z.boolean() }).strict(),
    lines: z.array(z.array(PreviewRunSchema)),
  })
  .strict();
export type PreviewRun = z.infer<typeof PreviewRunSchema>;
export type ScreenPreview = z.infer<typeof ScreenPreviewSchema>;
