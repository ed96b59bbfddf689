// The one source of OnScene's icon (issue #16): a white cross on NHS Blue (#005EB8) in a rounded
// square, drawn here and written as the PNGs Linux uses (build/icons/NxN.png) and the Windows
// .ico (build/icon.ico, PNG-compressed entries, 256 px first). `node build/makeIcons.mjs [outDir]`
// regenerates them; scripts/installerConfig.test.ts checks the committed files match this source.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
const ICO_SIZES = [256, 48, 32, 24, 16];
const BLUE = [0x00, 0x5e, 0xb8];
const WHITE = [0xff, 0xff, 0xff];

/** Coverage of the shape at a point of the unit square: 0 outside, 1 blue tile, 2 white cross. */
function shapeAt(x, y) {
  const r = 0.18; // corner radius of the tile
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return 0;
  const arm = Math.abs(x - 0.5) < 0.11 && Math.abs(y - 0.5) < 0.31;
  const bar = Math.abs(y - 0.5) < 0.11 && Math.abs(x - 0.5) < 0.31;
  return arm || bar ? 2 : 1;
}

/** RGBA pixels, 4×4 supersampled so edges are smooth at every size. */
export function renderIcon(size) {
  const pixels = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let tile = 0;
      let cross = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const s = shapeAt((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (s > 0) tile++;
          if (s === 2) cross++;
        }
      }
      const o = (py * size + px) * 4;
      const w = tile === 0 ? 0 : cross / tile;
      for (let c = 0; c < 3; c++) pixels[o + c] = Math.round(BLUE[c] * (1 - w) + WHITE[c] * w);
      pixels[o + 3] = Math.round((255 * tile) / (n * n));
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, k) => {
  let c = k;
  for (let i = 0; i < 8; i++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG (8-bit RGBA, no filter) of the icon at `size`. */
export function iconPng(size) {
  const pixels = renderIcon(size);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** A Windows .ico whose entries are PNGs (Vista and later), largest first. */
export function iconIco(sizes = ICO_SIZES) {
  const images = sizes.map((s) => iconPng(s));
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach((image, i) => {
    const e = 6 + 16 * i;
    const size = sizes[i];
    header[e] = size >= 256 ? 0 : size; // 0 means 256
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4); // colour planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(image.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += image.length;
  });
  return Buffer.concat([header, ...images]);
}

/** Writes icons/NxN.png and icon.ico under `outDir`. */
export function writeIcons(outDir) {
  fs.mkdirSync(path.join(outDir, 'icons'), { recursive: true });
  for (const size of ICON_SIZES) fs.writeFileSync(path.join(outDir, 'icons', `${size}x${size}.png`), iconPng(size));
  fs.writeFileSync(path.join(outDir, 'icon.ico'), iconIco());
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeIcons(process.argv[2] ? path.resolve(process.argv[2]) : path.dirname(fileURLToPath(import.meta.url)));
}
