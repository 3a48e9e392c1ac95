// Saves where the bot can reach a person later (their 1:1 chat), and forgets it on uninstall.
import { TurnContext } from 'botbuilder';
import { deleteBotConversation, saveBotConversation } from '@warmpath/shared/intros';
import type { BotContext } from './bot-context.js';
import { teamsTenantOf, identifyCaller } from './identify-caller.js';

/** Whether the activity comes from a person's 1:1 chat with the bot. */
export function isPersonalChat(context: TurnContext): boolean {
  const type = context.activity.conversation?.conversationType;
  return type === undefined || type === 'personal';
}

/** Saves the 1:1 conversation reference of the activity's sender; false when there is nothing to save. */
export async function rememberConversation(
  bot: BotContext,
  context: TurnContext,
): Promise<boolean> {
  const { activity } = context;
  const aadObjectId = activity.from?.aadObjectId;
  if (!aadObjectId || !isPersonalChat(context)) return false;
  const lookup = await identifyCaller(bot.store.db, activity, { localTenantId: bot.localTenantId });
  if (!lookup.ok) return false;
  await saveBotConversation(bot.store.db, {
    tenantId: lookup.caller.tenantId,
    aadObjectId,
    reference: TurnContext.getConversationReference(activity),
    now: bot.now(),
  });
  bot.logger?.info(
    { tenantId: lookup.caller.tenantId, teamsTenant: teamsTenantOf(activity) },
    'Teams conversation saved',
  );
  return true;
}

export async function forgetConversation(bot: BotContext, context: TurnContext): Promise<void> {
  const { activity } = context;
  const aadObjectId = activity.from?.aadObjectId;
  if (!aadObjectId) return;
  const lookup = await identifyCaller(bot.store.db, activity, { localTenantId: bot.localTenantId });
  if (lookup.ok) await deleteBotConversation(bot.store.db, lookup.caller.tenantId, aadObjectId);
}
