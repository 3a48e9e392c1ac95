// `npm run sync -- --once | --track … | --status --json` (contracts.md). Arrives with issue 3.
console.error('npm run sync: calendar sync is not built yet (issue 3). Nothing was synced.');
process.exit(2);
