import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { galley } from '$lib/server/runtime';
import { apiError, readQuery, requireActor, route } from '$lib/server/api/http';
import { bulletinIssues } from '$lib/server/db/schema';
import { authorizePiece } from '$lib/server/api/pieces';
import type { FeedEvent, FeedTopic } from '$lib/server/live/feed';
import type { RequestHandler } from './$types';

/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 20_000;

const EventsQuery = z.object({
	issue: z.string().min(1).optional().meta({ description: "Also hear this issue's board events" }),
	pieces: z.enum(['1']).optional().meta({ description: 'Also hear every change of a piece that lists show' }),
	piece: z.string().min(1).optional().meta({ description: "Also hear this piece's `comments` and `history` events (404 when the caller may not see it)" })
});

/**
 * Server-sent events (docs/api.md, "Live events"): always the caller's own `notifications` events; with
 * `?issue=<id>` that issue's `board` and `piece` events; with `?pieces=1` every `piece` event; with
 * `?piece=<id>` that piece's `comments` and `history` events (404 if the caller may not see it). Events are
 * nudges: the page re-reads what it shows through the API, with its own rights. A contributor is not told
 * which piece changed (it might be one they may not see).
 */
export const GET: RequestHandler = route(async ({ locals, url, request }) => {
	const actor = requireActor(locals);
	const query = readQuery(url, EventsQuery);
	const { db, feed } = await galley();
	const topics: FeedTopic[] = [`user:${actor.id}`];
	if (query.issue) {
		const [issue] = await db.select({ id: bulletinIssues.id }).from(bulletinIssues).where(eq(bulletinIssues.id, query.issue));
		if (!issue) return apiError(404, 'No such issue', 'issue');
		topics.push(`issue:${issue.id}`);
	}
	if (query.pieces) topics.push('pieces');
	if (query.piece) {
		await authorizePiece(db, actor, query.piece, 'view');
		topics.push(`piece:${query.piece}`);
	}
	const encoder = new TextEncoder();
	let stop = () => {};
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			const send = (text: string) => {
				try {
					controller.enqueue(encoder.encode(text));
				} catch {
					stop();
				}
			};
			const shown = (event: FeedEvent) => (event.type === 'piece' && actor.role !== 'editor' ? { type: event.type, issueId: event.issueId } : event);
			const unsubscribes = topics.map((topic) => feed.subscribe(topic, (event) => send(`event: ${event.type}\ndata: ${JSON.stringify(shown(event))}\n\n`)));
			const heartbeat = setInterval(() => send(': still here\n\n'), HEARTBEAT_MS);
			stop = () => {
				clearInterval(heartbeat);
				for (const unsubscribe of unsubscribes) unsubscribe();
				request.signal.removeEventListener('abort', stop);
				try {
					controller.close();
				} catch {
					/* already closed */
				}
			};
			request.signal.addEventListener('abort', stop);
			send(`retry: 3000\n: listening to ${topics.length} topic(s)\n\n`);
		},
		cancel() {
			stop();
		}
	});
	return new Response(stream, {
		headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' }
	});
});
