import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { qrMatrix, QUIET_ZONE } from './qr';

/** Rasterizes the SVG path the label draws and reads it back with a QR decoder. */
function decode(text: string): string | undefined {
  const { path, viewBox } = qrMatrix(text);
  const scale = 4;
  const side = viewBox * scale;
  const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
  for (const [, x, y] of path.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) {
    for (let dy = 0; dy < scale; dy++)
      for (let dx = 0; dx < scale; dx++) {
        const at = ((Number(y) * scale + dy) * side + Number(x) * scale + dx) * 4;
        pixels[at] = pixels[at + 1] = pixels[at + 2] = 0;
      }
  }
  return jsQR(pixels, side, side)?.data;
}

describe('label QR codes', () => {
  it('encode the Digital Link, with the quiet zone around', () => {
    const url = 'https://explorer.example.com/01/09506000134352/10/L7/21/1001';
    expect(decode(url)).toBe(url);
    const { size, viewBox } = qrMatrix(url);
    expect(viewBox).toBe(size + 2 * QUIET_ZONE);
  });
});
