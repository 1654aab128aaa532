const STATUS: Record<string, { label: string; className: string }> = {
  active: { label: 'Active', className: 'badge ok' },
  in_transit: { label: 'In transit', className: 'badge warn' },
  recalled: { label: 'Recalled', className: 'badge bad' },
  decommissioned: { label: 'No longer in circulation', className: 'badge' },
};

/** A thing's status as the node derives it, in words. */
export function StatusBadge({ status }: { status: string }) {
  const known = STATUS[status] ?? { label: status, className: 'badge' };
  return (
    <span className={known.className}>
      <span className="visually-hidden">Status: </span>
      {known.label}
    </span>
  );
}
