import { describe, expect, it } from 'vitest';
import { folderLabel, fullPath } from './location';

describe('where an item came from, one way for every server kind', () => {
  it('ownCloud 10 and Nextcloud: the root is "Home", as in the folder tree, then each folder', () => {
    expect(folderLabel('/')).toBe('Home');
    expect(folderLabel('/Photos')).toBe('Home / Photos');
    expect(folderLabel('/Photos/2024/')).toBe('Home / Photos / 2024');
    expect(fullPath({ originalFolder: '/Photos', name: 'IMG_1.jpg' })).toBe('Home / Photos / IMG_1.jpg');
    expect(fullPath({ originalFolder: '/', name: 'notes.txt' })).toBe('Home / notes.txt');
  });
  it('Infinite Scale: the personal space reads as Home; a project space by its name, then the path inside it', () => {
    expect(folderLabel('/Documents')).toBe('Home / Documents');
    expect(folderLabel('Marketing › Campaigns/2025')).toBe('Marketing / Campaigns / 2025');
    expect(folderLabel('Marketing')).toBe('Marketing');
    expect(fullPath({ originalFolder: 'Marketing › Campaigns/2025', name: 'brief.pdf' })).toBe(
      'Marketing / Campaigns / 2025 / brief.pdf',
    );
  });
  it('DocSpace: the full path it is given ("My documents", "Rooms / <room>"); Q4 under two years reads apart', () => {
    expect(folderLabel('My documents / 2023 / Q4')).toBe('My documents / 2023 / Q4');
    expect(folderLabel('My documents / 2024 / Q4')).not.toBe(folderLabel('My documents / 2023 / Q4'));
    expect(fullPath({ originalFolder: 'Rooms / Marketing', name: 'brief.pdf' })).toBe('Rooms / Marketing / brief.pdf');
  });
  it('an origin nobody knows is said so, and the path is the name alone', () => {
    expect(folderLabel('')).toBe('Unknown folder');
    expect(fullPath({ originalFolder: '', name: 'a.txt' })).toBe('a.txt');
  });
});
