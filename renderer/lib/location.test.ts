import { describe, expect, it } from 'vitest';
import { fullPath } from './location';

describe('fullPath', () => {
  it('WebDAV (ownCloud 10, Nextcloud): a slash path, the root as "/"', () => {
    expect(fullPath({ originalFolder: '/Photos', name: 'IMG_1.jpg' })).toBe('/Photos/IMG_1.jpg');
    expect(fullPath({ originalFolder: '/Photos/', name: 'IMG_1.jpg' })).toBe('/Photos/IMG_1.jpg');
    expect(fullPath({ originalFolder: '', name: 'notes.txt' })).toBe('/notes.txt');
    expect(fullPath({ originalFolder: '/', name: 'notes.txt' })).toBe('/notes.txt');
  });
  it('DocSpace: folders joined with " / ", a single folder name too', () => {
    expect(fullPath({ originalFolder: 'Legal / Specs', name: 'a.pdf' })).toBe('Legal / Specs / a.pdf');
    expect(fullPath({ originalFolder: 'Q4', name: 'Plan.pdf' })).toBe('Q4 / Plan.pdf');
  });
  it('Infinite Scale: the space, then the path inside it', () => {
    expect(fullPath({ originalFolder: 'Marketing › Campaigns/2025', name: 'brief.pdf' })).toBe('Marketing › Campaigns/2025/brief.pdf');
  });
});
