import { describe, expect, it } from 'vitest';
import { decodeHref, encodePath, encodeSegment, extOf, folderSegments, restoredName, safeSegments } from './paths';

const HOSTILE = [
  'a b',
  'x#y',
  'what?',
  '100%',
  'c++',
  'ü',
  'a&b',
  '[1]',
  'semi;colon',
  "l'été",
  '日本語',
  'emoji 🎉',
  '%2F',
  'trailing.',
  '..a',
  'a\\b',
];

describe('WebDAV paths', () => {
  it('encodes every special character of a segment, lowercase hex like Sabre', () => {
    expect(encodeSegment('a#b%c&d+e ü [1].txt')).toBe('a%23b%25c%26d%2be%20%c3%bc%20%5b1%5d.txt');
    expect(encodeSegment('what?')).toBe('what%3f');
    expect(encodeSegment('a/b')).toBe('a%2fb');
    expect(encodePath('/remote.php/dav/files/alice/Ünï #1/x.txt')).toBe(
      '/remote.php/dav/files/alice/%c3%9cn%c3%af%20%231/x.txt',
    );
  });

  it('round-trips hostile names through encode and decode', () => {
    for (const name of HOSTILE) {
      expect(decodeHref(`/dav/${encodeSegment(name)}`)).toBe(`/dav/${name}`);
      expect(new URL(`http://h/dav/${encodeSegment(name)}`).pathname).toBe(`/dav/${encodeSegment(name)}`);
    }
  });

  it('decodes hrefs given as full URLs or paths, upper or lower case escapes', () => {
    expect(decodeHref('https://cloud.example.com/remote.php/dav/x%20y/')).toBe('/remote.php/dav/x y/');
    expect(decodeHref('/a/R%C3%A9sum%c3%a9')).toBe('/a/Résumé');
    expect(decodeHref('/a/bad%zz')).toBe('/a/bad%zz');
    // One bad escape keeps that segment as sent; the others are still decoded.
    expect(decodeHref('/x%20y/bad%zz/R%C3%A9sum%C3%A9/half%E2%82')).toBe('/x y/bad%zz/Résumé/half%E2%82');
    // An encoded slash decodes to a slash, whole or segment by segment alike.
    expect(decodeHref('/a%2Fb/c%20d')).toBe('/a/b/c d');
  });

  it('refuses original locations that could leave the files tree', () => {
    expect(safeSegments('/Team/plan.txt')).toEqual(['Team', 'plan.txt']);
    expect(safeSegments('Documents//a.txt')).toEqual(['Documents', 'a.txt']);
    for (const bad of ['../x', 'a/../../b', './a', 'a/.', 'a\\..\\b', 'a\0b']) {
      expect(() => safeSegments(bad), bad).toThrow(expect.objectContaining({ code: 'BAD_RESPONSE' }));
    }
    expect(() => folderSegments('/Documents/../../bob')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(folderSegments('/')).toEqual([]);
    expect(folderSegments(null)).toEqual([]);
  });

  it('names "keep both" copies like Nextcloud does', () => {
    expect(restoredName('report.pdf', 1)).toBe('report (restored).pdf');
    expect(restoredName('report.pdf', 2)).toBe('report (restored 2).pdf');
    expect(restoredName('archive.tar.gz', 1)).toBe('archive.tar (restored).gz');
    expect(restoredName('.env', 1)).toBe('.env (restored)');
    expect(restoredName('README', 3)).toBe('README (restored 3)');
    expect(restoredName('Photos.2024', 1, true)).toBe('Photos.2024 (restored)');
    expect(extOf('2024.10', false)).toBe('10');
    expect(extOf('Photos.2024', true)).toBe('');
  });
});
