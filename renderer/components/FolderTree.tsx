import { useQuery } from '@tanstack/react-query';
import { useState, type DragEvent, type KeyboardEvent } from 'react';
import type { FolderRef } from '../../shared/model';
import { errorText } from '../lib/errorText';
import { folderQueries } from '../queries/folders';
import { FileIcon } from './FileIcon';

export const DRAG_TYPE = 'application/x-salvage-trash-items';

interface TreeProps {
  accountId: string;
  label: string;
  selectedId: string | null;
  onSelect?: (folder: FolderRef) => void;
  /** Dropping dragged trash rows onto a folder. */
  onDropItems?: (folder: FolderRef) => void;
  /** Folder ids to show expanded at first (e.g. the path to a preselected folder). */
  initiallyExpanded?: string[];
  testId?: string;
}

/**
 * The live files tree of one account, loaded one level at a time as folders are expanded
 * (folders:list). An ARIA tree: arrows move, Right/Left expand and collapse, Enter picks.
 * Folders accept dropped trash rows when onDropItems is given.
 */
export function FolderTree(props: TreeProps) {
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(['', ...(props.initiallyExpanded ?? [])]));
  const root = useQuery(folderQueries.list(props.accountId, null));
  const toggle = (id: string, open?: boolean) =>
    setExpanded((old) => {
      const next = new Set(old);
      if (open ?? !next.has(id)) next.add(id);
      else next.delete(id);
      return next;
    });

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const items = [...e.currentTarget.querySelectorAll<HTMLElement>('[role="treeitem"]')];
    const current = document.activeElement?.closest<HTMLElement>('[role="treeitem"]');
    const i = current ? items.indexOf(current) : -1;
    const focusAt = (n: number) => {
      const el = items[Math.max(0, Math.min(items.length - 1, n))];
      el?.focus();
    };
    if (e.key === 'ArrowDown') focusAt(i + 1);
    else if (e.key === 'ArrowUp') focusAt(i - 1);
    else if (e.key === 'Home') focusAt(0);
    else if (e.key === 'End') focusAt(items.length - 1);
    else if ((e.key === 'ArrowRight' || e.key === 'ArrowLeft') && current) {
      const id = current.dataset.folderId ?? '';
      const isOpen = current.getAttribute('aria-expanded') === 'true';
      if (e.key === 'ArrowRight' && current.getAttribute('aria-expanded') === 'false') toggle(id, true);
      else if (e.key === 'ArrowRight' && isOpen) focusAt(i + 1);
      else if (e.key === 'ArrowLeft' && isOpen) toggle(id, false);
      else if (e.key === 'ArrowLeft') current.parentElement?.closest<HTMLElement>('[role="treeitem"]')?.focus();
    } else return;
    e.preventDefault();
    e.stopPropagation();
  };

  if (root.isPending)
    return (
      <p className="tree-status" aria-busy="true">
        Loading folders…
      </p>
    );
  if (root.isError)
    return (
      <p className="tree-status error" role="alert">
        {errorText(root.error)}{' '}
        <button type="button" className="link" onClick={() => void root.refetch()}>
          Retry
        </button>
      </p>
    );
  const folder = root.data.folder;
  // Infinite Scale: project spaces stand beside Home, as item locations name them ("Marketing / …"),
  // not inside it. They are the root's children whose path is a space's name, not a "/…" path.
  const spaces = root.data.children.filter((c) => !c.path.startsWith('/'));
  return (
    <ul className="folder-tree" role="tree" aria-label={props.label} onKeyDown={onKeyDown} data-testid={props.testId}>
      <FolderNode
        {...props}
        folder={{ ...folder, name: folder.name || 'All files' }}
        level={1}
        expanded={expanded}
        toggle={toggle}
        isRoot
        hide={spaces}
      />
      {spaces.map((space) => (
        <FolderNode key={space.id} {...props} folder={space} level={1} expanded={expanded} toggle={toggle} />
      ))}
    </ul>
  );
}

function FolderNode({
  folder,
  level,
  expanded,
  toggle,
  isRoot,
  hide = [],
  ...props
}: TreeProps & {
  folder: FolderRef;
  level: number;
  expanded: Set<string>;
  toggle: (id: string, open?: boolean) => void;
  isRoot?: boolean;
  hide?: readonly FolderRef[];
}) {
  const nodeId = isRoot ? '' : folder.id;
  const open = expanded.has(nodeId);
  const [dropping, setDropping] = useState(false);
  const children = useQuery({ ...folderQueries.list(props.accountId, isRoot ? null : folder.id), enabled: open });
  const canExpand = folder.hasChildren !== false;
  const selected = props.selectedId === folder.id;
  const accepts = (e: DragEvent) => Boolean(props.onDropItems) && e.dataTransfer.types.includes(DRAG_TYPE);
  return (
    <li
      role="treeitem"
      aria-level={level}
      aria-selected={selected}
      aria-expanded={canExpand ? open : undefined}
      aria-label={folder.name}
      data-folder-id={nodeId}
      tabIndex={selected || (props.selectedId === null && isRoot) ? 0 : -1}
      className="tree-item"
      onClick={(e) => {
        e.stopPropagation();
        props.onSelect?.(folder);
        if (canExpand) toggle(nodeId, true);
      }}
      onKeyDown={(e) => {
        if (e.target !== e.currentTarget) return;
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          props.onSelect?.(folder);
        }
      }}
    >
      <div
        className={`tree-row${selected ? ' selected' : ''}${dropping ? ' drop-target' : ''}${folder.canWrite ? '' : ' readonly'}`}
        style={{ paddingLeft: 4 + (level - 1) * 14 }}
        onDragEnter={(e) => {
          if (accepts(e)) setDropping(true);
        }}
        onDragOver={(e) => {
          if (!accepts(e)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = folder.canWrite ? 'move' : 'none';
        }}
        onDragLeave={() => setDropping(false)}
        onDrop={(e) => {
          setDropping(false);
          if (!accepts(e)) return;
          e.preventDefault();
          e.stopPropagation();
          props.onDropItems?.(folder);
        }}
        data-testid={`folder ${folder.path || '/'}`}
      >
        <button
          type="button"
          className="twisty"
          tabIndex={-1}
          aria-hidden="true"
          onClick={(e) => {
            e.stopPropagation();
            if (canExpand) toggle(nodeId);
          }}
        >
          {canExpand ? (open ? '▾' : '▸') : ''}
        </button>
        <FileIcon type="folder" size={16} />
        <span className="tree-name">{folder.name}</span>
      </div>
      {open && (
        <ul role="group">
          {children.isPending ? (
            <li role="none" className="tree-status" style={{ paddingLeft: 22 + level * 14 }}>
              Loading…
            </li>
          ) : children.isError ? (
            <li role="none" className="tree-status error" style={{ paddingLeft: 22 + level * 14 }}>
              {errorText(children.error)}
            </li>
          ) : (
            children.data.children
              .filter((child) => !hide.some((h) => h.id === child.id))
              .map((child) => (
                <FolderNode
                  key={child.id}
                  {...props}
                  folder={child}
                  level={level + 1}
                  expanded={expanded}
                  toggle={toggle}
                />
              ))
          )}
        </ul>
      )}
    </li>
  );
}
