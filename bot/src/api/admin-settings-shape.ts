// The admin page's names for the tenant's sync settings, and the store's.
import type { TenantSettings, TenantSettingsPatch } from '@warmpath/shared/store';
import { z } from 'zod';

export const AdminSettings = z
  .object({
    syncPrivateAppointments: z.boolean(),
    onlyOnlineMeetings: z.boolean(),
    lookBackMonths: z.number().int(),
    lookAheadMonths: z.number().int(),
    maxCalendarsPerMailbox: z.number().int(),
    excludedDomains: z.array(z.string()),
    excludedAddresses: z.array(z.string()),
  })
  .meta({ id: 'AdminSettings' });
export type AdminSettings = z.infer<typeof AdminSettings>;

export function toAdminSettings(settings: TenantSettings): AdminSettings {
  return {
    syncPrivateAppointments: settings.syncPrivateAppointments,
    onlyOnlineMeetings: settings.onlyOnlineMeetings,
    lookBackMonths: settings.lookbackMonths,
    lookAheadMonths: settings.lookaheadMonths,
    maxCalendarsPerMailbox: settings.calendarsPerMailbox,
    excludedDomains: settings.excludedDomains,
    excludedAddresses: settings.excludedAddresses,
  };
}

export function toSettingsPatch(change: Partial<AdminSettings>): TenantSettingsPatch {
  return {
    ...(change.syncPrivateAppointments === undefined
      ? {}
      : { syncPrivateAppointments: change.syncPrivateAppointments }),
    ...(change.onlyOnlineMeetings === undefined
      ? {}
      : { onlyOnlineMeetings: change.onlyOnlineMeetings }),
    ...(change.lookBackMonths === undefined ? {} : { lookbackMonths: change.lookBackMonths }),
    ...(change.lookAheadMonths === undefined ? {} : { lookaheadMonths: change.lookAheadMonths }),
    ...(change.maxCalendarsPerMailbox === undefined
      ? {}
      : { calendarsPerMailbox: change.maxCalendarsPerMailbox }),
    ...(change.excludedDomains === undefined ? {} : { excludedDomains: change.excludedDomains }),
    ...(change.excludedAddresses === undefined
      ? {}
      : { excludedAddresses: change.excludedAddresses }),
  };
}
