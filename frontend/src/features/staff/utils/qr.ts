/**
 * Reads a QR code from a camera frame or a photo: the browser's own `BarcodeDetector` where it
 * has one that knows QR codes (Chrome on Android, Safari 17+ with the flag, ...), jsQR otherwise
 * (loaded only when needed). Returns the code's text, or null when none is found.
 */

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect: (source: ImageBitmapSource) => Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorConstructor {
  new (options?: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats?: () => Promise<string[]>;
}

export type QrSource = HTMLVideoElement | ImageBitmap;

/** Frames and photos are scaled down to this many pixels on their longer side for jsQR. */
const MAX_SIDE = 1280;

let native: Promise<BarcodeDetectorLike | null> | undefined;

function nativeDetector(): Promise<BarcodeDetectorLike | null> {
  native ??= (async () => {
    const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorConstructor })
      .BarcodeDetector;
    if (!Detector) return null;
    try {
      const formats = (await Detector.getSupportedFormats?.()) ?? ['qr_code'];
      return formats.includes('qr_code') ? new Detector({ formats: ['qr_code'] }) : null;
    } catch {
      return null;
    }
  })();
  return native;
}

function sizeOf(source: QrSource): { width: number; height: number } {
  return source instanceof ImageBitmap
    ? { width: source.width, height: source.height }
    : { width: source.videoWidth, height: source.videoHeight };
}

async function decodeWithJsQr(
  source: QrSource,
  width: number,
  height: number,
  thorough: boolean,
): Promise<string | null> {
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return null;
  context.drawImage(source, 0, 0, w, h);
  const { data } = context.getImageData(0, 0, w, h);
  const { default: jsQR } = await import('jsqr');
  return (
    jsQR(data, w, h, { inversionAttempts: thorough ? 'attemptBoth' : 'dontInvert' })?.data ?? null
  );
}

/** One attempt at a frame or image; `thorough` tries inverted codes too (photos). */
export async function decodeQr(source: QrSource, thorough = false): Promise<string | null> {
  const { width, height } = sizeOf(source);
  if (width === 0 || height === 0) return null;
  const detector = await nativeDetector();
  if (detector) {
    try {
      const codes = await detector.detect(source);
      return codes[0]?.rawValue ?? null;
    } catch {
      // Some implementations refuse some sources; jsQR reads any of them.
    }
  }
  return decodeWithJsQr(source, width, height, thorough);
}

/** The QR code in a photo; throws when the file is not an image the browser can read. */
export async function decodeQrFile(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    return await decodeQr(bitmap, true);
  } finally {
    bitmap.close();
  }
}
