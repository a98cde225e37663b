/* SPDX-License-Identifier: GPL-3.0-or-later */

/* libFuzzer harness for the getContacts answer parser, the contacts index and completion. */

#define G_LOG_DOMAIN "fuzz-contacts"

#include "config.h"

#include "ga-contact-list.h"
#include "ga-error.h"

#include "fuzz-common.h"

#include <string.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
updated_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean *done = user_data;

  if (!ga_contact_list_update_finish (GA_CONTACT_LIST (object), result, &error))
    fuzz_assert (error != NULL && error->domain == GA_ERROR);
  *done = TRUE;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *body = g_memdup2 (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GaContactList) list = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gboolean done = FALSE;

  contacts = ga_contact_parse_list (body, size, &error);
  if (contacts == NULL)
    {
      fuzz_assert (error != NULL && error->domain == GA_ERROR);
      return 0;
    }

  fuzz_assert (contacts->len <= GA_CONTACT_MAX_ENTRIES);
  for (guint i = 0; i < contacts->len; i++)
    {
      GaContact *contact = g_ptr_array_index (contacts, i);
      const char *name = ga_contact_get_display_name (contact);
      g_autofree char *key = NULL;

      fuzz_assert (g_utf8_validate (ga_contact_get_chat_id (contact), -1, NULL));
      if (name != NULL)
        {
          fuzz_assert (g_utf8_validate (name, -1, NULL));
          key = ga_contact_list_normalize (name, -1);
          fuzz_assert (g_utf8_validate (key, -1, NULL));
        }
    }

  /* Index it as the app does, then complete with a few queries taken from the input. */
  list = ga_contact_list_new (NULL, NULL);
  bytes = g_bytes_new (body, size);
  ga_contact_list_update_async (list, bytes, NULL, updated_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  fuzz_assert (ga_contact_list_get_n_contacts (list) <= contacts->len);
  for (guint i = 0; i < MIN (contacts->len, 3); i++)
    {
      GaContact *contact = g_ptr_array_index (contacts, i);
      const char *queries[] = { ga_contact_get_display_name (contact),
                                ga_contact_get_chat_id (contact), "a", "7" };

      fuzz_assert (ga_contact_list_lookup (list, ga_contact_get_chat_id (contact)) != NULL);
      for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
        {
          g_autoptr(GPtrArray) results = ga_contact_list_complete (list, queries[q], 5);

          fuzz_assert (results->len <= 5);
        }
    }

  return 0;
}
