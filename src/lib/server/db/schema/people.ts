import { pgTable, text, timestamp, index, jsonb, uniqueIndex, bigint } from 'drizzle-orm/pg-core';
import { users } from './accounts';

/**
 * One-time links the editor issues so a person can set a new password (/reset/<token>). Only the hash is
 * kept. Issuing a new one for a person revokes their open one; using it marks it used.
 */
export const passwordResets = pgTable(
	'password_resets',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		tokenHash: text('token_hash').notNull(),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true }),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('password_resets_token_idx').on(t.tokenHash), index('password_resets_user_idx').on(t.userId)]
);

/**
 * Everything done to a person or an invite, for the editor: who did what to whom, when. Names and e-mails
 * are copied as they were, so the list reads the same after a rename or a removal.
 */
export const peopleAudit = pgTable(
	'people_audit',
	{
		/** Increasing: the order of the events (several can share one transaction's timestamp). */
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		action: text('action', {
			enum: [
				'invited',
				'invite_replaced',
				'invite_revoked',
				'joined',
				'account_created',
				'role_changed',
				'password_changed',
				'reset_link_issued',
				'reset_link_used',
				'removed'
			]
		}).notNull(),
		/** Who did it (null: nobody signed in, e.g. a reset link's owner is the actor of its use). */
		actorId: text('actor_id'),
		actorName: text('actor_name'),
		/** The person it was done to (null for an invite not accepted). */
		subjectUserId: text('subject_user_id'),
		subjectEmail: text('subject_email').notNull(),
		subjectName: text('subject_name').notNull(),
		/** e.g. `{ "from": "editor", "to": "contributor" }` for a role change. */
		detail: jsonb('detail')
	},
	(t) => [index('people_audit_subject_idx').on(t.subjectUserId)]
);
