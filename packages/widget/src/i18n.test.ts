import { countLabel, createI18n, pickLang } from './i18n';
import * as en from './locales/en';
import * as ru from './locales/ru';
import { commentBodyMaxLength as contractMax, errorCodes, reportReasons as contractReasons } from '@parley/contracts';
import { errorSentences, type ErrorCodeNotForReaders } from './error-sentences';
import { ApiError } from './http';
import { errorMessage } from './widget/errors';
import { reportReasons } from './api';
import { commentBodyMaxLength } from './limits';

describe('language choice', () => {
  it('takes the lang attribute, then the page language, then English', () => {
    expect(pickLang('ru', 'en')).toBe('ru');
    expect(pickLang(null, 'ru-RU')).toBe('ru');
    expect(pickLang('', undefined)).toBe('en');
    expect(pickLang('de', 'ru')).toBe('en');
  });
});

describe('plurals', () => {
  it('uses the three Russian forms', () => {
    expect([1, 2, 5, 11, 12, 21, 22, 25, 101, 111].map((n) => countLabel('ru', n))).toEqual([
      '1 комментарий',
      '2 комментария',
      '5 комментариев',
      '11 комментариев',
      '12 комментариев',
      '21 комментарий',
      '22 комментария',
      '25 комментариев',
      '101 комментарий',
      '111 комментариев',
    ]);
  });

  it('uses one and other in English', () => {
    expect([0, 1, 12].map((n) => countLabel('en', n))).toEqual(['0 comments', '1 comment', '12 comments']);
  });

  it('pluralizes the "more replies" and "new comments" buttons', () => {
    const i18n = createI18n('ru');
    expect(i18n.plural('moreReplies', 3)).toBe('Показать ещё 3 ответа');
    expect(i18n.plural('newComments', 5)).toBe('Показать 5 новых комментариев');
    expect(createI18n('en').plural('newComments', 1)).toBe('Show 1 new comment');
  });
});

describe('relative time', () => {
  const now = Date.UTC(2026, 10, 28, 12, 0, 0);
  const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

  it('speaks English', () => {
    const { relativeTime } = createI18n('en');
    expect(relativeTime(ago(20), now)).toBe('just now');
    expect(relativeTime(ago(5 * 60), now)).toBe('5 min ago');
    expect(relativeTime(ago(3 * 3600), now)).toBe('3 h ago');
    expect(relativeTime(ago(2 * 86400), now)).toBe('2 days ago');
    expect(relativeTime(ago(30 * 86400), now)).toMatch(/Oct/);
  });

  it('speaks Russian', () => {
    const { relativeTime } = createI18n('ru');
    expect(relativeTime(ago(5 * 60), now)).toBe('5 мин назад');
    expect(relativeTime(ago(86400), now)).toBe('1 день назад');
    expect(relativeTime(ago(5 * 86400), now)).toBe('5 дней назад');
  });

  it('treats a clock slightly ahead of the server as "just now"', () => {
    expect(createI18n('en').relativeTime(new Date(now + 5000).toISOString(), now)).toBe('just now');
  });
});

describe('catalogs', () => {
  it('have the same keys in every language', () => {
    expect(Object.keys(ru.messages).sort()).toEqual(Object.keys(en.messages).sort());
    expect(Object.keys(ru.pluralMessages).sort()).toEqual(Object.keys(en.pluralMessages).sort());
  });

  it('fill placeholders', () => {
    expect(createI18n('en').t('signedInAs', { name: 'Anna' })).toBe('Signed in as Anna');
  });

  it('mirror the contract limits the widget cannot import', () => {
    expect(commentBodyMaxLength).toBe(contractMax);
    expect([...reportReasons]).toEqual([...contractReasons]);
  });
});

describe('error sentences', () => {
  const clientCodes = ['network_error', 'bad_response'] as const;
  const notForReaders: readonly string[] = [
    'site_exists',
    'sso_key_not_found',
    'sso_key_exists',
    'invalid_jwks',
    'user_not_found',
    'ban_not_found',
    'invalid_second_factor',
    'second_factor_enrolled',
    'second_factor_not_started',
    'second_factor_staff_only',
    'import_running',
    'import_not_found',
    'email_already_verified',
  ] satisfies ErrorCodeNotForReaders[];

  it('has a sentence in every language for every code the contracts define, but those a reader\'s page never meets, and for no others', () => {
    expect(Object.keys(errorSentences).sort()).toEqual([...errorCodes, ...clientCodes].filter((code) => !notForReaders.includes(code)).sort());
    for (const catalog of [en.messages, ru.messages]) {
      for (const key of Object.values(errorSentences)) expect(catalog[key].trim()).not.toBe('');
    }
  });

  it('never lets the server\'s English through to a Russian page', () => {
    const ru = createI18n('ru');
    for (const code of [...errorCodes, ...clientCodes]) {
      const sentence = errorMessage(ru, new ApiError(400, code, 'The server says this in English.'));
      expect(sentence.replace('Parley', '')).not.toMatch(/[A-Za-z]{3,}/);
      expect(sentence).toBe(ru.error(code));
    }
  });

  it('says what is wrong with a field in the page\'s language', () => {
    const error = new ApiError(400, 'validation_failed', 'Invalid', [
      { field: 'password', message: 'must be at least 10 characters' },
      { field: 'email', message: 'must be a valid email address' },
    ]);
    expect(errorMessage(createI18n('ru'), error)).toBe('Пароль: должно быть не короче 10 символов; Эл. почта: должен быть действующим адресом почты');
    expect(errorMessage(createI18n('en'), error)).toBe('Password: must be at least 10 characters; Email: must be a valid email address');
  });

  it('tells the seconds to wait when the server says them', () => {
    expect(errorMessage(createI18n('en'), new ApiError(429, 'rate_limited', 'x', undefined, 7))).toBe('You are going too fast. Try again in 7 s.');
  });
});
