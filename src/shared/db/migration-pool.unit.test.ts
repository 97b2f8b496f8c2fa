import { reportCatalogColumnsAsText } from './migration-pool';

// The shim for prisma/prisma#27403: catalog columns of type name (19) and char (18) must reach
// adapter-pg as text (25); every other column type must pass through unchanged.
describe('reportCatalogColumnsAsText', () => {
  test('when a result has name and char columns, then they are reported as text and others are kept', () => {
    const result = { fields: [{ dataTypeID: 19 }, { dataTypeID: 18 }, { dataTypeID: 23 }, { dataTypeID: 1184 }] };
    expect(reportCatalogColumnsAsText(result).fields.map((f) => f.dataTypeID)).toEqual([25, 25, 23, 1184]);
  });

  test('when a multi-statement script returns several results, then each is rewritten', () => {
    const results = [{ fields: [{ dataTypeID: 19 }] }, { fields: [] }, { fields: [{ dataTypeID: 18 }] }];
    expect(reportCatalogColumnsAsText(results).map((r) => r.fields.map((f) => f.dataTypeID))).toEqual([[25], [], [25]]);
  });
});
