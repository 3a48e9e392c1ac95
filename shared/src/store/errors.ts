/** Every error the store throws on purpose; `code` lets callers branch without instanceof chains. */
export class StoreError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The database URL or store options are unusable; fix the configuration and restart. */
export class StoreConfigError extends StoreError {
  constructor(message: string) {
    super('store_config', message);
  }
}

/** The database server could not be reached or refused the connection. */
export class StoreConnectionError extends StoreError {
  constructor(message: string, cause: unknown) {
    super('store_connection', message, { cause });
  }
}

/** A migration failed; the database is left at the last migration that succeeded. */
export class StoreMigrationError extends StoreError {
  readonly migrationName: string | undefined;

  constructor(message: string, migrationName: string | undefined, cause: unknown) {
    super('store_migration', message, { cause });
    this.migrationName = migrationName;
  }
}

/** Input given to a repository function breaks a rule the store enforces before touching SQL. */
export class StoreValidationError extends StoreError {
  readonly field: string;

  constructor(field: string, message: string) {
    super('store_validation', message);
    this.field = field;
  }
}

/** The row a function needs does not exist for this tenant. */
export class StoreNotFoundError extends StoreError {
  readonly entity: string;

  constructor(entity: string, message: string) {
    super('store_not_found', message);
    this.entity = entity;
  }
}

export type ConstraintKind = 'check' | 'unique' | 'foreign_key' | 'not_null';

/** The database rejected a write because it breaks a constraint (CHECK, UNIQUE, FOREIGN KEY, NOT NULL). */
export class StoreConstraintError extends StoreError {
  readonly kind: ConstraintKind;
  /** Constraint name when the engine reports it (PostgreSQL always, SQLite for named CHECKs). */
  readonly constraint: string | undefined;

  constructor(
    kind: ConstraintKind,
    constraint: string | undefined,
    message: string,
    cause: unknown,
  ) {
    super('store_constraint', message, { cause });
    this.kind = kind;
    this.constraint = constraint;
  }
}

/** What each named CHECK constraint means, so the error tells the caller which value to change. */
const CHECK_EXPLANATIONS: Record<string, string> = {
  tenant_settings_calendars_per_mailbox_range:
    'calendars_per_mailbox must be an integer from 1 to 5',
  tenant_settings_lookback_months_range: 'lookback_months must be an integer from 0 to 120',
  tenant_settings_lookahead_months_range: 'lookahead_months must be an integer from 0 to 24',
};

function explainCheck(constraint: string | undefined): string {
  if (constraint === undefined) return 'a CHECK constraint failed';
  const explanation = CHECK_EXPLANATIONS[constraint];
  if (explanation !== undefined) return `${explanation} (CHECK ${constraint})`;
  return `value not allowed by CHECK ${constraint}`;
}

interface SqliteLikeError {
  code: string;
  message: string;
}

interface PostgresLikeError {
  code: string;
  message: string;
  constraint?: string;
  table?: string;
  column?: string;
  detail?: string;
}

function isErrorWithCode(error: unknown): error is { code: unknown; message: unknown } {
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

function translateSqliteError(error: SqliteLikeError): StoreError | undefined {
  const { code, message } = error;
  if (!code.startsWith('SQLITE_CONSTRAINT')) return undefined;
  // better-sqlite3 messages look like "CHECK constraint failed: name" or "UNIQUE constraint failed: t.a, t.b"
  const detail = message.replace(/^[A-Z ]*constraint failed:\s*/i, '').trim();
  switch (code) {
    case 'SQLITE_CONSTRAINT_CHECK':
      return new StoreConstraintError(
        'check',
        detail || undefined,
        explainCheck(detail || undefined),
        error,
      );
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
      return new StoreConstraintError('unique', undefined, `duplicate value for ${detail}`, error);
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return new StoreConstraintError(
        'foreign_key',
        undefined,
        'a referenced row does not exist (FOREIGN KEY constraint failed): create the parent row first',
        error,
      );
    case 'SQLITE_CONSTRAINT_NOTNULL':
      return new StoreConstraintError(
        'not_null',
        undefined,
        `missing required value for ${detail}`,
        error,
      );
    default:
      return new StoreConstraintError('check', undefined, message, error);
  }
}

function translatePostgresError(error: PostgresLikeError): StoreError | undefined {
  const { code, constraint, table, column, detail } = error;
  switch (code) {
    case '23514':
      return new StoreConstraintError('check', constraint, explainCheck(constraint), error);
    case '23505':
      return new StoreConstraintError(
        'unique',
        constraint,
        `duplicate value for ${constraint ?? table ?? 'a unique key'}${detail ? `: ${detail}` : ''}`,
        error,
      );
    case '23503':
      return new StoreConstraintError(
        'foreign_key',
        constraint,
        `a referenced row does not exist (${constraint ?? 'FOREIGN KEY'}): create the parent row first`,
        error,
      );
    case '23502':
      return new StoreConstraintError(
        'not_null',
        undefined,
        `missing required value for ${table ?? '?'}.${column ?? '?'}`,
        error,
      );
    default:
      return undefined;
  }
}

/** Turns engine-specific constraint failures into StoreConstraintError; anything else is returned unchanged. */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof StoreError || !isErrorWithCode(error)) return error;
  const { code, message } = error;
  if (typeof code !== 'string' || typeof message !== 'string') return error;
  if (code.startsWith('SQLITE_')) return translateSqliteError({ code, message }) ?? error;
  if (/^\d{2}[0-9A-Z]{3}$/.test(code)) {
    return translatePostgresError(error as PostgresLikeError) ?? error;
  }
  return error;
}
