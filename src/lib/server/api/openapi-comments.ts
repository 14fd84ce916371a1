// The OpenAPI paths of comments (docs/api.md, "Comments"), spread into openapi.ts's paths.
import * as z from 'zod';
import { CommentBody, CommentPatchBody } from './contract';
import { err, jsonBody, ok } from './openapi-parts';

const Person = z.object({ id: z.string(), name: z.string() });
const ReplyActions = z.object({ edit: z.boolean().meta({ description: 'The caller wrote it' }), delete: z.boolean().meta({ description: 'The caller wrote it, or is the editor' }) });
const Reply = z
	.object({
		id: z.string(),
		parentId: z.string().meta({ description: 'The thread it answers' }),
		body: z.string().meta({ description: 'Plain text as typed: escape it wherever it is shown' }),
		author: Person.nullable().meta({ description: 'Null when the account was removed' }),
		mentions: z.array(Person).meta({ description: 'The people the body @mentions' }),
		createdAt: z.string(),
		editedAt: z.string().nullable(),
		actions: ReplyActions
	})
	.meta({ id: 'CommentReply' });
const Thread = z
	.object({
		id: z.string(),
		body: z.string().meta({ description: 'Plain text as typed: escape it wherever it is shown' }),
		author: Person.nullable(),
		mentions: z.array(Person),
		createdAt: z.string(),
		editedAt: z.string().nullable(),
		quote: z.string().nullable().meta({ description: 'The text the thread was made on, as it was then; null for a comment on the whole piece' }),
		anchor: z
			.object({
				exact: z.string().meta({ description: 'The text the thread covers now (empty when it is deleted)' }),
				prefix: z.string().meta({ description: 'Up to 32 characters before it' }),
				suffix: z.string().meta({ description: 'Up to 32 characters after it' }),
				start: z.string().meta({ description: 'The start as a Yjs relative position (Y.encodeRelativePosition, base64), sticking to the first character' }),
				end: z.string().meta({ description: 'The end as a Yjs relative position (base64), sticking to the last character' })
			})
			.nullable()
			.meta({ description: 'Where the thread is in the text now; null for a comment on the whole piece' }),
		onDeletedText: z.boolean().meta({ description: 'Its text was deleted: the thread stays readable, with its quote' }),
		resolved: z.boolean(),
		resolvedAt: z.string().nullable(),
		resolvedBy: Person.nullable(),
		replies: z.array(Reply).meta({ description: 'Oldest first' }),
		actions: ReplyActions.extend({ resolve: z.boolean(), reply: z.boolean() })
	})
	.meta({ id: 'CommentThread' });

const pieceId = z.object({ id: z.string().meta({ description: 'Piece id' }) });
const commentId = z.object({ id: z.string().meta({ description: 'Comment id (a thread’s or a reply’s)' }) });

export const commentPaths = {
	'/api/pieces/{id}/comments': {
		get: {
			description: 'The piece’s threads in text order: comments on the whole piece first, then threads by where their text is now, then threads whose text is deleted (by date). Comments are never part of the document body nor of any export.',
			requestParams: { path: pieceId },
			responses: { '200': ok('The threads, and `mentionable`: the people who may see the piece (whom `@Full Name` mentions), by name', z.object({ threads: z.array(Thread), mentionable: z.array(Person) })), '401': err('Not signed in'), '404': err('No such piece, or not visible to the caller') }
		},
		post: {
			description:
				'A new thread on the text the TextQuoteSelector `anchor` quotes (resolved against the piece’s current text to two Yjs relative positions), or without `anchor` on the whole piece; or with `parentId` a reply (one level deep). Anyone who may see the piece may comment, a viewer too, locked or not. `@Full Name` mentions notify (`mentioned`); a reply notifies the thread’s other participants (`replied`), a new thread the piece’s authors (`commented`). The piece’s open pages hear a `comments` event.',
			requestParams: { path: pieceId },
			requestBody: jsonBody(CommentBody),
			responses: {
				'201': ok('Written: `{ thread }` for a thread, `{ comment }` for a reply', z.union([z.object({ thread: Thread }), z.object({ comment: Reply })])),
				'400': err('Invalid body'),
				'401': err('Not signed in'),
				'404': err('No such piece, or not visible to the caller'),
				'422': err('The body is empty or over 5000 characters (field `body`); the quote is not in the piece (`anchor.exact`) or is there more than once and prefix/suffix do not single it out (`anchor.prefix`); parentId is no thread of this piece (`parentId`)')
			}
		}
	},
	'/api/comments/{id}': {
		patch: {
			description: 'Change the body (its author only; mentions follow it, and only newly mentioned people are notified) and/or resolve (`resolved: true`) or reopen a thread (anyone who may comment on the piece).',
			requestParams: { path: commentId },
			requestBody: jsonBody(CommentPatchBody),
			responses: {
				'200': ok('Changed: `{ thread }` or `{ comment }`', z.union([z.object({ thread: Thread }), z.object({ comment: Reply })])),
				'400': err('Invalid body'),
				'403': err('Another person’s comment: only its author changes its body'),
				'404': err('No such comment, or its piece is not visible to the caller'),
				'422': err('The body is empty or too long; `resolved` sent for a reply')
			}
		},
		delete: {
			description: 'Delete a comment: one’s own, or anyone’s for the editor. Deleting a thread’s first comment deletes the thread and its replies.',
			requestParams: { path: commentId },
			responses: { '200': ok('Deleted', z.object({ ok: z.literal(true) })), '403': err('Another person’s comment'), '404': err('No such comment, or its piece is not visible to the caller') }
		}
	}
};
