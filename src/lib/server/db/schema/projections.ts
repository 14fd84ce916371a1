import { pgTable, text, integer, index, timestamp } from 'drizzle-orm/pg-core';
import { pieces } from './bulletin';

// Read models derived from a piece's Yjs state whenever it is stored. Rebuilt, never edited on their own.

/** One question or answer of an interview, in document order. */
export const qaBlocks = pgTable(
	'qa_blocks',
	{
		pieceId: text('piece_id')
			.notNull()
			.references(() => pieces.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		blockId: text('block_id'),
		kind: text('kind', { enum: ['question', 'answer'] }).notNull(),
		/** The speaker's label as printed ("AV"), or their name when they have no label; "?" for an unknown speaker. */
		speaker: text('speaker').notNull(),
		/** The speaker's full name ("Anneli Varga"); null for an unknown speaker. */
		speakerName: text('speaker_name'),
		text: text('text').notNull(),
		timestamp: text('timestamp')
	},
	(t) => [index('qa_blocks_piece_idx').on(t.pieceId, t.position), index('qa_blocks_speaker_idx').on(t.speaker)]
);

/** The library of sources a citation can point at (Varesh Daily, Radio Kessland, Basin Wire ...). */
export const sources = pgTable('sources', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	url: text('url'),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

/** One inline citation `([Varesh Daily](https://…), March 12)` as it stands in a piece. */
export const citations = pgTable(
	'citations',
	{
		pieceId: text('piece_id')
			.notNull()
			.references(() => pieces.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		sourceName: text('source_name').notNull(),
		url: text('url'),
		dateText: text('date_text')
	},
	(t) => [index('citations_piece_idx').on(t.pieceId), index('citations_source_idx').on(t.sourceName)]
);

/** A numbered endnote of a piece, numbered 1..N in text order. */
export const endnotes = pgTable(
	'endnotes',
	{
		pieceId: text('piece_id')
			.notNull()
			.references(() => pieces.id, { onDelete: 'cascade' }),
		number: integer('number').notNull(),
		noteId: text('note_id'),
		text: text('text').notNull()
	},
	(t) => [index('endnotes_piece_idx').on(t.pieceId)]
);
