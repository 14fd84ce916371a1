// Due reminders, review-move recipients through assignments and e-mail retries, in this process against a
// real database (PGlite always, Postgres when TEST_DATABASE_URL is set), with an injected clock: the sweep
// runs in the publication's time zone (GALLEY_TIMEZONE=Europe/Berlin), across the change to summer time on
// 29 March 2026, a day of 23 hours.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { databaseKinds, type GalleyTestDatabase } from '../support/galley-server';
import { freshTestDatabase } from '../support/test-database';
import { startSmtpInbox, type SmtpInbox } from '../support/smtp-inbox';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/client';
import { assignments, notifications, pieces, users } from '../../src/lib/server/db/schema';
import { readConfig } from '../../src/lib/server/config';
import { LiveFeed } from '../../src/lib/server/live/feed';
import { Notifier } from '../../src/lib/server/notifications';
import { Mailer } from '../../src/lib/server/notifications/mail';
import { sweepReminders } from '../../src/lib/server/notifications/reminders';
import { reviewMoveNotifications } from '../../src/lib/server/notifications/review';
import { recordingLogger, silentLogger } from '../support/logs';

const START_TIMEOUT = 120_000;

describe.each(databaseKinds())('due reminders and recipients on %s', (kind) => {
	let database: GalleyTestDatabase;
	let handle: DatabaseHandle;
	let feed: LiveFeed;
	let notifier: Notifier;
	const { timeZone } = readConfig({ GALLEY_TIMEZONE: 'Europe/Berlin' });
	const run = Math.random().toString(36).slice(2, 8);
	const ids = { editor: `ed-${run}`, carl: `carl-${run}`, dora: `dora-${run}`, erik: `erik-${run}`, vera: `vera-${run}` };

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL || null, dataDir: database.env.GALLEY_DATA_DIR ?? '' });
		await handle.migrate(readConfig({}).migrationsDir);
		feed = new LiveFeed(null);
		notifier = new Notifier(handle.db, feed);
		await handle.db.insert(users).values(
			Object.entries(ids).map(([who, id]) => ({ id, email: `${who}-${run}@example.org`, name: who, passwordHash: 'x', role: who === 'editor' ? ('editor' as const) : ('contributor' as const), color: '#336699' }))
		);
	}, START_TIMEOUT);

	afterAll(async () => {
		await feed?.close();
		await handle?.close();
		await database?.drop();
	});

	async function piece(title: string, reviewState: 'draft' | 'approved' = 'draft') {
		const id = `p-${Math.random().toString(36).slice(2, 10)}`;
		await handle.db.insert(pieces).values({ id, kind: 'article', title, createdBy: ids.carl, reviewState, headings: [{ id: 'h-outlook', level: 2, title: 'Outlook' }] });
		return id;
	}
	async function assign(pieceId: string, userId: string, role: 'author' | 'reviewer' | 'viewer', dueOn: string | null, sectionId: string | null = null) {
		const id = `a-${Math.random().toString(36).slice(2, 10)}`;
		await handle.db.insert(assignments).values({ id, pieceId, userId, role, dueOn, sectionId, assignedBy: ids.editor });
		return id;
	}
	const remindersOf = (pieceIds: string[]) =>
		handle.db
			.select({ userId: notifications.userId, type: notifications.type, text: notifications.text, dedupeKey: notifications.dedupeKey })
			.from(notifications)
			.where(and(inArray(notifications.pieceId, pieceIds), inArray(notifications.type, ['due_soon', 'overdue'])))
			.orderBy(notifications.createdAt);
	const sweepAt = (iso: string) => sweepReminders({ db: handle.db, notifier, timeZone, now: () => new Date(iso) });

	it('sends due_soon once when the 23-hour due day of 29 March ends within 24 hours, and overdue once from its end (22:00 UTC)', async () => {
		const dams = await piece('Dams and drought');
		const locked = await piece('Wetland restoration', 'approved');
		const carls = await assign(dams, ids.carl, 'author', '2026-03-29');
		await assign(dams, ids.vera, 'viewer', '2026-03-29'); // viewers are not reminded
		await assign(dams, ids.dora, 'author', null); // no due date: nothing to remind
		await assign(locked, ids.carl, 'author', '2026-03-29'); // approved: never late
		const heard: string[] = [];
		const unsubscribe = feed.subscribe(`user:${ids.carl}`, (e) => heard.push(e.type));

		// the day runs from 23:00 UTC on the 28th (midnight CET) to 22:00 UTC on the 29th (midnight CEST)
		expect(await sweepAt('2026-03-28T21:59:00Z')).toBe(0); // 22:59 CET on the 28th: 24 hours and a minute left
		expect(await sweepAt('2026-03-28T22:00:00Z')).toBe(1); // 23:00 CET: 24 hours left (a 24-hour day would leave 25)
		expect(await sweepAt('2026-03-29T12:00:00Z')).toBe(0); // once only
		expect(await sweepAt('2026-03-29T21:59:59Z')).toBe(0); // 23:59:59 CEST: not late yet (a 24-hour day would end at 23:00 UTC)
		expect(await sweepAt('2026-03-29T22:00:00Z')).toBe(1); // midnight CEST: overdue
		expect(await sweepAt('2026-03-29T22:05:00Z')).toBe(0);
		expect(await sweepAt('2026-04-02T09:00:00Z')).toBe(0);
		unsubscribe();

		expect(await remindersOf([dams, locked])).toEqual([
			{ userId: ids.carl, type: 'due_soon', text: '“Dams and drought” is due tomorrow, 29 March', dedupeKey: `due_soon:${carls}:2026-03-29` },
			{ userId: ids.carl, type: 'overdue', text: '“Dams and drought” was due on 29 March and is overdue', dedupeKey: `overdue:${carls}:2026-03-29` }
		]);
		expect(heard).toEqual(['notifications', 'notifications']);

		// a new due date is a new deadline: reminded again for it
		await handle.db.update(assignments).set({ dueOn: '2026-04-03' }).where(eq(assignments.id, carls));
		expect(await sweepAt('2026-04-03T08:00:00Z')).toBe(1);
		expect((await remindersOf([dams])).at(-1)).toMatchObject({ type: 'due_soon', dedupeKey: `due_soon:${carls}:2026-04-03` });
	});

	it('names the section of a section assignment, and stops reminding once the piece is approved', async () => {
		const basin = await piece('Basin outlook for the summer');
		await assign(basin, ids.erik, 'author', '2026-03-29', 'h-outlook');
		expect(await sweepAt('2026-03-29T06:00:00Z')).toBe(1);
		await handle.db.update(pieces).set({ reviewState: 'approved' }).where(eq(pieces.id, basin));
		expect(await sweepAt('2026-03-30T06:00:00Z')).toBe(0);
		expect((await remindersOf([basin])).map((r) => r.text)).toEqual(['Your section “Outlook” of “Basin outlook for the summer” is due today, 29 March']);
	});

	it('sends each reminder once when two processes sweep at the same moment (the dedupe key is unique)', async () => {
		const reach = await piece('The middle reach in autumn');
		await assign(reach, ids.dora, 'reviewer', '2026-03-29');
		const other = new Notifier(handle.db, feed);
		const counts = await Promise.all([sweepAt('2026-03-30T06:00:00Z'), sweepReminders({ db: handle.db, notifier: other, timeZone, now: () => new Date('2026-03-30T06:00:00Z') })]);
		expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
		expect(await remindersOf([reach])).toHaveLength(1);
	});

	it('tells a piece’s creator and its whole-piece authors of the editor’s moves, not section authors, reviewers or viewers', async () => {
		const id = await piece('Canal maintenance backlog');
		await assign(id, ids.dora, 'author', null);
		await assign(id, ids.erik, 'author', null, 'h-outlook');
		await assign(id, ids.vera, 'viewer', null);
		const editor = { id: ids.editor, name: 'Eda Editor', role: 'editor' as const };
		const moved = await reviewMoveNotifications(handle.db, { pieceId: id, from: 'in_review', to: 'changes_requested', actor: editor, comment: 'Shorter, please.' });
		expect(moved.map((n) => n.userId).sort()).toEqual([ids.carl, ids.dora].sort());
		expect(moved[0]).toMatchObject({ type: 'changes_requested', actorId: ids.editor, text: 'Eda Editor requested changes to “Canal maintenance backlog”: “Shorter, please.”' });
		const submitted = await reviewMoveNotifications(handle.db, { pieceId: id, from: 'draft', to: 'in_review', actor: { id: ids.carl, name: 'carl', role: 'contributor' } });
		expect(submitted.map((n) => [n.userId, n.type])).toEqual([[ids.editor, 'review_requested']]);
	});

	describe('e-mail delivery', () => {
		let inbox: SmtpInbox;
		beforeAll(async () => (inbox = await startSmtpInbox()));
		afterAll(async () => inbox?.close());

		it('retries a refused e-mail a bounded number of times, logging each failure, and records when it went', async () => {
			const { log: mailLog, messages: log } = recordingLogger();
			const mailer = new Mailer(handle.db, { smtpUrl: inbox.url, from: 'desk@example.org', origin: null, retryDelaysMs: [20, 20], log: mailLog });
			const sender = new Notifier(handle.db, feed, silentLogger, mailer);
			try {
				inbox.failNext(2);
				const [id] = await sender.send([{ userId: ids.dora, type: 'assigned', text: `Retry check ${run}` }]);
				await vi.waitFor(() => expect(inbox.mail.find((m) => m.subject === `Retry check ${run}`)?.to).toEqual([`dora-${run}@example.org`]), { timeout: 10_000 });
				expect(log.filter((m) => m.includes('will retry'))).toHaveLength(2);
				await vi.waitFor(async () => expect((await handle.db.select().from(notifications).where(eq(notifications.id, id)))[0].emailedAt).not.toBeNull(), { timeout: 10_000 });

				inbox.failNext(10);
				const [lost] = await sender.send([{ userId: ids.dora, type: 'assigned', text: `Given up ${run}` }]);
				await vi.waitFor(() => expect(log).toContain('e-mailing a notification failed; giving up'), { timeout: 10_000 });
				expect(log.filter((m) => m.includes('will retry'))).toHaveLength(4); // three attempts in all
				expect((await handle.db.select().from(notifications).where(eq(notifications.id, lost)))[0].emailedAt).toBeNull();
				inbox.failNext(0);
			} finally {
				await mailer.close();
			}
		});
	});
});
