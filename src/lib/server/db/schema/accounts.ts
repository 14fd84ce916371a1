import { pgTable, text, timestamp, index, jsonb, uniqueIndex, boolean } from 'drizzle-orm/pg-core';

/** A person who can sign in. The first account is the editor; others are invited. */
export const users = pgTable(
	'users',
	{
		id: text('id').primaryKey(),
		email: text('email').notNull(),
		name: text('name').notNull(),
		passwordHash: text('password_hash').notNull(),
		role: text('role', { enum: ['editor', 'contributor'] }).notNull(),
		color: text('color').notNull(),
		/** Notifications are also e-mailed (when SMTP_URL is set) unless the person unsubscribed. */
		emailNotifications: boolean('email_notifications').notNull().default(true),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		disabledAt: timestamp('disabled_at', { withTimezone: true })
	},
	(t) => [uniqueIndex('users_email_idx').on(t.email)]
);

/** Browser sessions: the id is the SHA-256 of the cookie's token, so nothing secret is stored. */
export const sessions = pgTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)]
);

/** Personal API tokens for scripts (Bearer). Only the hash is kept; the token is shown once. */
export const apiTokens = pgTable(
	'api_tokens',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		tokenHash: text('token_hash').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
		/** Null: never expires. An expired token is refused like a revoked one. */
		expiresAt: timestamp('expires_at', { withTimezone: true }),
		revokedAt: timestamp('revoked_at', { withTimezone: true })
	},
	(t) => [uniqueIndex('api_tokens_hash_idx').on(t.tokenHash), index('api_tokens_user_idx').on(t.userId)]
);

/** Invitations to join as a contributor (or a second editor), accepted through a one-time link. */
export const invites = pgTable(
	'invites',
	{
		id: text('id').primaryKey(),
		tokenHash: text('token_hash').notNull(),
		email: text('email').notNull(),
		name: text('name').notNull(),
		role: text('role', { enum: ['editor', 'contributor'] }).notNull(),
		invitedBy: text('invited_by')
			.notNull()
			.references(() => users.id),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		acceptedAt: timestamp('accepted_at', { withTimezone: true }),
		/** Revoked by the editor, replaced by a newer invite for the same e-mail, or closed when that e-mail joined. */
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('invites_token_idx').on(t.tokenHash), index('invites_email_idx').on(t.email)]
);

/** A contributor's public profile: what ends a piece as the author's bio. May exist without an account. */
export const contributors = pgTable(
	'contributors',
	{
		id: text('id').primaryKey(),
		userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
		name: text('name').notNull(),
		affiliation: text('affiliation').notNull().default(''),
		/** Rich text (TipTap JSON) of the short bio. */
		bio: jsonb('bio'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('contributors_user_idx').on(t.userId)]
);
