import type { ReactNode } from 'react';

/** Placeholder rows while the first page loads. */
export function TrashSkeleton() {
  return (
    <div className="skeleton" aria-busy="true" aria-label="Loading the trash" role="status">
      {Array.from({ length: 10 }, (_, i) => (
        <div key={i} className="skeleton-row">
          <span className="skeleton-block icon" />
          <span className="skeleton-block" style={{ width: `${30 + ((i * 37) % 40)}%` }} />
          <span className="skeleton-block short" />
        </div>
      ))}
    </div>
  );
}

export function TrashMessage({ title, children, testId }: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <div className="trash-message" role="status" data-testid={testId}>
      <h2>{title}</h2>
      {children}
    </div>
  );
}
