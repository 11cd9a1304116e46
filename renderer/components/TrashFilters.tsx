import type { RefObject } from 'react';
import { FILE_TYPE_LABELS, FILE_TYPES, type FileType } from '../lib/fileType';
import { hasFilters, noFilters, type Filters } from '../lib/view';

/** Search box (Ctrl+F), type, deletion date range and original folder. */
export function TrashFilters({
  filters,
  onChange,
  folders,
  searchRef,
  grouped,
  onGroupedChange,
}: {
  filters: Filters;
  onChange: (f: Filters) => void;
  folders: string[];
  searchRef: RefObject<HTMLInputElement | null>;
  grouped: boolean;
  onGroupedChange: (grouped: boolean) => void;
}) {
  const type = filters.types.size === 1 ? [...filters.types][0]! : '';
  return (
    <div className="filters" role="search" aria-label="Filter the trash">
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
      <select aria-label="Type" value={type} onChange={(e) => onChange({ ...filters, types: e.target.value ? new Set([e.target.value as FileType]) : new Set() })}>
        <option value="">All types</option>
        {FILE_TYPES.map((t) => (
          <option key={t} value={t}>
            {FILE_TYPE_LABELS[t]}
          </option>
        ))}
      </select>
      <label className="date-field">
        <span>Deleted from</span>
        <input type="date" value={filters.deletedFrom} max={filters.deletedTo || undefined} onChange={(e) => onChange({ ...filters, deletedFrom: e.target.value })} />
      </label>
      <label className="date-field">
        <span>to</span>
        <input type="date" value={filters.deletedTo} min={filters.deletedFrom || undefined} onChange={(e) => onChange({ ...filters, deletedTo: e.target.value })} />
      </label>
      <select aria-label="Original folder" value={filters.folder} onChange={(e) => onChange({ ...filters, folder: e.target.value })} className="folder-filter">
        <option value="">All folders</option>
        {folders.map((f) => (
          <option key={f} value={f}>
            {f || '/'}
          </option>
        ))}
      </select>
      <label className="checkbox group-toggle">
        <input type="checkbox" checked={grouped} onChange={(e) => onGroupedChange(e.target.checked)} />
        Group by folder
      </label>
      {hasFilters(filters) && (
        <button type="button" className="link" onClick={() => onChange(noFilters)}>
          Clear filters
        </button>
      )}
    </div>
  );
}
