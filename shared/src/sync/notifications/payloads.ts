// Graph's webhook payloads: change notifications and lifecycle notifications, as delivered in one
// `{ "value": [...] }` collection (graph-facts §4; shared/graph-samples/webhooks-lifecycle__*.json).
import { z } from 'zod';

export const LIFECYCLE_EVENTS = [
  'reauthorizationRequired',
  'subscriptionRemoved',
  'missed',
] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

/** Fields WarmPath reads; anything else Graph sends is ignored. */
const notificationItemSchema = z.object({
  subscriptionId: z.string().min(1).max(200),
  tenantId: z.string().min(1).max(200),
  clientState: z.string().nullish(),
  changeType: z.string().optional(),
  lifecycleEvent: z.string().optional(),
});

export type NotificationItem = z.infer<typeof notificationItemSchema>;

const collectionSchema = z.object({ value: z.array(z.unknown()) });

export interface ParsedCollection {
  /** items with the fields WarmPath needs */
  items: NotificationItem[];
  /** items that were not notifications at all (missing ids) */
  malformed: number;
}

/** Parses a webhook body; undefined when it is not a notification collection at all. */
export function parseNotificationCollection(rawBody: string): ParsedCollection | undefined {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return undefined;
  }
  const collection = collectionSchema.safeParse(json);
  if (!collection.success) return undefined;
  const items: NotificationItem[] = [];
  let malformed = 0;
  for (const raw of collection.data.value) {
    const item = notificationItemSchema.safeParse(raw);
    if (item.success) items.push(item.data);
    else malformed += 1;
  }
  return { items, malformed };
}

export function isLifecycleEvent(value: string | undefined): value is LifecycleEvent {
  return (LIFECYCLE_EVENTS as readonly string[]).includes(value ?? '');
}
