import { sql, type SQL } from 'drizzle-orm';
import { pgTable, text, timestamp, integer, index, jsonb, date, bigserial, bigint, primaryKey, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { users, contributors } from './accounts';
import { bytea, tsvector } from './types';
import { PIECE_KINDS, REVIEW_STATES } from '../../../domain/pieces';
import { VERSION_KINDS } from '../../../domain/versions';

/** An issue of the bulletin: "VOLUME VII, ISSUE 12". Named bulletin_issues to keep "issue" unambiguous. */
export const bulletinIssues = pgTable('bulletin_issues', {
	id: text('id').primaryKey(),
	/** The publication's name ("Basin Watch"); the latest issue's name and tagline are offered for the next. */
	publication: text('publication').notNull(),
	tagline: text('tagline'),
	volume: integer('volume').notNull(),
	number: integer('number').notNull(),
	publishOn: date('publish_on'),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

/** A section of an issue's table of contents (Briefs, Articles, Interview). */
export const sections = pgTable(
	'sections',
	{
		id: text('id').primaryKey(),
		issueId: text('issue_id')
			.notNull()
			.references(() => bulletinIssues.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		position: integer('position').notNull()
	},
	(t) => [index('sections_issue_idx').on(t.issueId)]
);

/** A brief, article or interview. Its content is a Yjs document (document_states + document_updates). */
export const pieces = pgTable(
	'pieces',
	{
		id: text('id').primaryKey(),
		kind: text('kind', { enum: PIECE_KINDS }).notNull(),
		title: text('title').notNull(),
		issueId: text('issue_id').references(() => bulletinIssues.id, { onDelete: 'set null' }),
		sectionId: text('section_id').references(() => sections.id, { onDelete: 'set null' }),
		position: integer('position').notNull().default(0),
		/** Words of the printed body (no endnotes, no bios), rebuilt after each store of the text. */
		wordCount: integer('word_count').notNull().default(0),
		/** The printed body as plain text, rebuilt after each store of the text: what search reads. */
		bodyText: text('body_text').notNull().default(''),
		/** The text's headings that have an id (what a section assignment names), rebuilt after each store. */
		headings: jsonb('headings').$type<{ id: string; level: number; title: string }[]>().notNull().default([]),
		/**
		 * What search reads: the title and the printed body (its first 200,000 characters) as a text-search
		 * vector, kept by Postgres (a stored generated column: the list never recomputes it per row).
		 */
		searchVector: tsvector('search_vector').generatedAlwaysAs(
			(): SQL => sql`to_tsvector('english'::regconfig, ${pieces.title} || ' ' || left(${pieces.bodyText}, 200000))`
		),
		/** Which rule (content/metrics.ts METRICS_VERSION) wrote word_count, body_text and headings; older ones are rewritten at the piece's next store. */
		metricsVersion: integer('metrics_version').notNull().default(0),
		/** Set when the editor archives the piece: it leaves the lists until restored. */
		archivedAt: timestamp('archived_at', { withTimezone: true }),
		reviewState: text('review_state', { enum: REVIEW_STATES }).notNull().default('draft'),
		/**
		 * The version of the piece's details (title, kind, authors and their bio overrides): raised by each
		 * change of them. A write that names an older version is refused (409), so nobody overwrites what
		 * they have not seen (docs/api.md, "Versions of a piece's details").
		 */
		detailsVersion: integer('details_version').notNull().default(1),
		createdBy: text('created_by')
			.notNull()
			.references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('pieces_issue_idx').on(t.issueId),
		index('pieces_created_by_idx').on(t.createdBy),
		index('pieces_section_idx').on(t.sectionId),
		index('pieces_updated_at_idx').on(t.updatedAt),
		index('pieces_search_idx').using('gin', t.searchVector),
		// the pieces list's sorts (queries/piece-list.ts): a page is read off an index instead of sorting every piece
		index('pieces_title_sort_idx').on(sql`lower(${t.title})`, t.id),
		index('pieces_words_sort_idx').on(t.wordCount, t.id),
		index('pieces_created_at_idx').on(t.createdAt)
	]
);

/**
 * Who works on a piece, by when. An assigned contributor may see the piece; an author or reviewer edits
 * it, only inside their section when `sectionId` names one (a heading's id in the piece's text).
 */
export const assignments = pgTable(
	'assignments',
	{
		id: text('id').primaryKey(),
		pieceId: text('piece_id')
			.notNull()
			.references(() => pieces.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		role: text('role', { enum: ['author', 'reviewer', 'viewer'] }).notNull(),
		/** The `id` of the heading that starts the assigned section; null: the whole piece. */
		sectionId: text('section_id'),
		dueOn: date('due_on'),
		wordTarget: integer('word_target'),
		assignedBy: text('assigned_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('assignments_piece_idx').on(t.pieceId), index('assignments_user_idx').on(t.userId), index('assignments_due_idx').on(t.dueOn, t.pieceId)]
);

/** The authors printed under a piece, in order, with an optional bio override for this piece. */
export const pieceAuthors = pgTable(
	'piece_authors',
	{
		pieceId: text('piece_id')
			.notNull()
			.references(() => pieces.id, { onDelete: 'cascade' }),
		contributorId: text('contributor_id')
			.notNull()
			.references(() => contributors.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		bioOverride: jsonb('bio_override')
	},
	(t) => [primaryKey({ columns: [t.pieceId, t.contributorId] })]
);

/** Every move through the review states, who made it and why. */
export const reviewEvents = pgTable(
	'review_events',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		pieceId: text('piece_id')
			.notNull()
			.references(() => pieces.id, { onDelete: 'cascade' }),
		fromState: text('from_state', { enum: REVIEW_STATES }).notNull(),
		toState: text('to_state', { enum: REVIEW_STATES }).notNull(),
		actorId: text('actor_id').references(() => users.id),
		comment: text('comment'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('review_events_piece_idx').on(t.pieceId)]
);

/** The compacted Yjs state of a piece: one row, merged from document_updates in the background. */
export const documentStates = pgTable('document_states', {
	pieceId: text('piece_id')
		.primaryKey()
		.references(() => pieces.id, { onDelete: 'cascade' }),
	state: bytea('state').notNull(),
	/**
	 * The load repairs' version (collab/load-repairs.ts LOAD_REPAIRS_VERSION) under which the compaction that
	 * wrote `state` found it needing none and holding no deleted content; 0: not known. Such a state is sent to
	 * a new client as it is stored, before the server has decoded it (collab/early-step.ts).
	 */
	cleanAsOf: integer('clean_as_of').notNull().default(0),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** Yjs updates appended as they arrive (group commit), merged into document_states by compaction. */
export const documentUpdates = pgTable(
	'document_updates',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		pieceId: text('piece_id')
			.notNull()
			.references(() => pieces.id, { onDelete: 'cascade' }),
		update: bytea('update').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('document_updates_piece_idx').on(t.pieceId, t.id)]
);

/**
 * Saved versions of a piece: a snapshot of its compacted Yjs state (Y.encodeStateAsUpdate of the document
 * as it was, not the update log), for history, compare and restore. Saved at every review move (`review`,
 * linked to the move), on demand with a name (`named`), and before a restore (`before_restore`).
 */
export const pieceVersions = pgTable(
	'piece_versions',
	{
		id: text('id').primaryKey(),
		pieceId: text('piece_id')
			.notNull()
			.references(() => pieces.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: VERSION_KINDS }).notNull().default('named'),
		label: text('label').notNull(),
		state: bytea('state').notNull(),
		/** The review move this version was saved at (kind `review`). */
		reviewEventId: bigint('review_event_id', { mode: 'number' }).references(() => reviewEvents.id, { onDelete: 'set null' }),
		/** The version a `before_restore` version was saved ahead of restoring. */
		restoredFrom: text('restored_from'),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('piece_versions_piece_idx').on(t.pieceId, t.createdAt)]
);

/**
 * Comment threads on a piece's text. A thread is its first comment (`parentId` null) with its replies
 * (`parentId` = the first comment's id; one level deep). The first comment is anchored to the text it was
 * made on by two Yjs relative positions (Y.encodeRelativePosition), so it follows that text through
 * everyone's edits; `quote` keeps the text as it was, shown when the text has since been deleted.
 * Never part of the document body, never exported.
 */
export const comments = pgTable(
	'comments',
	{
		id: text('id').primaryKey(),
		pieceId: text('piece_id')
			.notNull()
			.references(() => pieces.id, { onDelete: 'cascade' }),
		parentId: text('parent_id').references((): AnyPgColumn => comments.id, { onDelete: 'cascade' }),
		blockId: text('block_id'),
		anchorStart: bytea('anchor_start'),
		anchorEnd: bytea('anchor_end'),
		quote: text('quote'),
		authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
		body: text('body').notNull(),
		/** The people @mentioned in the body (user ids), notified once when the comment is written. */
		mentions: jsonb('mentions').$type<string[]>().notNull().default([]),
		editedAt: timestamp('edited_at', { withTimezone: true }),
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		resolvedBy: text('resolved_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('comments_piece_idx').on(t.pieceId), index('comments_parent_idx').on(t.parentId)]
);

/** In-app notifications, per person (also e-mailed when SMTP_URL is set and the person has not unsubscribed). */
export const notifications = pgTable(
	'notifications',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		type: text('type').notNull(),
		pieceId: text('piece_id').references(() => pieces.id, { onDelete: 'cascade' }),
		issueId: text('issue_id').references(() => bulletinIssues.id, { onDelete: 'cascade' }),
		actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
		text: text('text').notNull(),
		/** A notification that must be sent once only (a due reminder for one assignment and date) names a key. */
		dedupeKey: text('dedupe_key'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		readAt: timestamp('read_at', { withTimezone: true }),
		emailedAt: timestamp('emailed_at', { withTimezone: true })
	},
	(t) => [index('notifications_user_idx').on(t.userId, t.createdAt), uniqueIndex('notifications_dedupe_idx').on(t.dedupeKey)]
);
