import { useState } from 'react';
import { Button } from 'react-aria-components';
import { parseItemKey, type Conflict, type Resolution } from '../../shared/model';
import { choiceForAll, compareSides, DEFAULT_CHOICE, isSelectionClash, type Side } from '../lib/conflict';
import { formatDateTime, formatExact, formatRelative, formatSizeExact, plural } from '../lib/format';
import { useSeveralAccounts } from '../hooks/accountLook';
import { AccountBadge } from './AccountBadge';
import { Modal } from './Modal';
import { folderLabel } from '../../shared/location';

const CHOICES: { value: Resolution; label: string; hint: string }[] = [
  { value: 'replace', label: 'Replace', hint: 'The existing one goes to the trash; the restored one takes its place.' },
  { value: 'keep-both', label: 'Keep both', hint: 'The restored one gets a free name, e.g. "report (restored).pdf".' },
  { value: 'skip', label: 'Skip', hint: 'Leave it in the trash.' },
];

/** How many rows the dialog draws; the rest follow the "all" choice. */
const MAX_ROWS = 300;

/** A small text badge ("Newer", "Larger") so the comparison does not rest on colour. */
function Mark({ children, title }: { children: string; title: string }) {
  return (
    <span className="side-mark" title={title}>
      {children}
    </span>
  );
}

function SideCard({ c, side }: { c: Conflict; side: Side }) {
  const cmp = compareSides(c);
  const selection = isSelectionClash(c);
  const info = side === 'trashed' ? c.trashed : c.existing;
  const date = side === 'trashed' ? c.trashed.deletedAt : c.existing.modifiedAt;
  const label =
    side === 'trashed' ? (selection ? 'This item' : 'In the trash') : selection ? 'Also selected' : 'Already there';
  const verb = side === 'trashed' || selection ? 'Deleted' : 'Last changed';
  return (
    <div className={`conflict-side side-${side}`} role="group" aria-label={label} data-testid={`side ${side}`}>
      <div className="side-head">
        <span className="side-label">{label}</span>
        {cmp.deletedLater === side && <Mark title="Deleted after the other selected item">Deleted later</Mark>}
        {side === 'existing' && cmp.changedSince === true && (
          <Mark title="Changed after the one in the trash was deleted">Changed since</Mark>
        )}
        {cmp.larger === side && <Mark title="It has more bytes than the other">Larger</Mark>}
        {cmp.larger === 'same' && <Mark title="Both have exactly the same number of bytes">Same size</Mark>}
      </div>
      <span className="side-size">
        {info.kind === 'folder'
          ? info.size === null
            ? 'Folder'
            : `Folder, ${formatSizeExact(info.size)}`
          : formatSizeExact(info.size)}
      </span>
      <span>
        {verb}{' '}
        <time dateTime={date ?? undefined} title={formatExact(date)}>
          {formatDateTime(date)}
        </time>
      </span>
      {date && <span className="muted">{formatRelative(date)}</span>}
    </div>
  );
}

/**
 * Both sides of one clash, each with its exact size and date; which is newer and which is larger is marked in words.
 */
function Sides({ c }: { c: Conflict }) {
  return (
    <div className="conflict-sides">
      <SideCard c={c} side="trashed" />
      <SideCard c={c} side="existing" />
    </div>
  );
}

/** The full path the item would take, wrapped rather than cut. */
function TargetPath({ c }: { c: Conflict }) {
  return (
    <span className="conflict-path">
      <span className="muted">Restores to </span>
      <span data-testid="conflict-path">{folderLabel(c.targetPath)}</span>
    </span>
  );
}

function ChoiceGroup({ c, value, onChange }: { c: Conflict; value: Resolution; onChange: (r: Resolution) => void }) {
  return (
    <div role="radiogroup" aria-label={`What to do with ${c.name}`} className="choice-group">
      {CHOICES.map((choice) => {
        const disabled = choice.value === 'replace' && !c.canReplace;
        const hint =
          isSelectionClash(c) && choice.value === 'replace'
            ? 'The other selected item, restored a moment before, goes back to the trash; this one takes its place.'
            : choice.hint;
        return (
          <label
            key={choice.value}
            className={`choice${value === choice.value ? ' on' : ''}${disabled ? ' disabled' : ''}`}
            title={disabled ? (c.note ?? 'This server cannot replace it.') : hint}
          >
            <input
              type="radio"
              name={`conflict-${c.itemKey}`}
              value={choice.value}
              checked={value === choice.value}
              disabled={disabled}
              onChange={() => onChange(choice.value)}
            />
            {choice.label}
          </label>
        );
      })}
    </div>
  );
}

function dialogTitle(conflicts: Conflict[]): string {
  const n = conflicts.length;
  if (!conflicts.some(isSelectionClash))
    return `${plural(n, 'item')} already exist${n === 1 ? 's' : ''} at the destination`;
  if (conflicts.every(isSelectionClash))
    return n === 1
      ? 'Two selected items would be restored to the same path'
      : `${plural(n, 'selected item')} would be restored where another selected item goes`;
  return `${plural(n, 'item')} would be restored where something is already in the way`;
}

/**
 * Name collisions before a batch starts: both sides of each one (full path, exact sizes and dates,
 * which is newer and larger), Replace / Keep both / Skip per item, and one choice for all. Nothing
 * starts until the user presses Restore.
 */
export function ConflictDialog({
  conflicts,
  total,
  onCancel,
  onResolve,
}: {
  conflicts: Conflict[];
  /** Items in the whole batch. */
  total: number;
  onCancel: () => void;
  onResolve: (resolutions: Record<string, Resolution>) => void;
}) {
  const [choices, setChoices] = useState<Record<string, Resolution>>(() =>
    Object.fromEntries(conflicts.map((c) => [c.itemKey, DEFAULT_CHOICE])),
  );
  const setAll = (r: Resolution) =>
    setChoices((old) =>
      Object.fromEntries(conflicts.map((c) => [c.itemKey, choiceForAll(c, r, old[c.itemKey] ?? DEFAULT_CHOICE)])),
    );
  const shown = conflicts.slice(0, MAX_ROWS);
  const count = (r: Resolution) => Object.values(choices).filter((v) => v === r).length;
  const selectionClashes = conflicts.filter(isSelectionClash).length;
  const several = useSeveralAccounts();
  // What pressing the button does: restore every item but the skipped ones, or, when all are skipped, nothing.
  const restoring = total - count('skip');
  return (
    <Modal title={dialogTitle(conflicts)} isOpen onClose={onCancel} className="conflict-dialog">
      <p className="dialog-sub">
        {conflicts.length === total
          ? conflicts.length === 1
            ? 'Choose what happens to it.'
            : 'Choose what happens to each one.'
          : `${total - conflicts.length === 1 ? 'The other item can be restored as it is' : `The other ${plural(total - conflicts.length, 'item')} can be restored as they are`}. Choose what happens to ${conflicts.length === 1 ? 'this one' : 'these'}.`}
      </p>
      {/* One conflict: its own choice is all there is (no "For all 1 conflict"). */}
      {conflicts.length > 1 && (
        <div className="apply-all" role="group" aria-label="Apply to all">
          <span>For all {plural(conflicts.length, 'conflict')}:</span>
          {CHOICES.map((c) => (
            <button
              key={c.value}
              type="button"
              onClick={() => setAll(c.value)}
              title={c.hint}
              aria-label={`${c.label} all`}
            >
              {c.label}
            </button>
          ))}
          {selectionClashes > 0 && selectionClashes < conflicts.length && (
            <span className="muted apply-all-note">
              “Replace all” leaves the {plural(selectionClashes, 'item')} that clash with another selected item as they
              are.
            </span>
          )}
        </div>
      )}
      <ul className="conflict-list" aria-label="Conflicts">
        {shown.map((c) => (
          <li
            key={c.itemKey}
            className={`conflict-row${isSelectionClash(c) ? ' selection-clash' : ''}`}
            data-testid={`conflict ${c.name}`}
          >
            <div className="conflict-name">
              <span className="conflict-title">
                {several && <AccountBadge accountId={parseItemKey(c.itemKey).accountId} />}
                <strong>{c.name}</strong>
              </span>
              <TargetPath c={c} />
              {isSelectionClash(c) && (
                <span className="conflict-selection">
                  Two selected items would be restored to this same path.
                  {c.note ? '' : ' The other one goes first; Keep both gives this one a free name.'}
                </span>
              )}
            </div>
            <Sides c={c} />
            <ChoiceGroup
              c={c}
              value={choices[c.itemKey] ?? DEFAULT_CHOICE}
              onChange={(r) => setChoices((old) => ({ ...old, [c.itemKey]: r }))}
            />
            {c.note && <p className="conflict-note muted">{c.note}</p>}
          </li>
        ))}
      </ul>
      {conflicts.length > shown.length && (
        <p className="muted">
          …and {plural(conflicts.length - shown.length, 'more conflict')}, which follow the “all” choice.
        </p>
      )}
      <p className="restore-summary" aria-live="polite">
        {[
          count('replace') && `${count('replace')} replaced`,
          count('keep-both') && `${count('keep-both')} kept side by side`,
          count('skip') && `${count('skip')} skipped`,
        ]
          .filter(Boolean)
          .join(', ')}
      </p>
      <div className="dialog-actions">
        <Button className="button" onPress={onCancel}>
          Cancel
        </Button>
        <Button className="button primary" onPress={() => onResolve(choices)} data-testid="conflicts-confirm">
          {restoring > 0 ? `Restore ${plural(restoring, 'item')}` : 'Close: every item is skipped, nothing to restore'}
        </Button>
      </div>
    </Modal>
  );
}

/** A conflict found while a batch runs: only that item waits for this answer. */
export function ConflictQuestion({
  conflict,
  onAnswer,
  onCancelBatch,
}: {
  conflict: Conflict;
  onAnswer: (resolution: Resolution, applyToAll: boolean) => void;
  onCancelBatch: () => void;
}) {
  const [applyToAll, setApplyToAll] = useState(false);
  const selection = isSelectionClash(conflict);
  return (
    <Modal
      title={`“${conflict.name}” already exists`}
      isOpen
      onClose={() => onAnswer('skip', false)}
      className="conflict-dialog"
      dismissable={false}
    >
      <p className="dialog-sub">
        {selection ? (
          <>
            Another selected item was just restored to the same path as <strong>{conflict.name}</strong>.
          </>
        ) : (
          <>
            Something named <strong>{conflict.name}</strong> appeared at its destination while restoring.
          </>
        )}{' '}
        The rest of the batch goes on; this item waits for you.
      </p>
      <TargetPath c={conflict} />
      <Sides c={conflict} />
      {conflict.note && <p className="conflict-note muted">{conflict.note}</p>}
      <label className="checkbox">
        <input type="checkbox" checked={applyToAll} onChange={(e) => setApplyToAll(e.target.checked)} />
        Do the same for every other conflict in this batch
      </label>
      <div className="dialog-actions">
        <Button className="button" onPress={onCancelBatch}>
          Stop the batch
        </Button>
        <span className="spacer" />
        {CHOICES.map((c) => (
          <Button
            key={c.value}
            className={`button${c.value === 'keep-both' ? ' primary' : ''}`}
            isDisabled={c.value === 'replace' && !conflict.canReplace}
            onPress={() => onAnswer(c.value, applyToAll)}
          >
            {c.label}
          </Button>
        ))}
      </div>
    </Modal>
  );
}
