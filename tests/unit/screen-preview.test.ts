// screen-preview.ts: a headless xterm's visible rows as styled runs (what a share link paints
// first). Runs split where the style changes, wide characters take one run cell (their right
// half is skipped), trailing default blanks go, palette / true colour / inverse are kept.
import headless from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { PREVIEW_BOLD, PREVIEW_INVERSE, PREVIEW_RGB, PREVIEW_UNDERLINE } from '../../common/preview.js';
import { ScreenPreviewSchema } from '../../common/preview-schema.js';
import { screenPreview } from '../../main/server/sessions/screen-preview.js';

const { Terminal } = headless;

function screenOf(data: string, cols = 20, rows = 4): Promise<InstanceType<typeof Terminal>> {
  const term = new Terminal({ cols, rows, allowProposedApi: true });
  return new Promise((resolve) => term.write(data, () => resolve(term)));
}

describe('screenPreview', () => {
  it('splits runs by style and keeps palette, true colour, bold, inverse and underline', async () => {
    const term = await screenOf('a\x1b[1;31mB\x1b[0m\x1b[48;5;200mc\x1b[0m\x1b[38;2;1;2;3;7md\x1b[0m\x1b[4m \x1b[0m   ');
    const p = ScreenPreviewSchema.parse(screenPreview(term));
    expect(p.lines[0]).toEqual([
      ['a', -1, -1, 0],
      ['B', 1, -1, PREVIEW_BOLD],
      ['c', -1, 200, 0],
      ['d', PREVIEW_RGB + 0x010203, -1, PREVIEW_INVERSE],
      [' ', -1, -1, PREVIEW_UNDERLINE], // an underlined blank is visible: kept
    ]);
    expect(p.lines.slice(1)).toEqual([[], [], []]);
    expect(p).toMatchObject({ cols: 20, rows: 4, cursor: { x: 8, y: 0, visible: true } });
    term.dispose();
  });

  it('gives a wide character one cell of text, and only the visible rows (never scrollback)', async () => {
    const term = await screenOf('old line\r\n'.repeat(10) + '漢x\r\n\x1b[?25l', 10, 3);
    const p = screenPreview(term);
    expect(p.lines).toHaveLength(3);
    expect(p.lines[1]).toEqual([['漢x', -1, -1, 0]]);
    expect(p.lines.map((l) => l.map((r) => r[0]).join(''))).toEqual(['old line', '漢x', '']);
    expect(p.cursor.visible).toBe(false);
    term.dispose();
  });
});
