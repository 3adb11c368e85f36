import type { AdminSite } from '@parley/contracts';
import { createRequest, formValues, issueTarget, updateRequest } from './site-form-values';

const stored: AdminSite = {
  id: 'gazette',
  name: 'The Gazette',
  origins: ['https://gazette.example', 'https://www.gazette.example'],
  settings: { editWindowSeconds: 600, premoderation: false, removalReasons: ['Spam', 'Abuse'] },
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('the site form', () => {
  it('prefilled with what is stored and saved untouched, sends nothing', () => {
    expect(updateRequest(stored, formValues(stored))).toEqual({ request: null, issues: [] });
  });

  it('sends only what changed; an emptied setting goes back to the default (null)', () => {
    const values = { ...formValues(stored), editWindowSeconds: ' 1200 ', removalReasons: '', premoderation: 'true' };
    expect(updateRequest(stored, values).request).toEqual({ settings: { editWindowSeconds: 1200, premoderation: true, removalReasons: null } });
    expect(updateRequest(stored, { ...formValues(stored), origins: 'https://gazette.example\n\n' }).request).toEqual({
      origins: ['https://gazette.example'],
    });
    expect(updateRequest(stored, { ...formValues(stored), name: 'The Gazette ' }).request).toBeNull();
  });

  it('a new site sends every field it names, one origin and reason per line, and leaves empty settings to the default', () => {
    const values = {
      ...formValues(),
      id: ' gazette-2 ',
      name: 'Gazette',
      origins: ' https://a.example \n\nhttps://b.example',
      reportsToPending: '3',
      ownAccounts: 'false',
      loginUrl: 'https://a.example/login',
    };
    expect(createRequest(values).request).toEqual({
      id: 'gazette-2',
      name: 'Gazette',
      origins: ['https://a.example', 'https://b.example'],
      settings: { reportsToPending: 3, ownAccounts: false, loginUrl: 'https://a.example/login' },
    });
  });

  it('turns "posting needs a confirmed email" on and back to the default', () => {
    const on = updateRequest(stored, { ...formValues(stored), requireVerifiedEmail: 'true' }).request;
    expect(on).toEqual({ settings: { requireVerifiedEmail: true } });
    const saved = { ...stored, settings: { ...stored.settings, requireVerifiedEmail: true } };
    expect(formValues(saved).requireVerifiedEmail).toBe('true');
    expect(updateRequest(saved, { ...formValues(saved), requireVerifiedEmail: '' }).request).toEqual({ settings: { requireVerifiedEmail: null } });
  });

  it('a number field holding no number is refused before anything is sent; ranges are the server\'s to judge', () => {
    expect(createRequest({ ...formValues(), autoCloseAfterDays: 'ten' })).toEqual({
      request: undefined,
      issues: [{ field: 'settings.autoCloseAfterDays', message: 'must be a number' }],
    });
    expect(createRequest({ ...formValues(), autoCloseAfterDays: '1.5' }).request?.settings).toEqual({ autoCloseAfterDays: 1.5 });
  });

  it('puts each server message on its field, on the line the bad entry was typed on', () => {
    const values = { ...formValues(), origins: 'https://a.example\n\nftp://b.example', removalReasons: 'Spam\n' };
    expect(issueTarget({ field: 'origins.1', message: 'must be an origin' }, values)).toEqual({ field: 'origins', message: 'Line 3: must be an origin' });
    expect(issueTarget({ field: 'settings.editWindowSeconds', message: 'Too big' }, values)).toEqual({ field: 'editWindowSeconds', message: 'Too big' });
    expect(issueTarget({ field: 'settings.removalReasons.0', message: 'too long' }, values)).toEqual({ field: 'removalReasons', message: 'Line 1: too long' });
    expect(issueTarget({ field: 'id', message: 'must be lowercase' }, values)).toEqual({ field: 'id', message: 'must be lowercase' });
    expect(issueTarget({ field: 'body', message: 'must change name, origins or settings' }, values)).toEqual({
      field: 'form',
      message: 'must change name, origins or settings',
    });
    expect(issueTarget({ field: 'settings.colour', message: 'unknown' }, values)).toEqual({ field: 'form', message: 'settings.colour: unknown' });
  });
});
