'use client';

export function PrintButton({ className }: { className?: string }) {
  return (
    <button
      type="button"
      className={`button ${className ?? ''}`}
      onClick={() => {
        window.print();
      }}
    >
      Print label
    </button>
  );
}
