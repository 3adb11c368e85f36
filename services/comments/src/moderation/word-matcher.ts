/**
 * Finds banned and suspect words in a comment, in English and Russian, despite the usual
 * disguises. Pure: no I/O, so it is unit-tested on its own and compiled once per word list.
 *
 * A list entry matches a whole word (never a part of one: "class" does not contain "ass"),
 * case-insensitively, and still matches when the writer
 * - repeats letters ("iiidiot", "идиииот"), as long as every letter of the entry is there
 *   (so "as" never matches an entry "ass");
 * - puts separators between the letters ("i.d.i.o.t", "i d i o t", "i-d-i-o-t", "id*iot");
 * - swaps in look-alike letters of the other alphabet ("іdiot" with a Cyrillic "і", "xуй" with
 *   a Latin "x"). Look-alikes are only folded when a word mixes the two alphabets, so an honest
 *   word written wholly in one alphabet ("сор", Russian for litter) never matches a Latin entry
 *   that merely looks the same ("cop").
 * An entry ending in "*" matches every word starting with it ("идиот*" → "идиоты", "идиотка").
 */

export type WordList = 'banned' | 'suspect';

export interface WordMatch {
  list: WordList;
  /** The list entry that matched, as the moderator wrote it. */
  word: string;
}

export interface WordMatcher {
  /** The first banned word found, else the first suspect word, else null. */
  find(text: string): WordMatch | null;
}

/** Cyrillic letters that look like Latin ones, folded to the Latin letter when a word mixes alphabets. */
const lookAlikes: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ɡ: 'g',
};

const latin = /\p{Script=Latin}/u;
const cyrillic = /\p{Script=Cyrillic}/u;
/** What may stand between the letters of one disguised word without ending it. */
const joiner = /^[.\-_*+~'’`|/\\·•]+$/u;
/** Between single letters, whitespace is a disguise too ("i d i o t"). */
const spacer = /^[\s.\-_*+~'’`|/\\·•]+$/u;

interface Run {
  char: string;
  count: number;
}

interface Entry {
  list: WordList;
  word: string;
  prefix: boolean;
  plain: Run[];
  folded: Run[];
}

function runs(word: string): Run[] {
  const out: Run[] = [];
  for (const char of word) {
    const last = out.at(-1);
    if (last && last.char === char) last.count += 1;
    else out.push({ char, count: 1 });
  }
  return out;
}

function fold(word: string): string {
  let out = '';
  for (const char of word) out += lookAlikes[char] ?? char;
  return out;
}

function normalize(text: string): string {
  // NFKC turns full-width and stylised letters into plain ones; combining accents are dropped.
  return text.normalize('NFKC').toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC').replace(/ё/g, 'е');
}

/**
 * True when `candidate` is `entry` with some letters repeated. With `prefix`, the candidate may
 * go on after the entry's letters ("идиоты" for "идиот*").
 */
function matchesRuns(candidate: Run[], entry: Run[], prefix: boolean): boolean {
  if (candidate.length < entry.length || (!prefix && candidate.length !== entry.length)) return false;
  for (let i = 0; i < entry.length; i++) {
    const c = candidate[i]!;
    const e = entry[i]!;
    if (c.char !== e.char) return false;
    if (c.count < e.count) return false;
  }
  return true;
}

function mixesAlphabets(word: string): boolean {
  return latin.test(word) && cyrillic.test(word);
}

/** Splits text into runs of letters and digits, each with the separator that follows it. */
function chunks(text: string): { word: string; gap: string }[] {
  const out: { word: string; gap: string; end: number }[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const previous = out.at(-1);
    if (previous) previous.gap = text.slice(previous.end, match.index);
    out.push({ word: match[0], gap: '', end: match.index + match[0].length });
  }
  return out;
}

/**
 * Every candidate word of a text: each chunk; chunks glued by joiners ("id-iot", "i.d.i.o.t");
 * and every stretch of single letters separated by spaces or joiners ("a n i d i o t" holds
 * "idiot"). Stretches are short, so trying all of them stays cheap.
 */
export function candidateWords(text: string): string[] {
  const parts = chunks(normalize(text));
  const out = new Set<string>();
  for (let i = 0; i < parts.length; i++) {
    out.add(parts[i]!.word);
    // Joined chunks: follow joiners (no whitespace) to the right.
    let joined = parts[i]!.word;
    for (let j = i; j < parts.length - 1 && joiner.test(parts[j]!.gap); j++) {
      joined += parts[j + 1]!.word;
      out.add(joined);
    }
    // Spaced single letters: follow spacers while each piece is one letter.
    if ([...parts[i]!.word].length === 1) {
      let spelled = parts[i]!.word;
      for (let j = i; j < parts.length - 1 && spacer.test(parts[j]!.gap) && [...parts[j + 1]!.word].length === 1; j++) {
        spelled += parts[j + 1]!.word;
        out.add(spelled);
      }
    }
  }
  return [...out];
}

export function compileWordMatcher(lists: { banned: readonly string[]; suspect: readonly string[] }): WordMatcher {
  const entries: Entry[] = [];
  for (const list of ['banned', 'suspect'] as const) {
    for (const raw of lists[list]) {
      const prefix = raw.endsWith('*');
      const word = normalize(prefix ? raw.slice(0, -1) : raw).replace(/[^\p{L}\p{N}]/gu, '');
      if (word === '') continue;
      entries.push({ list, word: raw, prefix, plain: runs(word), folded: runs(fold(word)) });
    }
  }

  return {
    find(text) {
      if (entries.length === 0) return null;
      const candidates = candidateWords(text).map((word) => {
        const mixed = mixesAlphabets(word);
        return { plain: runs(word), folded: mixed ? runs(fold(word)) : null };
      });
      let suspect: WordMatch | null = null;
      for (const entry of entries) {
        if (entry.list === 'suspect' && suspect) continue;
        const hit = candidates.some(
          (candidate) =>
            matchesRuns(candidate.plain, entry.plain, entry.prefix) ||
            (candidate.folded !== null && matchesRuns(candidate.folded, entry.folded, entry.prefix)),
        );
        if (!hit) continue;
        if (entry.list === 'banned') return { list: 'banned', word: entry.word };
        suspect = { list: 'suspect', word: entry.word };
      }
      return suspect;
    },
  };
}
