import { validationFailed } from '@parley/platform';

/**
 * Names a reader may not take because they would pass for Parley's or the newsroom's staff
 * ("Moderator", "The Admin", "Parley Team", "Ｍ0ԁеrаtоr"). Checked for every account that is not
 * staff: at registration and whenever a publisher's sign-on sets a name. Staff accounts are named
 * by admins and may carry such titles.
 *
 * The name is folded before it is compared: compatibility forms (fullwidth, ligatures) by NFKC,
 * accents stripped, case ignored, and characters that look like Latin letters (Cyrillic and Greek
 * homoglyphs, digits and symbols used as letters) mapped to them.
 */

/** Single words that are a staff title on their own ("Admin", "Mods", "Staff"). */
const titleWords = /^(the)?(admin|admins|administrator|administrators|moderator|moderators|mod|mods|staff|sysop|sysadmin|webmaster|parley)$/;
/** Runs that make a title wherever they appear, spaces and punctuation ignored ("Site-Moderator", "Parley Team"). */
const titleRuns = ['moderator', 'moderation', 'administrator', 'parleyteam', 'teamparley', 'parleystaff', 'parleyadmin', 'parleysupport', 'parleymod', 'staffmember', 'siteadmin'];

const lookAlikes: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', і: 'i', ї: 'i', ј: 'j', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l',
  // Greek
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', μ: 'm', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w', ϲ: 'c',
  // Latin look-alikes and letters written with digits or symbols
  ı: 'i', ɑ: 'a', ɡ: 'g', ʟ: 'l', ɪ: 'i', ᴍ: 'm', ᴅ: 'd', ᴏ: 'o', ʀ: 'r', ꜱ: 's', ᴛ: 't', ꜰ: 'f',
  '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '|': 'l', '!': 'i',
};

/** The name as letters only, lowercased, look-alikes folded: what a reader of the name sees. */
export function foldName(name: string): string[] {
  const folded = [...name.normalize('NFKC').toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')]
    .map((character) => lookAlikes[character] ?? character)
    .join('');
  // Digits left after folding (2, 6, 8, 9) and everything but letters separate words.
  return folded.split(/[^\p{L}]+/u).filter(Boolean);
}

/** Whether `name` would pass for a staff title. */
export function imitatesStaff(name: string): boolean {
  // Trailing digits are a handle's counter ("admin123"), not letters in disguise.
  const words = foldName(name.replace(/\d+(?=\s|$)/g, ' '));
  const compact = words.join('');
  if (words.some((word) => titleWords.test(word)) || titleWords.test(compact)) return true;
  return titleRuns.some((run) => compact.includes(run));
}

export const staffLikeName = () =>
  validationFailed([{ field: 'displayName', message: 'must not look like a staff title (moderator, admin, staff, Parley team); choose another name' }]);
