import { imitatesStaff } from './display-names';

describe('imitatesStaff', () => {
  it.each([
    'Moderator',
    'MODERATOR',
    'moderator',
    'The Admin',
    'admin',
    'Admin123',
    'admin_jane',
    'Site-Moderator',
    'Staff',
    'Mods',
    'Parley Team',
    'parley-team',
    'Team Parley',
    'A D M I N',
    'M.o.d.e.r.a.t.o.r',
    'M0derat0r',
    'St4ff',
    'Ｍｏｄｅｒａｔｏｒ', // fullwidth
    'Mоderatоr', // Cyrillic о
    'Αdmin', // Greek capital alpha
    'Ādmīn', // accents
    'ѕtaff', // Cyrillic dze
  ])('refuses %s', (name) => {
    expect(imitatesStaff(name)).toBe(true);
  });

  it.each(['Ann Reader', 'Desmond', 'Staffordshire Reader', 'Badminton Fan', 'Modern Times', 'Reader 4821', 'Amélie', '😀', 'Σωκράτης', 'Commodore 64'])(
    'accepts %s',
    (name) => {
      expect(imitatesStaff(name)).toBe(false);
    },
  );
});
