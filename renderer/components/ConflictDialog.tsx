import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { Conflict, Resolution } from '../../shared/model';
import { formatBytes, formatExact, formatRelative, plural } from '../lib/format';
import { Modal } from './Modal';

const CHOICES: { value: Resolution; label: string; hint: string }[] = [
  { value: 'replace', label: 'Replace', hint: 'The existing one goes to the trash; the restored one takes its place.' },
  { value: 'keep-both', label: 'Keep both', hint: 'The restored one gets a free name, e.g. "report (restored).pdf".' },
  { value: 'skip', label: 'Skip', hint: 'Leave it in the trash.' },
];

/** How many rows the dialog draws; the rest follow the "all" choice. */
const MAX_ROWS = 300;

function Sides({ c }: { c: Conflict }) {
  return (
    <div className="conflict-sides">
      <div>
        <span className="side-label">In the trash</span>
        <span>{c.trashed.kind === 'folder' ? 'Folder' : formatBytes(c.trashed.size)}</span>
        <span title={formatExact(c.trashed.deletedAt)}>deleted {formatRelative(c.trashed.deletedAt)}</span>
      </div>
      <div>
        <span className="side-label">Already there</span>
        <span>{c.existing.kind === 'folder' ? 'Folder' : formatBytes(c.existing.size)}</span>
        <span title={formatExact(c.existing.modifiedAt)}>modified {formatRelative(c.existing.modifiedAt)}</span>
      </div>
    </div>
  );
}

function ChoiceGroup({ c, value, onChange }: { c: Conflict; value: Resolution; onChange: (r: Resolution) => void }) {
  return (
    <div role="radiogroup" aria-label={`What to do with ${c.name}`} className="choice-group">
      {CHOICES.map((choice) => {
        const disabled = choice.value === 'replace' && !c.canReplace;
        return (
          <label key={choice.value} className={`choice${value === choice.value ? ' on' : ''}${disabled ? ' disabled' : ''}`} title={disabled ? (c.note ?? 'This server cannot replace it.') : choice.hint}>
            <input type="radio" name={`conflict-${c.itemKey}`} value={choice.value} checked={value === choice.value} disabled={disabled} onChange={() => onChange(choice.value)} />
            {choice.label}
          </label>
        );
      })}
    </div>
  );
}

/**
 * Name collisions before a batch starts: both sides of each one, Replace / Keep both / Skip per
 * item, and one choice for all. Nothing starts until the user presses Restore.
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
  const [choices, setChoices] = useState<Record<string, Resolution>>(() => Object.fromEntries(conflicts.map((c) => [c.itemKey, 'keep-both' as Resolution])));
  const setAll = (r: Resolution) => setChoices(Object.fromEntries(conflicts.map((c) => [c.itemKey, r === 'replace' && !c.canReplace ? 'keep-both' : r])));
  const shown = conflicts.slice(0, MAX_ROWS);
  const count = (r: Resolution) => Object.values(choices).filter((v) => v === r).length;
  return (
    <Modal title={`${plural(conflicts.length, 'item')} already exist${conflicts.length === 1 ? 's' : ''} at the destination`} isOpen onClose={onCancel} className="conflict-dialog">
      <p className="dialog-sub">
        {conflicts.length === total
          ? 'Choose what happens to each one.'
          : `The other ${plural(total - conflicts.length, 'item')} can be restored as they are. Choose what happens to these.`}
      </p>
      <div className="apply-all" role="group" aria-label="Apply to all">
        <span>Apply to all:</span>
        {CHOICES.map((c) => (
          <button key={c.value} type="button" onClick={() => setAll(c.value)} title={c.hint}>
            {c.label} all
          </button>
        ))}
      </div>
      <ul className="conflict-list" aria-label="Conflicts">
        {shown.map((c) => (
          <li key={c.itemKey} className="conflict-row" data-testid={`conflict ${c.name}`}>
            <div className="conflict-name">
              <strong title={c.name}>{c.name}</strong>
              <span className="muted" title={c.targetPath}>
                {c.targetPath}
              </span>
            </div>
            <Sides c={c} />
            <ChoiceGroup c={c} value={choices[c.itemKey] ?? 'keep-both'} onChange={(r) => setChoices((old) => ({ ...old, [c.itemKey]: r }))} />
            {c.note && <p className="conflict-note muted">{c.note}</p>}
          </li>
        ))}
      </ul>
      {conflicts.length > shown.length && <p className="muted">…and {plural(conflicts.length - shown.length, 'more conflict')}, which follow the “all” choice.</p>}
      <p className="restore-summary" aria-live="polite">
        {[count('replace') && `${count('replace')} replaced`, count('keep-both') && `${count('keep-both')} kept side by side`, count('skip') && `${count('skip')} skipped`]
          .filter(Boolean)
          .join(', ')}
      </p>
      <div className="dialog-actions">
        <Button className="button" onPress={onCancel}>
          Cancel
        </Button>
        <Button className="button primary" onPress={() => onResolve(choices)}>
          Restore
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
  return (
    <Modal title={`“${conflict.name}” already exists`} isOpen onClose={() => onAnswer('skip', false)} className="conflict-dialog" dismissable={false}>
      <p className="dialog-sub">
        Something named <strong>{conflict.name}</strong> appeared at {conflict.targetPath} while restoring. The rest of the batch goes on; this item waits for you.
      </p>
      <Sides c={conflict} />
      {conflict.note && <p className="muted">{conflict.note}</p>}
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
          <Button key={c.value} className={`button${c.value === 'keep-both' ? ' primary' : ''}`} isDisabled={c.value === 'replace' && !conflict.canReplace} onPress={() => onAnswer(c.value, applyToAll)}>
            {c.label}
          </Button>
        ))}
      </div>
    </Modal>
  );
}
