/**
 * QR codes drawn as one SVG path: `qrcode` computes the modules, this turns the dark ones into
 * unit squares, so the code renders crisply at any print size with no script and no data URL.
 */
import { create } from 'qrcode';

export interface QrMatrix {
  /** Modules per side, without the quiet zone. */
  size: number;
  /** `M{x} {y}h1v1h-1z` for each dark module, offset by the quiet zone. */
  path: string;
  /** Modules per side with the quiet zone. */
  viewBox: number;
}

/** The standard's quiet zone: four modules of white on each side. */
export const QUIET_ZONE = 4;

export function qrMatrix(text: string): QrMatrix {
  // Level M (15 %): the usual choice for labels that may be scuffed, without growing the code much.
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const { size, data } = modules;
  let path = '';
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (data[row * size + col]) path += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
    }
  }
  return { size, path, viewBox: size + 2 * QUIET_ZONE };
}
