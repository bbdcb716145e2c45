import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * SQL lives in repositories: files named `*repository*` or under a `repositories/` folder. Services,
 * routes, channels and maintenance call them. (The database and bus packages are the layer below
 * and hold their own SQL.)
 */
const root = join(import.meta.dirname, '..');
const SCANNED = ['runtime/src', 'admin-api/src'];

/** A database call (`db.query(`, `tx.query<…>(`), not an HTTP request's query string. */
const QUERY_CALL = /(?<!request|req)\.query\s*[<(]/;
/** A string that starts with an SQL statement. */
const SQL_STRING = /['"`]\s*(select|insert\s+into|update\s+\w+\s+set|delete\s+from|with\s+\w+\s+as)\s/i;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))
    .map((file) => join(folder, file));
}

const isRepository = (path: string) => /repositor(y|ies)/.test(path);

function sqlOutsideRepositories(files: string[]): string[] {
  return files
    .filter((path) => !isRepository(path))
    .flatMap((path) =>
      readFileSync(join(root, path), 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          QUERY_CALL.test(line) || SQL_STRING.test(line) ? [`${path}:${index + 1}: ${line.trim()}`] : [],
        ),
    );
}

describe('SQL placement', () => {
  it('keeps every query in a repository', () => {
    const found = sqlOutsideRepositories(SCANNED.flatMap(sourceFiles));
    expect(found, 'SQL outside a repository: move it into the module’s *.repository.ts').toEqual([]);
  });

  it('notices a query in a service, and not an HTTP query string', () => {
    const sample = relative(root, join(import.meta.dirname, 'fixtures/sql-in-service.ts.txt'));
    expect(sqlOutsideRepositories([sample])).toEqual([
      `${sample}:3: const { rows } = await db.query('select id from numbers where id = $1', [id]);`,
      `${sample}:4: const text = \`delete from messages where id = $1\`;`,
    ]);
  });
});
