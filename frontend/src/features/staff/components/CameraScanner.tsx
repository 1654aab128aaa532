'use client';
/**
 * The camera view that reads QR codes: opens the rear camera, tries a frame about five times a
 * second, and hands each code it reads to `onCode` (which says whether to keep scanning). The
 * camera is released when it closes, on unmount, and when the code was the one wanted.
 */
import { useEffect, useRef, useState } from 'react';
import { useQrDecoder } from '../hooks/qr-decoder';
import styles from '../staff.module.css';

const FRAME_MS = 200;

function cameraMessage(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'The camera was not allowed. Allow it in the browser’s site settings, or scan a photo or type the code instead.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found. Scan a photo or type the code instead.';
    case 'NotReadableError':
      return 'The camera is in use by another app. Close it and try again, or type the code.';
    case 'NotSupportedError':
      return 'This browser cannot use the camera here (it needs a secure https page). Scan a photo or type the code instead.';
    default:
      return `The camera could not be started${error instanceof Error ? `: ${error.message.replace(/\.$/, '')}` : ''}. Scan a photo or type the code instead.`;
  }
}

export function CameraScanner({
  label,
  onCode,
  onClose,
}: {
  /** What is being scanned, for the video's accessible name. */
  label: string;
  /** Called with each code read; return false to stop scanning (the wanted code was found). */
  onCode: (text: string) => boolean;
  onClose: () => void;
}) {
  const decoder = useQrDecoder();
  const video = useRef<HTMLVideoElement>(null);
  const handler = useRef(onCode);
  const [state, setState] = useState<'starting' | 'scanning' | 'failed'>('starting');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    handler.current = onCode;
  });

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastText = '';
    // A function, so the checks after each await read the flag as it is then.
    const isStopped = () => stopped;
    const release = () => {
      for (const track of stream?.getTracks() ?? []) track.stop();
      stream = null;
    };
    const tick = async (element: HTMLVideoElement) => {
      if (isStopped()) return;
      const text = await decoder.decodeFrame(element).catch(() => null);
      if (isStopped()) return;
      // The same code stays in view for a while: hand it over once.
      if (text && text !== lastText) {
        lastText = text;
        if (!handler.current(text)) {
          stopped = true;
          release();
          return;
        }
      }
      timer = setTimeout(() => void tick(element), FRAME_MS);
    };
    const start = async () => {
      const opened = await decoder.openCamera();
      stream = opened;
      const element = video.current;
      if (isStopped() || !element) {
        release();
        return;
      }
      element.srcObject = opened;
      await element.play();
      setState('scanning');
      void tick(element);
    };
    start().catch((caught: unknown) => {
      release();
      if (isStopped()) return;
      setState('failed');
      setError(cameraMessage(caught));
    });
    return () => {
      stopped = true;
      clearTimeout(timer);
      release();
    };
  }, [decoder]);

  return (
    <div className={styles.scanner}>
      {state === 'failed' ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : (
        <>
          <video
            ref={video}
            className={styles.video}
            muted
            playsInline
            aria-label={`Camera view for scanning ${label}`}
          />
          <p className="field-hint" role="status">
            {state === 'starting'
              ? 'Starting the camera…'
              : 'Point the camera at the QR code on the label.'}
          </p>
        </>
      )}
      <button type="button" className="button secondary" onClick={onClose}>
        {state === 'failed' ? 'Close' : 'Stop camera'}
      </button>
    </div>
  );
}
