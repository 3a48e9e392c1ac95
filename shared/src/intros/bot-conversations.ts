// Where the bot can reach each person: the reference of their 1:1 chat, saved when they install it.
import type { StoreDb } from '../store/open-store.js';

export interface SaveBotConversationProps {
  tenantId: string;
  /** the Teams user's Entra object id (activity.from.aadObjectId) */
  aadObjectId: string;
  /** a Bot Framework ConversationReference of the user's personal chat with the bot */
  reference: object;
  /** epoch ms; default now */
  now?: number | undefined;
}

/** Saves or replaces the person's conversation reference. */
export async function saveBotConversation(
  db: StoreDb,
  props: SaveBotConversationProps,
): Promise<void> {
  const row = {
    tenant_id: props.tenantId,
    aad_object_id: props.aadObjectId.toLowerCase(),
    reference: JSON.stringify(props.reference),
    updated_at: props.now ?? Date.now(),
  };
  await db
    .insertInto('bot_conversations')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'aad_object_id']).doUpdateSet({
        reference: row.reference,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/** The saved reference of the person's 1:1 chat with the bot, or undefined. */
export async function getBotConversation<T = Record<string, unknown>>(
  db: StoreDb,
  tenantId: string,
  aadObjectId: string,
): Promise<T | undefined> {
  const row = await db
    .selectFrom('bot_conversations')
    .select('reference')
    .where('tenant_id', '=', tenantId)
    .where('aad_object_id', '=', aadObjectId.toLowerCase())
    .executeTakeFirst();
  return row === undefined ? undefined : (JSON.parse(row.reference) as T);
}

/** Forgets the reference (the user uninstalled the bot). */
export async function deleteBotConversation(
  db: StoreDb,
  tenantId: string,
  aadObjectId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('bot_conversations')
    .where('tenant_id', '=', tenantId)
    .where('aad_object_id', '=', aadObjectId.toLowerCase())
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
