import { importedHtmlMaxLength } from '@parley/contracts';
import { skipReasons } from './source';

/** The summary's words are the console's too; the one that names a limit names the contract's. */
it('says "too long" with the limit the contract enforces', () => {
  expect(skipReasons.too_long).toBe(`longer than ${importedHtmlMaxLength} characters`);
});
