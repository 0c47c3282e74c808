/** Keel's mark (decorative: the link around it carries the name). */
export function KeelMark({ className = 'size-7' }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden className={className}>
      <rect width="32" height="32" rx="8" fill="var(--k-accent)" />
      <path d="M7 11h18l-3 9a4 4 0 0 1-3.8 2.8h-5.4A4 4 0 0 1 9 20z" fill="var(--k-accent-fg)" />
      <path d="M16 5v6" stroke="var(--k-accent-fg)" strokeWidth="2.5" strokeLinecap="round" />
    </svg>
  );
}
