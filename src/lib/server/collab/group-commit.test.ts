// The group commit spaces its commits under steady editing (each stores more updates), and an edit after a
// pause waits only the window. Fake timers: the store records which updates each commit held.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { GroupCommit } from './group-commit';
import { LiveDocument } from './documents';
import type { DocumentStore } from './persistence';

describe('group commit', () => {
	beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] }));
	afterEach(() => vi.useRealTimers());

	const setUp = (spacing: { intervalPerDocumentMs?: number; maxIntervalMs?: number } = { intervalPerDocumentMs: 0 }, documents = 3) => {
		const commits: number[] = [];
		const store = { append: async (rows: unknown[]) => void commits.push(rows.length) } as unknown as DocumentStore;
		const commit = new GroupCommit(store, { windowMs: 5, minIntervalMs: 15, ...spacing });
		const docs = Array.from({ length: documents }, (_, i) => i).map((i) => new LiveDocument(`piece-${i}`, { update: null, updateRows: 0 }, (d) => commit.schedule(d)));
		const edit = (i: number) => docs[i].doc.getText('t').insert(0, 'x');
		return { commits, docs, edit };
	};

	it('stores an edit after a pause within the window, and the edits of several documents in one commit', async () => {
		const { commits, edit } = setUp();
		edit(0);
		edit(1);
		await vi.advanceTimersByTimeAsync(5);
		expect(commits).toEqual([2]);
	});

	it('starts the next commit no sooner than the minimum interval after the last one, with what gathered meanwhile', async () => {
		const { commits, docs, edit } = setUp();
		edit(0);
		await vi.advanceTimersByTimeAsync(5);
		expect(commits).toEqual([1]);
		edit(1);
		await vi.advanceTimersByTimeAsync(5);
		edit(2);
		await vi.advanceTimersByTimeAsync(9);
		expect(commits).toEqual([1]); // 14 ms after the first commit started (at 5 ms): still gathering
		await vi.advanceTimersByTimeAsync(1);
		expect(commits).toEqual([1, 2]);
		// and every edit is acknowledged as stored once its commit is done
		for (const live of docs) expect(Y.decodeStateVector(live.durableStateVector).get(live.doc.clientID)).toBe(1);
	});

	it('spaces commits further apart the more documents the last one stored, up to the maximum', async () => {
		const { commits, edit } = setUp({ intervalPerDocumentMs: 2, maxIntervalMs: 40 }, 30);
		for (let i = 0; i < 10; i++) edit(i);
		await vi.advanceTimersByTimeAsync(5);
		expect(commits).toEqual([10]); // started at 5 ms: the next one no sooner than 15 + 2 × 10 ms later
		edit(10);
		await vi.advanceTimersByTimeAsync(34);
		expect(commits).toEqual([10]);
		await vi.advanceTimersByTimeAsync(1);
		expect(commits).toEqual([10, 1]); // at 40 ms; it stored one document: the next 17 ms after it
		for (let i = 0; i < 30; i++) edit(i);
		await vi.advanceTimersByTimeAsync(16);
		expect(commits).toEqual([10, 1]);
		await vi.advanceTimersByTimeAsync(1);
		expect(commits).toEqual([10, 1, 30]); // at 57 ms; 30 documents: 15 + 60 ms, capped at 40
		edit(0);
		await vi.advanceTimersByTimeAsync(39);
		expect(commits).toEqual([10, 1, 30]);
		await vi.advanceTimersByTimeAsync(1);
		expect(commits).toEqual([10, 1, 30, 1]);
	});

	it('does not space the commits out while someone waits for everything to be stored', async () => {
		let release = () => {};
		const commits: number[] = [];
		const store = {
			append: (rows: unknown[]) => {
				commits.push(rows.length);
				return new Promise<void>((resolve) => (release = resolve));
			}
		} as unknown as DocumentStore;
		const commit = new GroupCommit(store, { windowMs: 5, minIntervalMs: 15, intervalPerDocumentMs: 2, maxIntervalMs: 40 });
		const docs = Array.from({ length: 20 }, (_, i) => new LiveDocument(`piece-${i}`, { update: null, updateRows: 0 }, (d) => commit.schedule(d)));
		for (const live of docs) live.doc.getText('t').insert(0, 'x');
		await vi.advanceTimersByTimeAsync(5);
		expect(commits).toEqual([20]); // running: 20 documents would space the next commit 35 ms from this one's start
		docs[0].doc.getText('t').insert(0, 'y');
		let idle = false;
		void commit.idle().then(() => (idle = true));
		release();
		await vi.advanceTimersByTimeAsync(5);
		expect(commits).toEqual([20, 1]);
		release();
		await vi.advanceTimersByTimeAsync(0);
		expect(idle).toBe(true);
	});
});
