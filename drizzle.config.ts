import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema without a database (`npm run db:generate`).
// They are applied by the app itself at start, on PGlite or Postgres.
export default defineConfig({
	dialect: 'postgresql',
	schema: './src/lib/server/db/schema/index.ts',
	out: './migrations',
	strict: true,
	verbose: true
});
