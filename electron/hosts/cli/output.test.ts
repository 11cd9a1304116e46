import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cap, jsonLine, LINE_MAX, MESSAGE_MAX, printable, resultLine, shellWord } from './output';

/** Every code point a terminal acts on, or that reorders what it shows. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('text a server sent, as the command line prints it', () => {
  const hostile = [
    'title\u001b]0;pwned\u0007.txt', // OSC window title, ended by BEL
    'link\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\.txt', // OSC 8 hyperlink, ended by ST
    'red\u001b[31mtext\u001b[0m.txt', // CSI colours
    'c1\u009b31mcsi.txt', // a C1 CSI
    'nul\u0000bel\u0007del\u007f.txt',
    'two\nlines\r.txt', // a forged second line
    'invoice_\u202Etxt.exe', // right-to-left override: shows as "invoice_exe.txt"
    'isolate\u2067x\u2069.txt',
    'line\u2028sep.txt',
  ];

  it('plain lines: escape sequences go whole, other controls and bidi overrides show as ?', () => {
    for (const name of hostile) {
      const shown = printable(name);
      expect(shown, JSON.stringify(name)).not.toMatch(UNSAFE);
    }
    expect(printable(hostile[0]!)).toBe('title.txt');
    expect(printable(hostile[1]!)).toBe('linkclick.txt');
    expect(printable(hostile[2]!)).toBe('redtext.txt');
    expect(printable(hostile[5]!)).toBe('two?lines?.txt');
    expect(printable(hostile[6]!)).toBe('invoice_?txt.exe');
    // Ordinary text is left alone, accents and all.
    expect(printable('Überweisung – März (1).pdf')).toBe('Überweisung – März (1).pdf');
  });

  it('JSON lines: the string comes back exact, but the bytes on the terminal hold no control or bidi character', () => {
    for (const name of hostile) {
      const line = jsonLine({ name });
      expect(line, JSON.stringify(name)).not.toMatch(UNSAFE);
      expect(JSON.parse(line)).toEqual({ name });
    }
    // Lone surrogates are escaped by JSON.stringify itself.
    expect(jsonLine({ name: 'a\ud800b' })).toBe('{"name":"a\\ud800b"}');
  });

  it('caps what a server sends: a 100 KB error message, a long line, a long name in JSON', () => {
    const huge = 'x'.repeat(100_000);
    const line = resultLine({
      key: 'a:1',
      name: 'n',
      outcome: 'failed',
      finalPath: null,
      error: { code: 'SERVER', message: huge },
    });
    expect(line.length).toBeLessThan(MESSAGE_MAX + 100);
    expect(line).toContain('… (99,000 more characters)');
    expect(printable(huge).length).toBeLessThan(LINE_MAX + 50);
    expect(printable(huge)).toContain('(91,808 more characters)');
    const json = JSON.parse(jsonLine({ error: { code: 'SERVER', message: huge }, name: huge })) as {
      error: { message: string };
      name: string;
    };
    expect(json.error.message.length).toBeLessThan(MESSAGE_MAX + 50);
    expect(json.name.length).toBeLessThan(4_096 + 50);
    expect(cap('short')).toBe('short');
  });

  it('stays linear on hostile escape sequences (the filter cuts before it scans)', () => {
    // 5 MB of an unterminated OSC: bounded by the cut, whatever the regular expression does with it.
    const osc = `\u001b]${';a'.repeat(2_500_000)}`;
    expect(printable(osc).length).toBeLessThan(LINE_MAX + 50);
  });

  it("shell words: ids with control characters are written as $'…' so the printed command still works", () => {
    expect(shellWord('report.pdf.d1732540000')).toBe('report.pdf.d1732540000');
    expect(shellWord("it's here.txt")).toBe(`'it'\\''s here.txt'`);
    const id = 'evil\u001b]0;x\u0007\n.txt.d1';
    const word = shellWord(id);
    expect(word).not.toMatch(UNSAFE);
    // bash reads the word back as the very id.
    const echoed = execFileSync('bash', ['-c', `printf %s ${word}`], { encoding: 'utf8' });
    expect(echoed).toBe(id);
  });
});
