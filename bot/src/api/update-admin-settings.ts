// PUT /api/admin/settings: change any subset of the sync settings; private appointments are
// purged at once when turned off, and a sync round applies the rest.
import {
  CALENDARS_PER_MAILBOX_MAX,
  LOOKAHEAD_MONTHS_MAX,
  LOOKBACK_MONTHS_MAX,
  StoreValidationError,
} from '@warmpath/shared/store';
import { applyTenantSettings } from '@warmpath/shared/sync';
import { z } from 'zod';
import { badRequest } from './api-error.js';
import { defineRoute } from './api-route.js';
import { AdminSettings, toAdminSettings, toSettingsPatch } from './admin-settings-shape.js';

const months = (name: string, max: number) =>
  z
    .number(`${name} must be a number`)
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be at least 0`)
    .max(max, `${name} must be at most ${max}`);
const domainOrAddressList = (name: string) =>
  z
    .array(z.string().trim().min(1).max(320), `${name} must be a list of strings`)
    .max(1000, `${name} may hold at most 1000 entries`);

export const updateAdminSettings = defineRoute({
  method: 'PUT',
  path: '/api/admin/settings',
  operationId: 'updateAdminSettings',
  summary: 'Change any subset of the sync settings; answers the settings now in force',
  tag: 'admin',
  auth: 'admin',
  body: z
    .object({
      syncPrivateAppointments: z.boolean('syncPrivateAppointments must be true or false'),
      onlyOnlineMeetings: z.boolean('onlyOnlineMeetings must be true or false'),
      lookBackMonths: months('lookBackMonths', LOOKBACK_MONTHS_MAX),
      lookAheadMonths: months('lookAheadMonths', LOOKAHEAD_MONTHS_MAX),
      maxCalendarsPerMailbox: z
        .number('maxCalendarsPerMailbox must be a number')
        .int('maxCalendarsPerMailbox must be a whole number')
        .min(1, 'maxCalendarsPerMailbox must be at least 1')
        .max(
          CALENDARS_PER_MAILBOX_MAX,
          `maxCalendarsPerMailbox must be at most ${CALENDARS_PER_MAILBOX_MAX}`,
        ),
      excludedDomains: domainOrAddressList('excludedDomains'),
      excludedAddresses: domainOrAddressList('excludedAddresses'),
    })
    .partial()
    .strict(),
  response: AdminSettings,
  async handle({ body, caller, deps }) {
    let settings;
    try {
      settings = await applyTenantSettings({
        store: deps.store,
        tenantId: caller.tenantId,
        patch: toSettingsPatch(body),
      });
    } catch (error) {
      if (error instanceof StoreValidationError) throw badRequest(error.message);
      throw error;
    }
    await deps.requestSync({ tenantId: caller.tenantId });
    return toAdminSettings(settings);
  },
});
