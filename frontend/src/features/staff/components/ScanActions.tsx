'use client';
/** The two ways to read a code besides typing it: the camera (toggled) and a photo. */
import type { ChangeEvent } from 'react';
import styles from '../staff.module.css';

export function ScanActions({
  camera,
  onToggleCamera,
  reading,
  onPhoto,
}: {
  camera: boolean;
  onToggleCamera: () => void;
  reading: boolean;
  onPhoto: (event: ChangeEvent<HTMLInputElement>) => void;
}) {
  return (
    <div className={styles.scanActions}>
      <button
        type="button"
        className="button secondary"
        aria-expanded={camera}
        onClick={onToggleCamera}
      >
        {camera ? 'Close camera' : 'Scan with camera'}
      </button>
      <label className={`button secondary ${styles.fileButton}`}>
        {reading ? 'Reading photo…' : 'Scan a photo'}
        <input
          type="file"
          accept="image/*"
          capture="environment"
          className="visually-hidden"
          disabled={reading}
          onChange={onPhoto}
        />
      </label>
    </div>
  );
}
