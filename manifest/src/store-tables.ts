// The store's tables and the tables their foreign keys point at, read from the migrations, so the
// SQL scripts in infra/ can be held to every table (new ones included).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Table name → the tables it references. */
export function storeTablesAndParents(repoRoot: string): Map<string, Set<string>> {
  const folder = path.join(repoRoot, 'shared', 'src', 'store', 'migrations');
  const tables = new Map<string, Set<string>>();
  for (const file of readdirSync(folder).filter((name) => /^\d{4}_.*\.ts$/.test(name))) {
    const source = readFileSync(path.join(folder, file), 'utf8');
    // each createTable(...) up to the next one holds that table's foreign keys
    for (const part of source.split(/\.createTable\(/).slice(1)) {
      const name = /^'(\w+)'/.exec(part)?.[1];
      if (name === undefined) continue;
      const parents = [
        ...part.matchAll(/addForeignKeyConstraint\(\s*'\w+',\s*\[[^\]]*\],\s*'(\w+)'/g),
      ];
      tables.set(name, new Set(parents.map((match) => match[1] as string)));
    }
  }
  return tables;
}
