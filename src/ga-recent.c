/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-recent"

#include "config.h"

#include "ga-recent.h"

#include "ga-chat-id.h"

/* The stored list, with anything that is not a canonical chat ID left out: the key can be
 * edited with dconf-editor or gsettings. */
static GPtrArray *
load (GSettings *settings)
{
  g_auto(GStrv) stored = g_settings_get_strv (settings, "recent-chats");
  GPtrArray *chats = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; stored[i] != NULL && chats->len < GA_RECENT_MAX; i++)
    {
      g_autofree char *canonical = ga_chat_id_parse (stored[i], NULL, NULL);
      gboolean seen = FALSE;

      if (canonical == NULL || g_strcmp0 (canonical, stored[i]) != 0)
        continue;

      for (guint j = 0; j < chats->len && !seen; j++)
        seen = g_str_equal (chats->pdata[j], canonical);

      if (!seen)
        g_ptr_array_add (chats, g_steal_pointer (&canonical));
    }

  return chats;
}

/**
 * ga_recent_add:
 * @settings: the app's settings
 * @chat_id: a chat ID that was looked up
 *
 * Puts the canonical form of @chat_id first in the recent lookups, unless history is off or
 * @chat_id is no valid chat ID.
 *
 * Returns: %TRUE if it was recorded
 */
gboolean
ga_recent_add (GSettings  *settings,
               const char *chat_id)
{
  g_autoptr(GPtrArray) chats = NULL;
  g_autoptr(GPtrArray) updated = NULL;
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (chat_id != NULL, FALSE);

  if (!g_settings_get_boolean (settings, "history-enabled"))
    return FALSE;

  canonical = ga_chat_id_parse (chat_id, NULL, NULL);
  if (canonical == NULL)
    return FALSE;

  chats = load (settings);
  updated = g_ptr_array_new ();
  g_ptr_array_add (updated, canonical);
  for (guint i = 0; i < chats->len && updated->len < GA_RECENT_MAX; i++)
    if (!g_str_equal (chats->pdata[i], canonical))
      g_ptr_array_add (updated, chats->pdata[i]);
  g_ptr_array_add (updated, NULL);

  g_settings_set_strv (settings, "recent-chats", (const char * const *) updated->pdata);

  return TRUE;
}

/**
 * ga_recent_get:
 *
 * Returns: (transfer full): the recent lookups, newest first; empty while history is off
 */
char **
ga_recent_get (GSettings *settings)
{
  g_autoptr(GPtrArray) chats = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  if (!g_settings_get_boolean (settings, "history-enabled"))
    return g_new0 (char *, 1);

  chats = load (settings);
  g_ptr_array_add (chats, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&chats), FALSE);
}

/* Forgets all recent lookups. */
void
ga_recent_clear (GSettings *settings)
{
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_settings_reset (settings, "recent-chats");
}
