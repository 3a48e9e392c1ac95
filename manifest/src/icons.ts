// WarmPath's icons drawn with pngjs: two people joined through a colleague (the warm path).
import { PNG } from 'pngjs';

type Rgb = readonly [number, number, number];

/** The manifest's accentColor; the color icon's background. */
export const ACCENT: Rgb = [0xc2, 0x41, 0x0c];
const WHITE: Rgb = [0xff, 0xff, 0xff];

/** Sizes Teams and Outlook ask for (color 192, outline 32, add-in ribbon 16/32/80). */
export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;
export const ADDIN_ICON_SIZES = [16, 32, 80] as const;

/** The glyph on a unit square: three nodes and the two links of an intro path. */
const NODES = [
  { x: 0.22, y: 0.68, r: 0.1 },
  { x: 0.5, y: 0.3, r: 0.1 },
  { x: 0.78, y: 0.68, r: 0.1 },
] as const;
const LINK_WIDTH = 0.07;

function distanceToSegment(
  px: number,
  py: number,
  a: { x: number; y: number },
  b: { x: number; y: number },
): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (a.x + t * dx), py - (a.y + t * dy));
}

function insideGlyph(x: number, y: number): boolean {
  const [left, middle, right] = NODES;
  if (NODES.some((node) => Math.hypot(x - node.x, y - node.y) <= node.r)) return true;
  return (
    distanceToSegment(x, y, left, middle) <= LINK_WIDTH / 2 ||
    distanceToSegment(x, y, middle, right) <= LINK_WIDTH / 2
  );
}

function insideRoundedSquare(x: number, y: number, radius: number): boolean {
  const cx = Math.min(Math.max(x, radius), 1 - radius);
  const cy = Math.min(Math.max(y, radius), 1 - radius);
  return Math.hypot(x - cx, y - cy) <= radius;
}

/** Coverage of a shape in one pixel, from a 4×4 grid of samples (anti-aliased edges). */
function coverage(size: number, px: number, py: number, inside: (x: number, y: number) => boolean) {
  const grid = 4;
  let hits = 0;
  for (let i = 0; i < grid; i++) {
    for (let j = 0; j < grid; j++) {
      if (inside((px + (i + 0.5) / grid) / size, (py + (j + 0.5) / grid) / size)) hits++;
    }
  }
  return hits / (grid * grid);
}

function draw(size: number, pixel: (px: number, py: number) => [number, number, number, number]) {
  const png = new PNG({ width: size, height: size, colorType: 6 });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const offset = (py * size + px) * 4;
      const [r, g, b, a] = pixel(px, py);
      png.data[offset] = r;
      png.data[offset + 1] = g;
      png.data[offset + 2] = b;
      png.data[offset + 3] = a;
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

/** Full-colour icon: white glyph on an accent rounded square, opaque inside the square. */
export function drawColorIcon(size: number = COLOR_ICON_SIZE): Buffer {
  return draw(size, (px, py) => {
    const square = coverage(size, px, py, (x, y) => insideRoundedSquare(x, y, 0.18));
    // the glyph sits in the middle 80% of the square
    const glyph = coverage(size, px, py, (x, y) => insideGlyph((x - 0.1) / 0.8, (y - 0.1) / 0.8));
    const white = square === 0 ? 0 : Math.min(1, glyph / square);
    const mix = (channel: 0 | 1 | 2) =>
      Math.round(ACCENT[channel] * (1 - white) + WHITE[channel] * white);
    return [mix(0), mix(1), mix(2), Math.round(square * 255)];
  });
}

/** Outline icon: the glyph in white on a transparent background, as Teams requires. */
export function drawOutlineIcon(size: number = OUTLINE_ICON_SIZE): Buffer {
  return draw(size, (px, py) => [...WHITE, Math.round(coverage(size, px, py, insideGlyph) * 255)]);
}
