import { useRef, useState, type ReactNode, type RefObject } from 'react';
import { FILE_TYPE_LABELS, FILE_TYPES, type FileType } from '../lib/fileType';
import { hasFilters, noFilters, type Filters } from '../lib/view';
import { DateRangeFilter } from './DateRangeFilter';
import { folderLabel } from '../../shared/location';
import { useRovingFocus } from '../hooks/useRovingFocus';

/** Search box (Ctrl+F), type, deletion date range and original folder. */
export function TrashFilters({
  filters,
  onChange,
  folders,
  searchRef,
  grouped,
  onGroupedChange,
  compact,
  children,
}: {
  filters: Filters;
  onChange: (f: Filters) => void;
  folders: string[];
  searchRef: RefObject<HTMLInputElement | null>;
  grouped: boolean;
  onGroupedChange: (grouped: boolean) => void;
  /** A narrow window: only the search box shows, the other filters behind a "Filters" button. */
  compact: boolean;
  /** More controls at the end of the row (the folded timeline's toggle). */
  children?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const type = filters.types.size === 1 ? [...filters.types][0]! : '';
  const active = (filters.types.size ? 1 : 0) + (filters.deleted ? 1 : 0) + (filters.folder ? 1 : 0);
  const showAll = !compact || open;
  // The filters after search are one Tab stop (Left/Right move between them), so Tab reaches the list soon.
  const more = useRef<HTMLDivElement>(null);
  useRovingFocus(more);
  return (
    <div className={`filters${compact ? ' compact' : ''}`} role="search" aria-label="Filter the trash">
      <input
        ref={searchRef}
        type="search"
        className="search"
        placeholder="Search (Ctrl+F)"
        aria-label="Search the trash"
        value={filters.text}
        onChange={(e) => onChange({ ...filters, text: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && filters.text) {
            e.stopPropagation();
            onChange({ ...filters, text: '' });
          }
        }}
      />
      {compact && (
        <button
          type="button"
          aria-expanded={open}
          aria-controls="more-filters"
          onClick={() => setOpen(!open)}
          data-testid="filters-button"
        >
          Filters{active ? ` (${active})` : ''} <span aria-hidden="true">{open ? '▴' : '▾'}</span>
        </button>
      )}
      {showAll && (
        <div ref={more} className="more-filters" id="more-filters" role="toolbar" aria-label="Filters">
          <select
            aria-label="Type"
            value={type}
            onChange={(e) =>
              onChange({ ...filters, types: e.target.value ? new Set([e.target.value as FileType]) : new Set() })
            }
          >
            <option value="">All types</option>
            {FILE_TYPES.map((t) => (
              <option key={t} value={t}>
                {FILE_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
          <DateRangeFilter range={filters.deleted} onChange={(deleted) => onChange({ ...filters, deleted })} />
          <select
            aria-label="Original folder"
            value={filters.folder}
            onChange={(e) => onChange({ ...filters, folder: e.target.value })}
            className="folder-filter"
          >
            <option value="">All folders</option>
            {folders.map((f) => (
              <option key={f} value={f}>
                {folderLabel(f)}
              </option>
            ))}
          </select>
          <label className="checkbox group-toggle">
            <input type="checkbox" checked={grouped} onChange={(e) => onGroupedChange(e.target.checked)} />
            Group by folder
          </label>
        </div>
      )}
      {children}
      {hasFilters(filters) && (
        <button type="button" className="link" onClick={() => onChange(noFilters)}>
          Clear filters
        </button>
      )}
    </div>
  );
}
