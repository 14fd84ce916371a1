import { describe, expect, it } from 'vitest';
import { staleTables, type TableState } from './statistics';

const table = (t: Partial<TableState>): TableState => ({ name: 't', reltuples: 1000, relpages: 100, pages: 100, changed: 0, ...t });

// (gathering them on a real PGlite: tests/integration/planner-statistics.test.ts)
describe('the embedded database’s planner statistics', () => {
	it('are stale when never gathered on a table with rows, when the table grew or shrank by half, or after autovacuum’s share of changes', () => {
		expect(staleTables([table({ name: 'never', reltuples: -1, relpages: 0, pages: 3 })])).toEqual(['never']);
		expect(staleTables([table({ name: 'empty', reltuples: -1, relpages: 0, pages: 0 })])).toEqual([]);
		expect(staleTables([table({ name: 'grown', pages: 300 })])).toEqual(['grown']);
		expect(staleTables([table({ name: 'shrunk', pages: 40 })])).toEqual(['shrunk']);
		expect(staleTables([table({ name: 'some', pages: 150, changed: 140 })])).toEqual([]);
		expect(staleTables([table({ name: 'changed', changed: 151 })])).toEqual(['changed']);
	});
});
