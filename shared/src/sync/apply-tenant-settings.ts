// What the admin page calls to change sync settings: the change is saved and, when private
// appointments are turned off, the stored ones are purged at once. Everything else takes effect
// in the next round, which reads every calendar again because the settings changed.
import {
  updateTenantSettings,
  type Store,
  type TenantSettings,
  type TenantSettingsPatch,
} from '../store/index.js';
import { purgePrivateAppointments } from './purge-private-appointments.js';

export async function applyTenantSettings(props: {
  store: Pick<Store, 'db'>;
  tenantId: string;
  patch: TenantSettingsPatch;
}): Promise<TenantSettings> {
  const settings = await updateTenantSettings(props.store.db, props.tenantId, props.patch);
  if (!settings.syncPrivateAppointments)
    await purgePrivateAppointments(props.store, props.tenantId);
  return settings;
}
