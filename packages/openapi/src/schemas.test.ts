import { z } from 'zod';
import { buildSchemaCatalog } from './schemas';

describe('the schema catalog', () => {
  it('names an input component <Name>Input only where its input and output forms differ', () => {
    const Paging = z.object({ limit: z.number().default(20) });
    // A plain z.object differs too (output forbids unknown keys, input ignores them); a strict one does not.
    const Same = z.strictObject({ id: z.string() });
    const catalog = buildSchemaCatalog({ input: [Paging, Same], output: [Paging, Same] }, { Paging, Same });
    expect(catalog.ref(Paging, 'input')).toEqual({ $ref: '#/components/schemas/PagingInput' });
    expect(catalog.ref(Paging, 'output')).toEqual({ $ref: '#/components/schemas/Paging' });
    expect(catalog.components.PagingInput).not.toHaveProperty('required');
    expect(catalog.components.Paging).toMatchObject({ required: ['limit'] });
    expect(catalog.ref(Same, 'input')).toEqual(catalog.ref(Same, 'output'));
  });
});
