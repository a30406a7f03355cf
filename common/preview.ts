// The visible screen as rows of styled text runs: what a share link paints before xterm.js has
// loaded (GET /api/sessions/:id/preview, docs/first-screen.md). Made by the screen worker
// (main/server/sessions/screen-preview.ts), drawn with textContent by renderer/src/preview.ts,
// so terminal text never becomes markup. No zod here: the share page's first chunk imports it;
// the schema is in preview-schema.ts.
/** Run flags, one bit each. */
export const PREVIEW_BOLD = 1;
export const PREVIEW_DIM = 2;
export const PREVIEW_ITALIC = 4;
export const PREVIEW_UNDERLINE = 8;
export const PREVIEW_INVERSE = 16;
export const PREVIEW_INVISIBLE = 32;
export const PREVIEW_STRIKE = 64;
/** A colour is -1 (the theme's default), 0..255 (the palette) or PREVIEW_RGB + 0xRRGGBB. */
export const PREVIEW_DEFAULT_COLOR = -1;
export const PREVIEW_RGB = 0x1000000;

export type { PreviewRun, ScreenPreview } from './preview-schema.js';
