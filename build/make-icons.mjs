// Why this exists: Porthole's icons are drawn by code (no image editor, no binary blobs
// without a source): a brass porthole ring with bolts around a dark glass showing a `>_`
// prompt. Run `node build/make-icons.mjs` after changing it; the PNGs it writes are committed.
//   build/icon.png              1024 px, electron-builder makes .icns/.ico/Linux sizes from it
//   resources/icons/icon-256.png the window icon (Linux/Windows)
//   resources/icons/tray.png (+@2x) Linux tray, tray-32.png Windows tray,
//   resources/icons/trayTemplate.png (+@2x) macOS menu bar (black + alpha; macOS recolours it)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------- PNG encoding (RGBA, 8 bit, no interlace) ----------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------- the drawing, in unit coordinates (0..1) ----------
function segDist(px, py, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}
const BOLTS = Array.from({ length: 8 }, (_, i) => {
  const a = (i * Math.PI) / 4 + Math.PI / 8;
  return [0.5 + 0.44 * Math.cos(a), 0.5 + 0.44 * Math.sin(a)];
});
const BRASS = [201, 162, 39];
const BOLT = [140, 108, 20];
const GLASS = [16, 44, 58];
const PROMPT = [120, 230, 160];

/** The colour (or null) of one sample point; `template` draws only what a menu bar needs. */
function sample(x, y, template, stroke) {
  const r = Math.hypot(x - 0.5, y - 0.5);
  const chevron = Math.min(segDist(x, y, 0.33, 0.36, 0.49, 0.5), segDist(x, y, 0.49, 0.5, 0.33, 0.64));
  const underscore = segDist(x, y, 0.53, 0.64, 0.68, 0.64);
  if (template) {
    if (Math.abs(r - 0.43) < 0.065) return [0, 0, 0];
    if (chevron < stroke || underscore < stroke) return [0, 0, 0];
    return null;
  }
  for (const [bx, by] of BOLTS) if (Math.hypot(x - bx, y - by) < 0.025) return BOLT;
  if (r > 0.38 && r < 0.49) return BRASS;
  if (chevron < stroke || underscore < stroke) return PROMPT;
  if (r <= 0.38) return GLASS;
  return null;
}

function render(size, template) {
  const ss = size >= 256 ? 3 : 6; // supersampling per axis
  const stroke = template ? Math.max(0.06, 1.1 / size) : Math.max(0.035, 0.9 / size);
  const out = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = sample((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size, template, stroke);
          if (c) {
            r += c[0]; g += c[1]; b += c[2]; a += 1;
          }
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
        out[i + 3] = Math.round((255 * a) / (ss * ss));
      }
    }
  }
  return encodePng(size, out);
}

const files = [
  ['build/icon.png', 1024, false],
  ['resources/icons/icon-256.png', 256, false],
  ['resources/icons/tray.png', 24, false],
  ['resources/icons/tray@2x.png', 48, false],
  ['resources/icons/tray-32.png', 32, false],
  ['resources/icons/trayTemplate.png', 18, true],
  ['resources/icons/trayTemplate@2x.png', 36, true],
];
for (const [rel, size, template] of files) {
  const file = path.join(ROOT, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, render(size, template));
  console.log(`${rel} ${size}x${size}`);
}
