import { qrMatrix } from '../utils/qr';

/** A QR code of `value` as inline SVG, black on white in every theme so scanners can read it. */
export function QrCode({
  value,
  label,
  className,
}: {
  value: string;
  label: string;
  className?: string;
}) {
  const { path, viewBox } = qrMatrix(value);
  return (
    <svg
      className={className}
      viewBox={`0 0 ${viewBox} ${viewBox}`}
      role="img"
      aria-label={label}
      shapeRendering="crispEdges"
      xmlns="http://www.w3.org/2000/svg"
    >
      <rect width={viewBox} height={viewBox} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
