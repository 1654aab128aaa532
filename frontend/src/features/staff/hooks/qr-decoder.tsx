'use client';
/**
 * The QR decoding seam: the real decoders by default; tests provide their own, since happy-dom
 * has neither a camera nor a canvas.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { decodeQr, decodeQrFile } from '../utils/qr';

export interface QrDecoder {
  decodeFrame: (video: HTMLVideoElement) => Promise<string | null>;
  decodeFile: (file: Blob) => Promise<string | null>;
  /** Opens the camera; the default asks for the rear camera. */
  openCamera: () => Promise<MediaStream>;
}

function openRearCamera(): Promise<MediaStream> {
  const devices = (navigator as { mediaDevices?: MediaDevices }).mediaDevices;
  if (!devices?.getUserMedia) {
    return Promise.reject(
      new DOMException('the camera needs a secure (https) page', 'NotSupportedError'),
    );
  }
  return devices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
}

export const browserQrDecoder: QrDecoder = {
  decodeFrame: (video) => decodeQr(video),
  decodeFile: decodeQrFile,
  openCamera: openRearCamera,
};

const QrDecoderContext = createContext<QrDecoder>(browserQrDecoder);

export function QrDecoderProvider({
  decoder,
  children,
}: {
  decoder: QrDecoder;
  children: ReactNode;
}) {
  return <QrDecoderContext value={decoder}>{children}</QrDecoderContext>;
}

export function useQrDecoder(): QrDecoder {
  return useContext(QrDecoderContext);
}
