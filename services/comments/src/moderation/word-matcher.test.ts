import { candidateWords, compileWordMatcher } from './word-matcher';

const english = compileWordMatcher({ banned: ['idiot', 'ass', "don't"], suspect: ['moron', 'scam'] });
const russian = compileWordMatcher({ banned: ['хуй', 'идиот*', 'крип'], suspect: ['дурак'] });
const banned = (word: string) => ({ list: 'banned', word });
const suspect = (word: string) => ({ list: 'suspect', word });

describe('compileWordMatcher, English', () => {
  it.each([
    ['What an idiot.', 'idiot'],
    ['IDIOT!', 'idiot'],
    ['Idiot', 'idiot'],
    ['iiidiot', 'idiot'],
    ['idiooooot', 'idiot'],
    ['i.d.i.o.t', 'idiot'],
    ['you i d i o t', 'idiot'],
    ['i-d-i-o-t', 'idiot'],
    ['i_d_i_o_t and more', 'idiot'],
    ['id*iot', 'idiot'],
    ['i. d. i. o. t.', 'idiot'],
    ['a n i d i o t', 'idiot'],
    ['\u0456diot', 'idiot'], // Cyrillic і
    ['id\u0456\u043et', 'idiot'], // Cyrillic і and о
    ['ａｓｓ', 'ass'], // full-width letters
    ['a$$? no: a s s', 'ass'],
    ['aaassss', 'ass'],
    ["dont do that", "don't"],
  ])('finds the banned word in %j', (text, word) => {
    expect(english.find(text)).toEqual(banned(word));
  });

  it.each([
    'This is a class act.',
    'Assess the passage, assistant.',
    'as simple as that',
    'The idiotic idea', // whole words only (no "*" on the entry)
    'idiots', // a plural is another word unless the entry says "idiot*"
    'i do not think id iot is', // "id iot" with a space between chunks is two words
    'Massachusetts',
    'a s k me',
    'the ids of iot devices',
  ])('does not flag %j', (text) => {
    expect(english.find(text)).toBeNull();
  });

  it('reports suspect words when no banned word is present, and banned first otherwise', () => {
    expect(english.find('Such a moron')).toEqual(suspect('moron'));
    expect(english.find('M.O.R.O.N')).toEqual(suspect('moron'));
    expect(english.find('moron, and an idiot')).toEqual(banned('idiot'));
    expect(english.find('scammer')).toBeNull();
  });
});

describe('compileWordMatcher, Russian', () => {
  it.each([
    ['Ну ты и хуй', 'хуй'],
    ['ХУЙ', 'хуй'],
    ['xуй', 'хуй'], // Latin x
    ['хyй', 'хуй'], // Latin y
    ['х.у.й', 'хуй'],
    ['х у й', 'хуй'],
    ['хуууй', 'хуй'],
    ['идиот', 'идиот*'],
    ['идиоты', 'идиот*'],
    ['идиотка', 'идиот*'],
    ['ИДИОТИЗМ', 'идиот*'],
    ['иддддиот', 'идиот*'],
    ['и-д-и-о-т-ы', 'идиот*'],
    ['идиoт', 'идиот*'], // Latin o
    ['крип', 'крип'],
  ])('finds the banned word in %j', (text, word) => {
    expect(russian.find(text)).toEqual(banned(word));
  });

  it.each([
    'Этот скрипт работает',
    'крипта растёт', // "крип" is a whole-word entry
    'Пойду на прогулку',
    'нахуйя?'.replace('хуй', 'ху'), // harmless variant without the banned word
    'хулиган',
  ])('does not flag %j', (text) => {
    expect(russian.find(text)).toBeNull();
  });

  it('flags suspect Russian words, with disguises too', () => {
    expect(russian.find('Сам ты дурак')).toEqual(suspect('дурак'));
    expect(russian.find('д у р а к')).toEqual(suspect('дурак'));
    expect(russian.find('дурaк')).toEqual(suspect('дурак')); // Latin a
  });

  it('never folds look-alikes inside a word written wholly in one alphabet', () => {
    const cop = compileWordMatcher({ banned: ['cop'], suspect: [] });
    expect(cop.find('Вынеси сор')).toBeNull(); // all Cyrillic: "litter"
    expect(cop.find('c\u043ep')).toEqual(banned('cop')); // Latin c, Cyrillic о, Latin p
  });
});

describe('candidateWords', () => {
  it('keeps chunks, joined chunks and spelled-out stretches', () => {
    expect(candidateWords('Hi i.d-iot')).toEqual(expect.arrayContaining(['hi', 'i', 'id', 'idiot']));
    expect(candidateWords('a b c')).toEqual(expect.arrayContaining(['a', 'ab', 'abc', 'b', 'bc', 'c']));
  });

  it('is empty for an empty list, whatever the text', () => {
    expect(compileWordMatcher({ banned: [], suspect: [] }).find('idiot')).toBeNull();
  });
});
