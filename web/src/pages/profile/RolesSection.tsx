import { useId, useState } from 'preact/hooks';
import type { ChoosableRole, Me } from '../../api/types';
import { ROLES } from '../../api/types';
import { useApp } from '../../app/context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useRequest } from '../../components/useRequest';
import { useI18n } from '../../i18n';

/** One account, several roles; removing one leaves the others (PRODUCT A5). */
export function RolesSection({ me, disabled }: { me: Me; disabled: boolean }) {
  const { t } = useI18n();
  const { client, setMe } = useApp();
  const selectId = useId();
  const available = ROLES.filter((role) => !me.roles.includes(role));
  const [toAdd, setToAdd] = useState<ChoosableRole | ''>('');
  const request = useRequest();
  const { busy, error } = request;
  const selected: ChoosableRole | undefined =
    toAdd && available.includes(toAdd) ? toAdd : available[0];

  const run = (change: () => Promise<Me>) =>
    request.run(async () => {
      setMe(await change());
      setToAdd('');
    });

  return (
    <section class="card" aria-labelledby="roles-heading">
      <h2 id="roles-heading">{t('profile.rolesHeading')}</h2>
      <p class="hint">{t('profile.rolesHelp')}</p>
      <fieldset disabled={disabled || busy} class="plain">
        {me.roles.length === 0 ? (
          <p class="empty">{t('profile.noRoles')}</p>
        ) : (
          <ul class="roles" data-testid="roles">
            {me.roles.map((role) => (
              <li key={role}>
                <span>{t(`role.${role}`)}</span>
                {role === 'staff' || role === 'streamer' ? (
                  // Given (an operator's grant, an approved application), not chosen: the
                  // person cannot remove it here.
                  <span class="hint">{t(role === 'staff' ? 'profile.staffRoleHint' : 'profile.streamerRoleHint')}</span>
                ) : (
                  <button
                    type="button"
                    class="secondary small"
                    aria-label={t('profile.removeRoleLabel', { role: t(`role.${role}`) })}
                    onClick={() => void run(() => client.removeRole(role))}
                  >
                    {t('profile.removeRole')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {available.length === 0 ? (
          <p class="hint">{t('profile.allRoles')}</p>
        ) : (
          <form
            class="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              if (selected) void run(() => client.addRole(selected));
            }}
          >
            <div class="field">
              <label for={selectId}>{t('profile.roleToAdd')}</label>
              <select
                id={selectId}
                value={selected}
                onChange={(e) => setToAdd((e.target as HTMLSelectElement).value as ChoosableRole)}
              >
                {available.map((role) => (
                  <option key={role} value={role}>
                    {t(`role.${role}`)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" class="secondary">
              {t('profile.addRole')}
            </button>
          </form>
        )}
      </fieldset>
      <ErrorMessage error={error} />
    </section>
  );
}
