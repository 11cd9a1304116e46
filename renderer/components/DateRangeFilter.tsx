import { useState } from 'react';
import { Button, Dialog, DialogTrigger, Heading, Popover } from 'react-aria-components';
import { formatRange, fromLocalInput, PRESETS, presetRange, toLocalInput, type TimeRange } from '../lib/timeRange';

/**
 * The deletion-date filter as one control: one button (one Tab stop) that names the range — set
 * here, by dragging across the timeline or by choosing an event — and opens ready-made ranges and
 * a from/to pair to the minute.
 */
export function DateRangeFilter({
  range,
  onChange,
}: {
  range: TimeRange | null;
  onChange: (range: TimeRange | null) => void;
}) {
  const [open, setOpen] = useState(false);
  const label = range ? formatRange(range) : 'Any time';
  const pick = (r: TimeRange | null) => {
    onChange(r);
    setOpen(false);
  };
  return (
    <DialogTrigger isOpen={open} onOpenChange={setOpen}>
      <Button
        className={`button date-range-button${range ? ' active' : ''}`}
        aria-label={`Deleted: ${label}`}
        data-testid="date-range"
      >
        <span className="muted">Deleted:</span> {label} <span aria-hidden="true">▾</span>
      </Button>
      <Popover className="popover date-range-popover" placement="bottom start" offset={4}>
        <Dialog className="date-range-dialog" aria-label="Deleted when">
          <Heading slot="title" className="visually-hidden">
            Deleted when
          </Heading>
          <div className="date-range-presets" role="group" aria-label="Ready-made ranges">
            <button type="button" aria-pressed={range === null} onClick={() => pick(null)}>
              Any time
            </button>
            {PRESETS.map((p) => (
              <button key={p.label} type="button" onClick={() => pick(presetRange(p.span, Date.now()))}>
                {p.label}
              </button>
            ))}
          </div>
          <CustomRange range={range} onChange={onChange} />
        </Dialog>
      </Popover>
    </DialogTrigger>
  );
}

/** From and to, each to the minute; a bound left empty is open. The end is inclusive (its whole minute). */
function CustomRange({ range, onChange }: { range: TimeRange | null; onChange: (range: TimeRange | null) => void }) {
  const set = (which: 'from' | 'to', value: string) => {
    const t = value ? fromLocalInput(value, which === 'to') : NaN;
    const open = which === 'from' ? -Infinity : Infinity;
    const next = { from: range?.from ?? -Infinity, to: range?.to ?? Infinity, [which]: Number.isNaN(t) ? open : t };
    onChange(next.from === -Infinity && next.to === Infinity ? null : next);
  };
  const bound = (t: number | undefined) => (t !== undefined && Number.isFinite(t) ? toLocalInput(t) : '');
  return (
    <fieldset className="date-range-custom">
      <legend>Between</legend>
      <label>
        <span>From</span>
        <input type="datetime-local" value={bound(range?.from)} onChange={(e) => set('from', e.target.value)} />
      </label>
      <label>
        <span>To</span>
        <input type="datetime-local" value={bound(range?.to)} onChange={(e) => set('to', e.target.value)} />
      </label>
    </fieldset>
  );
}
