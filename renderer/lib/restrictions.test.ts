import { describe, expect, it } from 'vitest';
import { trashItem } from '../actions/testing';
import { selectionLimits, singleAccount } from './restrictions';

const viewer = 'You are a viewer of Board: only its managers and editors can restore from its trash.';
const board = {
  ...trashItem('a', 'minutes.pdf'),
  cannotRestore: viewer,
  cannotDelete: 'You are a viewer of Board: only its managers can delete from its trash.',
};
const spec = {
  ...trashItem('a', 'api.md'),
  cannotDelete: 'You are an editor of Engineering: only its managers can delete from its trash.',
};
const plan = trashItem('a', 'plan.pdf');

describe('selection limits (oCIS roles)', () => {
  it('nothing left out: no notes', () => {
    expect(selectionLimits([plan])).toEqual({
      restorable: [plan],
      deletable: [plan],
      restoreNote: null,
      deleteNote: null,
    });
  });
  it("one viewer's item alone: cannot be restored, with the reason", () => {
    const l = selectionLimits([board]);
    expect(l.restorable).toEqual([]);
    expect(l.restoreNote).toBe(`Cannot be restored: ${viewer}`);
  });
  it('a mix: the others go ahead, the note counts the ones left out', () => {
    const l = selectionLimits([plan, board, spec]);
    expect(l.restorable).toEqual([plan, spec]);
    expect(l.restoreNote).toBe(`1 of 3 cannot be restored and are left out: ${viewer}`);
    expect(l.deletable).toEqual([plan]);
    expect(l.deleteNote).toMatch(
      /^2 of 3 cannot be deleted and are left out: You are a viewer of Board.*\(and 1 more reason\)$/,
    );
  });
});

describe('selection limits and single account, asked again of the same selection', () => {
  it('answer the same without going through it again', () => {
    const selected = [plan, spec, board];
    const first = selectionLimits(selected);
    expect(selectionLimits(selected)).toBe(first);
    expect(first.deletable).toEqual([plan]);
    expect(first.deleteNote).toMatch(/^2 of 3 cannot be deleted/);
  });
  it('one account, several, none', () => {
    expect(singleAccount([plan, spec])).toBe('a');
    expect(singleAccount([plan, { ...trashItem('b', 'x.txt') }])).toBeNull();
    expect(singleAccount([])).toBeNull();
  });
});
